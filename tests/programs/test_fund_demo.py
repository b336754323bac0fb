"""The demo shared fund seeded by ``seed_demo``: it reconciles, shows every channel and state,
and a second run changes nothing."""

import datetime
from collections import Counter
from decimal import Decimal

from django.test import TestCase
from django.utils import timezone

from organizations.demo import seed_demo
from organizations.models import Membership, Notification, Organization, Role, Tenant, User
from organizations.regions import regions_load
from organizations.tenancy import tenant_scope
from partnerships.models import Agreement, Party
from partnerships.rules import partnership_type_errors
from programs import fund_services as funds
from programs.fund_demo import DESA_ANYAR, DINKES, FUND_NAME, KRAKATAU, PROGRAM
from programs.fund_selectors import fund_statement
from programs.models import Disbursement, Fund, LedgerEntry, Pledge, PledgeInstallment, Program

D = Disbursement.Status


class SeededFundTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        regions_load(provinces=["36"])
        seed_demo()
        cls.tenant = Tenant.objects.get(slug="serang")

    def setUp(self):
        scope = tenant_scope(self.tenant)
        scope.__enter__()
        self.addCleanup(scope.__exit__, None, None, None)
        self.fund = Fund.objects.get(name=FUND_NAME)

    def test_balance_equals_the_ledger_and_the_hand_computed_figure(self):
        balance, ledger_sum = funds.fund_reconcile(fund=self.fund)
        # received 253,000,000 (a 30,000,000 posting reversed) − paid 7,200,000 + 9,850,000 + 24,000,000
        self.assertEqual(balance, ledger_sum)
        self.assertEqual(balance, Decimal(211_950_000))

    def test_fund_is_restricted_to_the_anyar_program(self):
        self.assertEqual([p.name for p in self.fund.programs.all()], [PROGRAM])
        self.assertIn("Kecamatan Anyar", self.fund.agreement.title)

    def test_pledges_come_from_parties_through_apbd_tjsl_dana_desa_and_in_kind(self):
        pledges = {(p.organization.name, p.channel): p for p in self.fund.pledges.select_related("organization")}
        self.assertEqual(
            set(pledges),
            {(DINKES, "apbd"), (KRAKATAU, "csr_tjsl"), (KRAKATAU, "natura"), (DESA_ANYAR, "dana_desa")},
        )
        natura = pledges[(KRAKATAU, "natura")]
        self.assertIn("vaccine carrier", natura.in_kind_description)
        self.assertEqual(natura.amount, Decimal(52_500_000))
        self.assertEqual(pledges[(KRAKATAU, "csr_tjsl")].installments.count(), 3)
        parties = set(self.fund.agreement.parties.values_list("organization__name", flat=True))
        self.assertLessEqual({name for name, _channel in pledges}, parties)
        for pledge in pledges.values():
            self.assertEqual(pledge.amount, pledge.amount.to_integral_value())  # whole rupiah
            self.assertGreaterEqual(pledge.amount, 10_000_000)  # tens to hundreds of millions

    def test_village_government_is_a_funder_and_the_agreement_still_follows_its_type_rules(self):
        agreement = self.fund.agreement
        village = Party.objects.get(agreement=agreement, organization__name=DESA_ANYAR)
        self.assertEqual(village.role, Party.Role.FUNDER)
        self.assertEqual(village.organization.kind, Organization.Kind.PEMERINTAH_LAIN)
        organizations = [p.organization for p in agreement.parties.select_related("organization")]
        self.assertEqual(partnership_type_errors(agreement.partnership_type, organizations), [])

    def test_receipts_are_partial_with_one_extra_contribution_and_one_reversal_by_the_admin(self):
        apbd = Pledge.objects.get(fund=self.fund, channel="apbd")
        self.assertEqual(funds.pledge_received(apbd), Decimal(60_000_000))  # of 120,000,000
        self.assertEqual(funds.pledge_received(Pledge.objects.get(fund=self.fund, channel="natura")), 27_500_000)
        extra = LedgerEntry.objects.get(fund=self.fund, extra_contribution=True)
        self.assertEqual(extra.pledge.channel, "dana_desa")
        reversal = LedgerEntry.objects.get(fund=self.fund, kind=LedgerEntry.Kind.REVERSAL)
        self.assertEqual(reversal.amount, -reversal.reverses.amount)
        self.assertTrue(reversal.note)
        self.assertEqual(reversal.actor.email, "admin@serang.mitrasehat.id")
        receipts = LedgerEntry.objects.filter(fund=self.fund, kind=LedgerEntry.Kind.RECEIPT)
        self.assertFalse(receipts.filter(reference="").exists())

    def test_tjsl_instalment_is_overdue_and_the_daily_job_reminds(self):
        today = timezone.localdate()
        lines = fund_statement(fund=self.fund, today=today).contributors
        overdue = {line.pledge.channel: line.overdue for line in lines}
        self.assertEqual(overdue["csr_tjsl"], Decimal(40_000_000))  # 150,000,000 due, 110,000,000 received
        self.assertEqual(overdue["apbd"] + overdue["dana_desa"] + overdue["natura"], 0)
        funds.funds_run_daily(tenant=self.tenant, today=today)
        reminders = Notification.objects.filter(kind=Notification.Kind.PLEDGE_OVERDUE)
        self.assertTrue(reminders.exists())
        # Krakatau's TJSL instalment, and the clinic's pledge to the DPPM TB network (the second demo fund).
        self.assertEqual({n.params["organization"] for n in reminders}, {KRAKATAU, "Klinik Pratama Medika Cikande"})

    def test_disbursements_in_every_state_with_two_people_each(self):
        disbursements = list(Disbursement.objects.filter(fund=self.fund).select_related("requested_by"))
        self.assertEqual(
            Counter(d.status for d in disbursements), {D.PAID: 3, D.APPROVED: 1, D.REQUESTED: 3, D.REJECTED: 1}
        )
        for d in disbursements:
            self.assertEqual(d.requested_by.email, "koordinator.anyar@serang.mitrasehat.id")
            self.assertNotEqual(d.approved_by_id, d.requested_by_id)
        today = timezone.localdate()
        for d in disbursements:
            if d.status == D.PAID:
                self.assertTrue(d.payment_reference)
                self.assertLess(d.paid_on, today)
            elif d.status == D.REQUESTED:
                self.assertTrue(today < d.planned_on <= today + datetime.timedelta(days=60))
            elif d.status == D.REJECTED:
                self.assertTrue(d.rejection_reason)

    def test_one_request_above_the_threshold_waits_for_an_administrator(self):
        waiting = Disbursement.objects.get(
            fund=self.fund, status=D.REQUESTED, approved_by__isnull=False, admin_approved_by__isnull=True
        )
        self.assertGreater(waiting.amount, self.tenant.disbursement_admin_threshold)
        approver = Membership.objects.get(tenant=self.tenant, user=waiting.approved_by)
        self.assertEqual(approver.role, Role.MANAGER)

    def test_second_seed_changes_nothing(self):
        models = [
            Organization, Party, User, Membership, Agreement, Program,
            Fund, Pledge, PledgeInstallment, LedgerEntry, Disbursement,
        ]  # fmt: skip

        def counts():
            return {model.__name__: model.objects.count() for model in models} | {
                "balance": Fund.objects.get(pk=self.fund.pk).balance
            }

        before = counts()
        seed_demo()
        self.assertEqual(counts(), before)
