"""Role × endpoint × method (issue 9): for every API route of a tenant and every method its
view answers, the expected outcome per role comes from the permission module itself
(``organizations.permissions.can`` with the permission the view declares for that action),
and every cell is requested: allowed → not 403; refused → 403 (checked before the object is
looked up, so it holds for detail routes too). Coordinators are checked on collection routes,
where no object-level rule applies; their object-level narrowing is in the isolation and role
tests."""

import pytest
from django.urls import resolve

from organizations.api_base import TenantAPIMixin
from organizations.permissions import can

from .test_isolation import METHODS, _a_objects, _kwargs, _url, all_routes, classify

ROLES = ["viewer", "coordinator", "manager", "admin"]

# The reviewed specification (A admin, M manager, C coordinator, V viewer) — what each role may
# do before any object-level rule. The matrix below checks that every endpoint enforces what the
# permission module says; this table checks that the module says what was decided (a change to
# a rule must change this table too, in review).
SPEC = {
    "agreement.add": "AM",
    "agreement.amend": "AM",
    "agreement.change": "AM",
    "agreement.document_delete": "AM",
    "agreement.document_upload": "AMC",
    "agreement.obligations": "AM",
    "agreement.renew": "AM",
    "agreement.transition": "AM",
    "agreement.view": "AMCV",
    "audit.view": "A",
    "dashboard.view": "AMV",
    "fund.approve": "AM",
    "fund.change": "AM",
    "fund.pay": "AM",
    "fund.receipt": "AM",
    "fund.request": "AMC",
    "fund.reverse": "A",
    "fund.view": "AMCV",
    "membership.manage": "A",
    "membership.view": "A",
    "organization.add": "AM",
    "organization.archive": "AM",
    "organization.change": "AM",
    "organization.history": "AMV",
    "organization.import": "AM",
    "organization.view": "AMCV",
    "period.reopen": "AM",
    "program.add": "AM",
    "program.change": "AM",
    "program.view": "AMCV",
    "progress.edit": "AMC",
    "progress.review": "AM",
    "progress.view": "AMCV",
    "report.download": "AMV",
    "review.confirm": "AM",
    "review.run": "AM",
    "review.view": "AMV",
    "review.weights": "A",
    "survey.answer": "C",
    "survey.manage": "AM",
    "survey.view": "AMCV",
    "tenant.settings": "A",
    "tenant.view": "AMCV",
}  # the least allowed first: denials see intact data


def _cells(world, ids):
    for route in all_routes():
        if classify(route) != "tenant" or not route.is_api:
            continue
        url = _url(route, _kwargs(route, world.tenant_a.slug, ids))
        view = resolve(url).func
        cls = getattr(view, "cls", None)
        if cls is None or not issubclass(cls, TenantAPIMixin):
            continue
        actions = getattr(view, "actions", None)  # a viewset: method → action
        for method in METHODS:
            if actions is not None:
                if method not in actions:
                    continue
                action = actions[method]
            else:
                if not hasattr(cls, method):
                    continue
                action = method
            permission = cls.permission_map.get(action, cls.default_permission)
            yield route, url, method, permission, cls.object_permission_map.get(action)


def test_the_permission_module_grants_exactly_the_specified_roles():
    from organizations.models import Membership
    from organizations.permissions import RULES

    actual = {
        name: "".join(
            r[0].upper() for r in ("admin", "manager", "coordinator", "viewer") if can(Membership(role=r), name)
        )
        for name in RULES
    }
    assert actual == SPEC


@pytest.mark.django_db
def test_every_role_endpoint_and_method_behaves_as_the_permission_module_says(world):
    ids = _a_objects(world)
    cells = list(_cells(world, ids))
    assert len(cells) > 60  # the matrix really covers the API
    failures, checked = [], 0
    for role in ROLES:
        persona = getattr(world, role)
        for route, url, method, permission, after_lookup in cells:
            detail = len(route.params) > 1
            if role == "coordinator" and detail:
                continue
            allowed = bool(permission) and can(persona.membership, permission)
            allowed = allowed and (after_lookup is None or can(persona.membership, after_lookup))
            response = getattr(persona.client, method)(url, {}, content_type="application/json")
            checked += 1
            if allowed and response.status_code == 403:
                failures.append(f"{role} {method.upper()} {url} ({permission}) refused but allowed")
            if not allowed and response.status_code != 403:
                failures.append(f"{role} {method.upper()} {url} ({permission}) → {response.status_code}, expected 403")
    assert failures == [], "\n".join(failures)
    assert checked > 250
