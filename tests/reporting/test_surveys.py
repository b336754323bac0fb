"""The partner survey: signed links that expire, one response per organization, in-app answers
for coordinators, and the answers reaching the review's inputs."""

import datetime

import pytest
from django.core import mail
from django.test import Client

from organizations.models import Contact
from organizations.tenancy import scopes_disabled, tenant_scope
from reporting import surveys
from reporting.health_inputs import gather_inputs
from reporting.models import SurveyResponse

ALL_AGREE = {f"q{i}": "4" for i in range(1, 14)}


@pytest.fixture
def opened(world, pw, orgs, django_capture_on_commit_callbacks):
    with tenant_scope(world.tenant_a):
        for organization in (orgs["puskesmas"], world.partner_a):
            Contact.objects.filter(organization=organization).update(is_focal_point=False)
            Contact.objects.create(
                tenant=world.tenant_a, organization=organization, name=f"Narahubung {organization.name}",
                email=f"narahubung{organization.pk}@mitra.test", is_focal_point=True,
            )  # fmt: skip
        with django_capture_on_commit_callbacks(execute=True):
            survey = surveys.round_open(agreement=pw.program.agreement, actor=world.manager.user, days=14)
    return survey


def _link(survey, organization):
    return surveys.link_for(survey, organization)


@pytest.mark.django_db
def test_focal_points_get_their_own_link_and_answer_once(world, pw, orgs, opened):
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [f"narahubung{orgs['puskesmas'].pk}@mitra.test", f"narahubung{world.partner_a.pk}@mitra.test"]
    )
    assert "/survei/" in mail.outbox[0].body
    anonymous = Client()
    url = _link(opened, orgs["puskesmas"])
    form = anonymous.get(url)
    assert form.status_code == 200 and form.content.decode().count('type="radio"') == 13 * 5
    assert anonymous.post(url, ALL_AGREE).status_code == 200
    again = anonymous.post(url, {**ALL_AGREE, "q1": "1"})
    assert "Organisasi Anda sudah mengisi survei ini." in again.content.decode()
    with scopes_disabled():
        assert SurveyResponse.unscoped.filter(round=opened).count() == 1
    with scopes_disabled():
        assert SurveyResponse.unscoped.get(round=opened).answers["q1"] == 4


@pytest.mark.django_db
def test_incomplete_answers_are_refused_and_nothing_is_saved(world, pw, orgs, opened):
    url = _link(opened, orgs["puskesmas"])
    response = Client().post(url, {**ALL_AGREE, "q7": "", "q8": "9"})
    assert response.status_code == 400
    with scopes_disabled():
        assert SurveyResponse.unscoped.count() == 0


@pytest.mark.django_db
def test_links_expire_with_the_round_and_cannot_be_forged(world, pw, orgs, opened):
    url = _link(opened, orgs["puskesmas"])
    assert Client().get(url[:-6] + "AAAAA/").status_code == 404
    opened.closes_on = datetime.date(2020, 1, 1)
    with tenant_scope(world.tenant_a):
        opened.save()
    closed = Client().get(url)
    assert closed.status_code == 410
    assert Client().post(url, ALL_AGREE).status_code == 410
    with scopes_disabled():
        assert SurveyResponse.unscoped.count() == 0


@pytest.mark.django_db
def test_coordinators_answer_in_the_app_for_their_own_organization(world, pw, orgs, opened, make_agreement):
    url = f"/t/{world.tenant_a.slug}/tinjauan/survei/{opened.pk}/"
    assert world.coordinator.client.get(f"/t/{world.tenant_a.slug}/tinjauan/survei/").status_code == 200
    assert world.coordinator.client.post(url, ALL_AGREE).status_code == 302
    with scopes_disabled():
        response = SurveyResponse.unscoped.select_related("organization").get()
    assert response.organization == world.partner_a and response.user == world.coordinator.user
    # The same organization through the emailed link: refused.
    Client().post(_link(opened, world.partner_a), ALL_AGREE)
    with scopes_disabled():
        assert SurveyResponse.unscoped.count() == 1
    # Staff see the results; a coordinator of a non-party sees nothing.
    assert "1 dari 2" in world.manager.client.get(url).content.decode()
    other = make_agreement("active", parties=("rsud", "puskesmas"), title="Rujukan")
    with tenant_scope(world.tenant_a):
        hidden = surveys.round_open(agreement=other, actor=None)
    assert world.coordinator.client.get(f"/t/{world.tenant_a.slug}/tinjauan/survei/{hidden.pk}/").status_code == 404


@pytest.mark.django_db
def test_one_open_round_at_a_time_and_only_managers_open(world, pw, opened):
    from django.core.exceptions import ValidationError

    with tenant_scope(world.tenant_a), pytest.raises(ValidationError):
        surveys.round_open(agreement=pw.program.agreement, actor=None)
    url = f"/t/{world.tenant_a.slug}/tinjauan/kemitraan/{pw.program.agreement_id}/survei/baru/"
    assert world.coordinator.client.post(url, {"days": "14"}).status_code == 403
    assert world.viewer.client.post(url, {"days": "14"}).status_code == 403


@pytest.mark.django_db
def test_answers_reach_the_review_inputs(world, pw, orgs, opened):
    Client().post(_link(opened, orgs["puskesmas"]), ALL_AGREE)
    Client().post(_link(opened, world.partner_a), {**ALL_AGREE, "q3": "2"})
    with tenant_scope(world.tenant_a):
        survey = gather_inputs(review_date=opened.opens_on + datetime.timedelta(days=2))[pw.program.agreement_id].survey
    assert survey.member_organizations == 2
    assert set(survey.responses) == {"Puskesmas Ciruas", world.partner_a.name}
    assert survey.responses[world.partner_a.name][0]["q3"] == 2
