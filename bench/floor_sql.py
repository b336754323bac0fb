"""The floors of the pages: plain SQL for the figures each page needs, nothing else (no
sessions, membership, permissions, templates). Where the schema keeps denormalised figures
(``programs_indicator.achieved``, ``programs_reportingperiod.reports_received``) the floor
reads them, as the page may; otherwise it derives them from the progress updates."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Statement:
    label: str
    sql: str
    params: tuple


def has_column(table: str, column: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.columns WHERE table_name = %s AND column_name = %s", [table, column]
        )
        return cursor.fetchone() is not None


_BASELINE = "COALESCE(i.baseline, 0)"
# An indicator's progress towards its target, clamped to 0…1.2 (as the dashboard defines it).
_PROGRESS = f"""LEAST(GREATEST(CASE
    WHEN i.direction = 'down' AND i.target <> {_BASELINE} THEN ({_BASELINE} - a.achieved) / ({_BASELINE} - i.target)
    WHEN i.direction = 'down' THEN CASE WHEN a.achieved <= i.target THEN 1 ELSE 0 END
    WHEN i.target <> {_BASELINE} THEN (a.achieved - {_BASELINE}) / (i.target - {_BASELINE})
    ELSE CASE WHEN a.achieved >= i.target THEN 1 ELSE 0 END END, 0), 1.2)"""
_ACHIEVED_DENORMALISED = "LATERAL (SELECT i.achieved) a"
_ACHIEVED_FROM_UPDATES = (
    "LATERAL (SELECT sum(u.value) AS achieved FROM programs_progressupdate u "
    "WHERE u.indicator_id = i.id AND u.status = 'approved') a"
)


def dashboard(tenant, today: datetime.date) -> tuple[list[Statement], str]:
    """Agreement counts by type × status, the active programs' mean indicator progress, the
    reporting counts (periods due this quarter × updates submitted) and the ledger sums."""
    quarter_start = datetime.date(today.year, (today.month - 1) // 3 * 3 + 1, 1)
    achieved_stored = has_column("programs_indicator", "achieved")
    counts_stored = has_column("programs_reportingperiod", "reports_received")
    grace = datetime.timedelta(days=tenant.reporting_grace_days)
    active_periods = (
        "FROM programs_reportingperiod rp JOIN programs_program p ON p.id = rp.program_id AND p.tenant_id = rp.tenant_id "
        "WHERE rp.tenant_id = %s AND p.status = 'active' AND rp.due_on >= %s AND rp.due_on < %s"
    )
    if counts_stored:
        received = Statement(
            "reports received and on time per program",
            f"SELECT rp.program_id, sum(rp.reports_received), sum(rp.reports_on_time) {active_periods} "
            "GROUP BY rp.program_id",
            (tenant.pk, quarter_start, today),
        )
    else:
        received = Statement(
            "reports received and on time per program",
            "SELECT rp.program_id, count(*), count(*) FILTER (WHERE (u.submitted_at AT TIME ZONE %s)::date "
            "<= rp.due_on + %s) FROM programs_progressupdate u JOIN programs_reportingperiod rp ON rp.id = u.period_id "
            "JOIN programs_program p ON p.id = rp.program_id WHERE rp.tenant_id = %s AND p.status = 'active' "
            "AND rp.due_on >= %s AND rp.due_on < %s AND u.submitted_at IS NOT NULL GROUP BY rp.program_id",
            (tenant.time_zone, grace, tenant.pk, quarter_start, today),
        )
    statements = [
        Statement(
            "agreements by type × status (+ ending within 90 days)",
            "SELECT partnership_type, status, count(*), count(*) FILTER (WHERE status IN ('active', 'suspended') "
            "AND ends_on BETWEEN %s AND %s) FROM partnerships_agreement WHERE tenant_id = %s GROUP BY 1, 2",
            (today, today + datetime.timedelta(days=90), tenant.pk),
        ),
        Statement(
            "active programs' mean indicator progress",
            # only constant fragments are interpolated; values go in as parameters
            f"SELECT p.id, p.starts_on, p.ends_on, avg({_PROGRESS}) FROM programs_program p "  # noqa: S608
            "LEFT JOIN programs_indicator i ON i.program_id = p.id AND i.tenant_id = %s "
            f"LEFT JOIN {_ACHIEVED_DENORMALISED if achieved_stored else _ACHIEVED_FROM_UPDATES} ON true "
            "WHERE p.tenant_id = %s AND p.status = 'active' GROUP BY p.id",
            (tenant.pk, tenant.pk),
        ),
        Statement(
            "reports expected per program (periods due this quarter × indicators × implementers)",
            # counted per table first, then multiplied: no row per expected report
            "WITH due AS (SELECT program_id, frequency, count(*) AS n FROM programs_reportingperiod "
            "WHERE tenant_id = %s AND due_on >= %s AND due_on < %s GROUP BY 1, 2), "
            "ind AS (SELECT program_id, frequency, count(*) AS n FROM programs_indicator WHERE tenant_id = %s "
            "GROUP BY 1, 2), "
            "imp AS (SELECT program_id, count(*) AS n FROM programs_programimplementer WHERE tenant_id = %s GROUP BY 1) "
            "SELECT due.program_id, sum(due.n * ind.n * imp.n) FROM due JOIN ind USING (program_id, frequency) "
            "JOIN imp USING (program_id) JOIN programs_program p ON p.id = due.program_id AND p.status = 'active' "
            "GROUP BY due.program_id",
            (tenant.pk, quarter_start, today, tenant.pk, tenant.pk),
        ),
        received,
        Statement("money pledged", "SELECT sum(amount) FROM programs_pledge WHERE tenant_id = %s", (tenant.pk,)),
        Statement(
            "ledger sums (balance, received, disbursed, in the quarter)",
            "SELECT sum(amount), sum(amount) FILTER (WHERE disbursement_id IS NULL), "
            "sum(amount) FILTER (WHERE disbursement_id IS NOT NULL), "
            "sum(amount) FILTER (WHERE disbursement_id IS NULL AND occurred_on BETWEEN %s AND %s), "
            "sum(amount) FILTER (WHERE disbursement_id IS NOT NULL AND occurred_on BETWEEN %s AND %s) "
            "FROM programs_ledgerentry WHERE tenant_id = %s",
            (quarter_start, today, quarter_start, today, tenant.pk),
        ),
    ]
    variant = (
        f"achievement from {'programs_indicator.achieved' if achieved_stored else 'summed approved updates'}; "
        f"reports received from {'programs_reportingperiod counts' if counts_stored else 'counted updates'}"
    )
    return statements, variant


def agreement_list(tenant) -> tuple[list[Statement], str]:
    return [
        Statement(
            "first page of agreements",
            "SELECT id, number, title, kind, partnership_type, status, starts_on, ends_on FROM partnerships_agreement "
            "WHERE tenant_id = %s ORDER BY created_at DESC, id DESC LIMIT 20",
            (tenant.pk,),
        ),
        Statement("agreement count", "SELECT count(*) FROM partnerships_agreement WHERE tenant_id = %s", (tenant.pk,)),
    ], "page of 20 + count"


def program_detail(tenant, program_id: int) -> tuple[list[Statement], str]:
    return [
        Statement(
            "the program", "SELECT * FROM programs_program WHERE tenant_id = %s AND id = %s", (tenant.pk, program_id)
        ),
        Statement(
            "its indicators",
            "SELECT * FROM programs_indicator WHERE tenant_id = %s AND program_id = %s ORDER BY code",
            (tenant.pk, program_id),
        ),
        Statement(
            "their approved updates",
            "SELECT u.indicator_id, u.period_id, u.organization_id, u.value FROM programs_progressupdate u "
            "JOIN programs_indicator i ON i.id = u.indicator_id "
            "WHERE u.tenant_id = %s AND i.program_id = %s AND u.status = 'approved'",
            (tenant.pk, program_id),
        ),
    ], "program + indicators + approved updates"


def run(statements: list[Statement]) -> int:
    """Execute and fetch every statement; the number of rows read."""
    rows = 0
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement.sql, statement.params)
            rows += len(cursor.fetchall())
    return rows
