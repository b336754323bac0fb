"""API fuzzing (issue 9): schemathesis generates requests for every operation of the OpenAPI
schema — valid and invalid path ids, query strings and bodies — as a manager and as a partner
coordinator of a world with one object of every kind, in-process against the WSGI app. Every
other request names those objects instead of the generated ids, so that successful answers are
checked as well as 404s. No request may end in a server error, and every response must be one
the schema documents: its status code, its content type, its headers and its body (validated
against the schema of that status). Reads run before writes. Bounded: a few examples per
operation (≈ 12–25 s per role)."""

import importlib
from collections import Counter

import pytest
import schemathesis
from django.core.management import call_command
from django.db import connection
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.errors import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from organizations.models import ApiToken

from .test_isolation import _a_objects

EXAMPLES = 4
CHECKS = (
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
)


# The object a path parameter names, by the collection before it (``/funds/{fund_pk}/pledges/{id}/``).
COLLECTIONS = {
    "organizations": "organization", "contacts": "contact", "agreements": "agreement", "documents": "document",
    "obligations": "obligation", "amendments": "amendment", "programs": "program", "indicators": "indicator",
    "periods": "period", "progress-updates": "update", "milestones": "milestone", "funds": "fund",
    "pledges": "pledge", "disbursements": "disbursement", "ledger-entries": "ledger_entry",
    "health-reviews": "health_review", "review-runs": "run", "survey-rounds": "survey_round",
}  # fmt: skip
WRITES_LAST = {"GET": 0, "PUT": 1, "PATCH": 1, "POST": 2, "DELETE": 3}


def _real_path_parameters(path: str, ids: dict[str, int]) -> dict[str, int]:
    segments = path.strip("/").split("/")
    values = {}
    for before, segment in zip(segments, segments[1:], strict=False):
        if segment.startswith("{") and segment != "{tenant_slug}":
            assert before in COLLECTIONS, f"Teach tests/test_api_fuzz.py what {segment} means in {path}"
            values[segment.strip("{}")] = ids[COLLECTIONS[before]]
    return values


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _failures_of(case, response) -> list[str]:
    """Each failing check of one response as ``check: title — reason`` (one check at a time so
    that every failure is named by the check that found it)."""
    found = []
    for check in CHECKS:
        try:
            case.validate_response(response, checks=[check])
        except FailureGroup as group:
            for failure in group.exceptions:
                found.append(f"{check.__name__}: {failure.title} — {_short(failure.message)}")
    return found


@pytest.fixture
def sqlite_ledger_flushable(transactional_db):
    """The fuzzing pays and reverses real ledger entries. On SQLite the ledger's append-only
    triggers refuse the DELETE that empties a transactional test's database afterwards
    (PostgreSQL empties it with TRUNCATE, which they do not see): lifted for that one flush."""
    yield
    if connection.vendor != "sqlite":
        return
    triggers = importlib.import_module("programs.migrations.0003_ledger_append_only")
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_DOWN:
            cursor.execute(statement)
    call_command("flush", interactive=False, verbosity=0)
    with connection.cursor() as cursor:
        for statement in triggers.SQLITE_UP:
            cursor.execute(statement)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("role", ["manager", "coordinator"])
def test_every_generated_request_gets_a_documented_response(
    sqlite_ledger_flushable, world, role, make_agreement, settings
):
    settings.ALLOWED_HOSTS = ["*"]
    make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan berjenjang")  # something to find
    ids = _a_objects(world)
    _instance, token = ApiToken.objects.create(user=getattr(world, role).user, name="fuzz")
    schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
    failures: Counter[str] = Counter()
    examples: dict[str, str] = {}
    calls = successes = 0
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 60
    operations.sort(key=lambda operation: (WRITES_LAST[operation.method.upper()], operation.path))
    for operation in operations:
        if "{tenant_slug}" not in operation.path:
            continue
        examples_run = 0

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES, deadline=None, database=None, phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )  # fmt: skip
        def run(case):
            nonlocal calls, successes, examples_run
            examples_run += 1
            real = _real_path_parameters(case.operation.path, ids)
            generated = {} if examples_run % 2 == 0 else case.path_parameters  # every other: real objects
            case.path_parameters = {**real, **(generated or {}), "tenant_slug": world.tenant_a.slug}
            response = case.call(headers={"Authorization": f"Token {token}"})
            calls += 1
            successes += 200 <= response.status_code < 300
            for failure in _failures_of(case, response):
                key = f"{case.method} {case.operation.path} → {response.status_code} {failure}"
                failures[key] += 1
                examples.setdefault(key, f"{case.formatted_path} {case.query or ''}")

        run()
    assert calls > 200
    print(f"{role}: {calls} calls, {successes} successful")
    assert successes > 40  # the real objects are found: success bodies are checked, not only errors
    report = [f"{key}  (×{count}, e.g. {examples[key]})" for key, count in sorted(failures.items())]
    assert not report, f"{len(report)} distinct non-conformances:\n" + "\n".join(report[:40])
