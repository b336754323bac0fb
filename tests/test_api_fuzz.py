"""API fuzzing (issue 9): schemathesis generates requests for every operation of the OpenAPI
schema — valid and invalid path ids, query strings and bodies — as a manager and as a partner
coordinator of the seeded world, in-process against the WSGI app. No request may end in a
server error. Bounded: a few examples per operation (≈ 15 s per role)."""

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings

from config.wsgi import application
from organizations.models import ApiToken

EXAMPLES = 4


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["manager", "coordinator"])
def test_no_generated_request_ends_in_a_server_error(world, role, make_agreement, settings):
    settings.ALLOWED_HOSTS = ["*"]
    make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan berjenjang")  # something to find
    _instance, token = ApiToken.objects.create(user=getattr(world, role).user, name="fuzz")
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures, calls = [], 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    for operation in operations:
        if "{tenant_slug}" not in operation.path:
            continue

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def run(case):
            nonlocal calls
            case.path_parameters = {**(case.path_parameters or {}), "tenant_slug": world.tenant_a.slug}
            response = case.call(headers={"Authorization": f"Token {token}"})
            calls += 1
            if response.status_code >= 500:
                failures.append(f"{case.method} {case.path} {case.query} → {response.status_code}")

        run()
    assert calls > 200
    assert failures == [], "\n".join(failures[:20])
