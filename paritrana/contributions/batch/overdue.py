"""``overdue_notify(today)``: tell each payer of a bill that became overdue, by e-mail (issue 30).

A bill is overdue the day after its due date while it is not paid whole (the same reading as
rules/standing.py; the due dates are the law's, regulation.md §1.7). One set-based statement writes
one outbox row per bill and per account acting for its payer (notifications/selectors.py says who);
the row's key ``bill_overdue:<bill>:<user>`` makes a second run of the same day, or of the next,
write nothing for a bill already told. Run every morning by a periodic job (tasks.py), or
``paritrana mail overdue``.

Only bills due in the last ``WINDOW_DAYS`` days are looked at: the first run on an installation does
not mail its whole history of arrears (the arrears page shows those), and the scan reads a few
monthly partitions, not all of them.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.db import connection, transaction

from paritrana.core.batch import batch_run

WINDOW_DAYS = 35

# Month names for the message (the bill's period as people say it: "Maret 2025").
_MONTHS = "ARRAY['Januari','Februari','Maret','April','Mei','Juni','Juli','Agustus','September','Oktober'," \
    "'November','Desember']"  # fmt: skip

# The three kinds of payer, each joined to the accounts acting for it (one join each, not an OR of
# three, so each uses its index).
_PAYERS = """
  SELECT b.id AS bill_id, p.user_id, 'employer' AS payer_kind, e.name AS payer
  FROM due b JOIN registry_employer e ON e.id = b.employer_id
  JOIN accounts_profile p ON p.employer_id = b.employer_id AND p.role = 'employer_hr'
  UNION ALL
  SELECT b.id, p.user_id, 'sponsor', s.name
  FROM due b JOIN registry_sponsor s ON s.id = b.sponsor_id
  JOIN accounts_profile p ON p.sponsor_id = b.sponsor_id AND p.role = 'sponsor_operator'
  UNION ALL
  SELECT b.id, p.user_id, 'person', r.full_name
  FROM due b JOIN registry_person r ON r.id = b.person_id
  JOIN accounts_profile p ON p.person_id = b.person_id AND p.role = 'participant'
"""

SQL = f"""
WITH due AS (
  SELECT id, employer_id, sponsor_id, person_id, period, due_date, amount_due, paid_amount
  FROM contributions_bill
  WHERE period >= %(first_period)s AND due_date >= %(since)s AND due_date < %(today)s
    AND status <> 'paid' AND amount_due > paid_amount
), told AS ({_PAYERS})
INSERT INTO notifications_outbox (key, kind, user_id, to_address, context)
SELECT 'bill_overdue:' || b.id || ':' || u.id, 'bill_overdue', u.id, u.email,
  jsonb_build_object(
    'bill', b.id, 'payer', t.payer, 'payer_kind', t.payer_kind, 'person', b.person_id,
    'period_label', ({_MONTHS})[extract(month FROM b.period)::int] || ' ' || extract(year FROM b.period)::int,
    'due_date', to_char(b.due_date, 'DD/MM/YYYY'),
    'amount_due', b.amount_due::text, 'paid_amount', b.paid_amount::text,
    'outstanding_amount', (b.amount_due - b.paid_amount)::text)
FROM told t JOIN due b ON b.id = t.bill_id
JOIN auth_user u ON u.id = t.user_id AND u.is_active AND u.email <> ''
ORDER BY b.id, u.id
ON CONFLICT (key) DO NOTHING
"""


def overdue_notify(today: date) -> dict[str, int]:
    """Write the outbox rows for bills overdue on ``today``; returns ``{"queued"}`` (rows written now)."""
    if not getattr(settings, "PARITRANA_MAIL_ENABLED", True):
        return {"queued": 0}
    since = today - timedelta(days=WINDOW_DAYS)
    # A month's bill falls due in the month after it at the latest: periods from two months before
    # ``since`` are enough, and the partitions before them are not read.
    first_period = date(since.year, since.month, 1) - timedelta(days=40)
    first_period = first_period.replace(day=1)
    with batch_run("bills_overdue_notify", {"today": today.isoformat()}) as run, transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(SQL, {"today": today, "since": since, "first_period": first_period})
            queued = cursor.rowcount
        run.rows = queued
    return {"queued": queued}
