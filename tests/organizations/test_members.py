"""Invitations and memberships: admins invite, change roles and remove people."""

import re

import pytest
from django.core import mail
from django.test import Client, TestCase

from organizations.models import Invitation, Membership, Role
from organizations.tenancy import tenant_scope
from tests.factories import UserFactory, refresh


def _members_url(world, suffix=""):
    return f"/t/{world.tenant_a.slug}/anggota/{suffix}"


def _invite(world, **data):
    with TestCase.captureOnCommitCallbacks(execute=True):
        return world.admin.client.post(_members_url(world, "undang/"), data)


@pytest.mark.django_db
def test_invitee_without_account_sets_a_password_and_becomes_a_member(world):
    response = _invite(world, email="Bidan.Yuli@Example.id", role="coordinator", organization=world.partner_a.pk)
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["bidan.yuli@example.id"]
    link = re.search(r"https?://[^/\s]+(/undangan/[\w-]+/)", message.body).group(1)

    client = Client()
    page = client.get(link)
    assert page.status_code == 200
    accepted = client.post(
        link, {"full_name": "Bidan Yuliani", "password1": "Kader-Sehat-2026", "password2": "Kader-Sehat-2026"}
    )
    assert accepted.status_code == 302
    with tenant_scope(world.tenant_a):
        membership = Membership.objects.select_related("organization").get(user__email="bidan.yuli@example.id")
    assert membership.role == Role.COORDINATOR
    assert membership.organization == world.partner_a
    # Signed in, straight into the tenant.
    assert client.get(f"/t/{world.tenant_a.slug}/").status_code == 200
    # The link is spent.
    assert Client().get(link).status_code == 404


@pytest.mark.django_db
def test_existing_user_signs_in_and_accepts(world):
    person = UserFactory(email="dokter@example.id")
    _invite(world, email="dokter@example.id", role="viewer")
    with tenant_scope(world.tenant_a):
        invitation = Invitation.objects.get(email="dokter@example.id")
    client = Client()
    client.force_login(person)
    assert client.post(f"/undangan/{invitation.token}/").status_code == 302
    with tenant_scope(world.tenant_a):
        assert Membership.objects.filter(user=person, tenant=world.tenant_a, role="viewer").exists()


@pytest.mark.django_db
def test_invitation_for_someone_else_is_refused(world):
    _invite(world, email="dokter@example.id", role="viewer")
    with tenant_scope(world.tenant_a):
        invitation = Invitation.objects.get(email="dokter@example.id")
    world.outsider.client.post(f"/undangan/{invitation.token}/")
    with tenant_scope(world.tenant_a):
        assert Membership.objects.filter(tenant=world.tenant_a).exists()  # (the query can see A's members)
        assert not Membership.objects.filter(user=world.outsider.user, tenant=world.tenant_a).exists()


@pytest.mark.django_db
def test_coordinator_invitation_needs_an_organization(world):
    response = _invite(world, email="x@example.id", role="coordinator")
    assert response.status_code == 400
    with tenant_scope(world.tenant_a):
        assert not Invitation.objects.exists()


@pytest.mark.django_db
def test_inviting_a_member_again_is_refused(world):
    response = _invite(world, email=world.viewer.user.email, role="manager")
    assert response.status_code == 400
    assert len(mail.outbox) == 0


@pytest.mark.django_db
def test_withdrawn_invitation_link_stops_working(world):
    _invite(world, email="dokter@example.id", role="viewer")
    with tenant_scope(world.tenant_a):
        invitation = Invitation.objects.get()
    world.admin.client.post(_members_url(world, f"undangan/{invitation.pk}/batal/"))
    assert Client().get(f"/undangan/{invitation.token}/").status_code == 404


@pytest.mark.django_db
def test_admin_changes_a_role_and_removes_a_member(world):
    client = world.admin.client
    response = client.post(_members_url(world, f"{world.viewer.membership.pk}/ubah/"), {"role": "manager"})
    assert response.status_code == 302
    with tenant_scope(world.tenant_a):
        refresh(world.viewer.membership)
    assert world.viewer.membership.role == "manager"
    assert client.post(_members_url(world, f"{world.viewer.membership.pk}/hapus/")).status_code == 302
    with tenant_scope(world.tenant_a):
        assert not Membership.objects.filter(pk=world.viewer.membership.pk).exists()
    assert world.viewer.client.get(f"/t/{world.tenant_a.slug}/").status_code == 404


@pytest.mark.django_db
def test_last_admin_cannot_be_demoted_or_removed(world):
    client = world.admin.client
    url = _members_url(world, f"{world.admin.membership.pk}/")
    client.post(url + "ubah/", {"role": "viewer"})
    client.post(url + "hapus/")
    with tenant_scope(world.tenant_a):
        refresh(world.admin.membership)
    assert world.admin.membership.role == "admin"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "coordinator", "viewer"])
def test_only_admins_manage_members(world, role):
    client = world.persona(role).client
    assert client.get(_members_url(world)).status_code == 403
    assert client.post(_members_url(world, "undang/"), {"email": "x@example.id", "role": "admin"}).status_code == 403
    assert client.post(_members_url(world, f"{world.viewer.membership.pk}/ubah/"), {"role": "admin"}).status_code == 403
    with tenant_scope(world.tenant_a):
        refresh(world.viewer.membership)
    assert world.viewer.membership.role == "viewer"
