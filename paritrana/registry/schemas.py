"""Input described once: the API takes these schemas as JSON, the pages read their forms with them
(core/forms.py ``read_form``)."""

from __future__ import annotations

from datetime import date

from ninja import Field, Schema


class MembershipEnd(Schema):
    valid_until: date
    reason: str = Field("", description="resigned, dismissed, contract_ended, retired, died, other")


class MembershipEndPageIn(MembershipEnd):
    """The page asks for the reason and a confirmation: ending a membership stops its cover."""

    confirm: bool = False


END_LABELS = {"valid_until": "Tanggal berakhir", "reason": "Alasan"}
