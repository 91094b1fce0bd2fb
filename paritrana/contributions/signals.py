"""What the contribution engine tells the apps built on it, without knowing them.

``bills_paid`` is sent inside the transaction that paid the bills (after their allocations), with
``bill_ids``: the bills that became paid in full. Benefits credits their JHT then (issue 27: the
balance grows as payments arrive, not when someone runs a job).
"""

from __future__ import annotations

from django.dispatch import Signal

bills_paid = Signal()
