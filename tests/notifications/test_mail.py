"""E-mail notifications through a real SMTP server (issue 30 §6): the uploader whose enrolment finished,
the claimant whose claim changed state, the payer of a bill that became overdue. Written to the outbox in
the transaction of the change, so nothing is told of a change that rolled back; sent from it once; kept
while the mail server is down and sent when it is back; two senders at once send each message once."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from email.message import EmailMessage, Message
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from paritrana.accounts.services import user_provision
from paritrana.benefits import services as claims
from paritrana.contributions.batch.billing import billing_run
from paritrana.contributions.batch.overdue import overdue_notify
from paritrana.contributions.models import Bill
from paritrana.core.actors import system_actor
from paritrana.core.money import format_rupiah
from paritrana.demo.synth.load import load_geography
from paritrana.demo.synth.sponsor_lists import sponsor_list
from paritrana.enrolment import services as enrolment
from paritrana.notifications.models import Outbox
from paritrana.notifications.services import mail_send
from tests.benefits.conftest import bill_and_pay
from tests.conftest import FLUSHABLE_APPS
from tests.notifications.conftest import REFUSED_DOMAIN, SmtpServer

pytestmark = pytest.mark.django_db


def _body(message: Message) -> str:
    assert isinstance(message, EmailMessage)  # parsed with email.policy.default (conftest.py)
    return str(message.get_content())


def _address(user: User, address: str) -> None:
    user.email = address
    user.save(update_fields=["email"])


def test_the_uploader_hears_once_that_the_list_is_enrolled_with_its_counts(
    world: dict[str, Any], smtp: SmtpServer
) -> None:
    operator = world["users"]["sponsor"]
    _address(operator, "operator.apbd@kukar.test")
    listed = sponsor_list(load_geography(["64"]), rows=40, regency="64.02", seed=31, defect_share=0.1)
    upload = enrolment.upload_create(
        actor=operator, channel="page", content=listed.csv_bytes(), file_name="daftar-rt.csv",
        sponsor_code="APBD-UJI-64.02",
    )  # fmt: skip
    assert not Outbox.objects.exists()  # checked, not yet enrolled: nothing to tell
    done = enrolment.upload_run(actor=operator, upload_id=upload.pk)
    assert done.applied == len(listed.valid_lines) > 0
    assert mail_send() == {"sent": 1, "refused": 0, "failed": 0, "waiting": 0}
    [message] = smtp.mailbox.to("operator.apbd@kukar.test")
    assert (
        message["Subject"].strip()
        == f"Pendaftaran massal nomor {upload.pk} selesai: {done.applied} peserta didaftarkan"
    )
    assert message["From"] == "Paritrana <noreply@paritrana.test>"
    text = _body(message)
    assert '"daftar-rt.csv"' in text and f"Didaftarkan             : {done.applied}" in text
    assert f"Tidak valid (ditolak)   : {done.invalid}" in text and f"/pendaftaran/{upload.pk}/" in text
    # Applying the finished upload again, or sending again, tells nothing more.
    enrolment.upload_run(actor=operator, upload_id=upload.pk)
    assert mail_send()["sent"] == 0 and len(smtp.mailbox.messages) == 1


def test_the_claimant_hears_each_state_of_the_claim_and_staff_do_not(world: dict[str, Any], smtp: SmtpServer) -> None:
    admin = world["users"]["admin"]
    worker = user_provision(
        actor=system_actor(), username="t.pekerja.bpn", password="pw-pekerja-123", role="participant",
        person=world["bpn_person"],
    )  # fmt: skip
    _address(worker, "pekerja@bpn.test")
    _address(admin, "admin@paritrana.test")  # the officer who submits and decides is not told
    bill_and_pay(admin, "employer", world["bpn_employer"].pk, ["2026-10"], [date(2026, 11, 9)])
    [claim] = claims.claim_submit(
        actor=admin, person_id=world["bpn_person"].pk, benefit="JKK_STMB", event_date=date(2026, 11, 2),
        details={"stmb_months": 2, "payee_bank": "Mandiri", "payee_account": "1410000555"},
    )  # fmt: skip
    claims.claim_documents_receive(
        actor=admin, claim_id=claim.pk, codes=list(claim.documents.values_list("code", flat=True))
    )
    verified = claims.claim_verify(actor=admin, claim_id=claim.pk)
    claims.claim_approve(actor=admin, claim_id=claim.pk)
    paid = claims.claim_pay(actor=admin, claim_id=claim.pk, paid_on=verified.due_by, reference="TRF-STMB-1")
    assert mail_send()["sent"] == 3
    assert smtp.mailbox.to("admin@paritrana.test") == []
    # (A long non-ASCII subject is folded onto the header's next line; unfolded, mail programs drop the blank.)
    subjects = [m["Subject"].strip() for m in smtp.mailbox.to("pekerja@bpn.test")]
    label = "JKK — sementara tidak mampu bekerja"
    assert subjects == [f"Klaim {label} nomor {claim.pk}: {s}" for s in ("Berkas lengkap", "Disetujui", "Dibayar")]
    approved, paid_mail = (_body(m) for m in smtp.mailbox.to("pekerja@bpn.test")[1:])
    # PP 82/2019: STMB pays 100 % of the Rp5,000,000 wage for each of the first months: two months.
    assert "Manfaat yang akan dibayarkan: Rp10.000.000." in approved
    assert f"Manfaat sebesar {format_rupiah(paid.amount)} telah dibayarkan." in paid_mail
    assert f"/klaim/{claim.pk}/" in paid_mail


def test_a_rejection_tells_the_reason_and_a_change_rolled_back_tells_nothing(
    world: dict[str, Any], smtp: SmtpServer
) -> None:
    admin = world["users"]["admin"]
    _address(world["users"]["participant"], "peserta@kukar.test")
    # Refused as it is submitted (no contribution paid for the month of the accident): told at once.
    [refused] = claims.claim_submit(
        actor=admin, person_id=world["kukar_person"].pk, benefit="JKK_STMB", event_date=date(2026, 11, 2),
        details={"stmb_months": 1, "payee_bank": "BRI", "payee_account": "0012010001"},
    )  # fmt: skip
    assert refused.state == "rejected"
    worker = user_provision(
        actor=system_actor(), username="t.pekerja.bpn", password="pw-pekerja-123", role="participant",
        person=world["bpn_person"],
    )  # fmt: skip
    _address(worker, "pekerja@bpn.test")
    bill_and_pay(admin, "employer", world["bpn_employer"].pk, ["2026-10"], [date(2026, 11, 9)])
    [claim] = claims.claim_submit(
        actor=admin, person_id=world["bpn_person"].pk, benefit="JKK_STMB", event_date=date(2026, 11, 2),
        details={"stmb_months": 1, "payee_bank": "Mandiri", "payee_account": "1410000555"},
    )  # fmt: skip
    assert claim.state == "submitted" and Outbox.objects.count() == 1

    class Undone(Exception):
        pass

    with pytest.raises(Undone), transaction.atomic():
        claims.claim_reject(actor=admin, claim_id=claim.pk, code="documents_invalid")
        assert Outbox.objects.count() == 2  # written with the rejection …
        raise Undone
    assert Outbox.objects.count() == 1  # … and gone with it
    claims.claim_reject(actor=admin, claim_id=claim.pk, code="documents_invalid", note="KTP tidak terbaca.")
    assert mail_send()["sent"] == 2
    [first] = smtp.mailbox.to("peserta@kukar.test")
    assert first["Subject"].strip().endswith(f"nomor {refused.pk}: Ditolak")
    assert f"Alasan: {refused.rejection_note}" in _body(first)
    [message] = smtp.mailbox.to("pekerja@bpn.test")
    assert message["Subject"].strip().endswith(": Ditolak") and "Alasan: KTP tidak terbaca." in _body(message)


def _bills(period: str) -> date:
    """Bill the month; returns the first day on which every bill of it is overdue."""
    billing_run(period)
    return max(b.due_date for b in Bill.objects.filter(period=f"{period}-01") if b.due_date) + timedelta(days=1)


def test_the_payers_of_an_overdue_bill_are_told_once_and_nobody_else(world: dict[str, Any], smtp: SmtpServer) -> None:
    users = world["users"]
    for key in ("hr", "sponsor", "kukar", "admin", "participant"):
        _address(users[key], f"{key}@uji.test")
    after = _bills("2026-10")
    hr_bill = Bill.objects.get(employer=world["bpn_employer"], period="2026-10-01")
    sponsor_bill = Bill.objects.get(sponsor=world["kukar_sponsor"], period="2026-10-01")
    # The day of the due date itself: nothing is overdue yet.
    assert overdue_notify(min(hr_bill.due_date, sponsor_bill.due_date)) == {"queued": 0}
    assert overdue_notify(after) == {"queued": 2}
    assert overdue_notify(after) == {"queued": 0} and overdue_notify(after + timedelta(days=1)) == {"queued": 0}
    assert mail_send()["sent"] == 2
    assert {rcpt[0] for rcpt, _ in smtp.mailbox.messages} == {"hr@uji.test", "sponsor@uji.test"}
    [to_hr] = smtp.mailbox.to("hr@uji.test")
    assert (
        to_hr["Subject"].strip()
        == f"Tagihan iuran Oktober 2026 lewat jatuh tempo: sisa {format_rupiah(hr_bill.amount_due)}"
    )
    text = _body(to_hr)
    assert world["bpn_employer"].name in text and hr_bill.due_date.strftime("%d/%m/%Y") in text
    assert f"Sisa            : {format_rupiah(hr_bill.amount_due)}" in text and "denda 2%" in text
    assert f"/iuran/tagihan/{hr_bill.pk}/" in text
    # A bill paid before the run is not told; bills due long ago (before the window) neither.
    Outbox.objects.all().delete()
    Bill.objects.filter(pk=hr_bill.pk).update(status="paid", paid_amount=hr_bill.amount_due)
    assert overdue_notify(after) == {"queued": 1}  # the sponsor's, unpaid still (the first rows are gone)
    Outbox.objects.all().delete()
    assert overdue_notify(after + timedelta(days=60)) == {"queued": 0}


def test_mail_waits_while_the_server_is_down_and_leaves_once_it_is_back(
    world: dict[str, Any], smtp: SmtpServer
) -> None:
    _address(world["users"]["hr"], "hr@uji.test")
    overdue = _bills("2026-10")
    smtp.stop()  # the mail server is down (connection refused)
    assert overdue_notify(overdue)["queued"] == 1
    assert mail_send() == {"sent": 0, "refused": 0, "failed": 1, "waiting": 1}
    row = Outbox.objects.get()
    assert row.attempts == 1 and row.status == "waiting" and "Connection" in row.last_error
    assert row.send_after > timezone.now()  # tried again later, not at once
    assert mail_send()["failed"] == 0  # not yet due again: no attempt
    smtp.start()
    Outbox.objects.update(send_after=timezone.now())  # its retry time has come
    assert mail_send() == {"sent": 1, "refused": 0, "failed": 0, "waiting": 0}
    assert len(smtp.mailbox.to("hr@uji.test")) == 1
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 2 and row.sent_at is not None and row.last_error == ""
    assert smtp.mailbox.to("hr@uji.test")[0]["Message-ID"] == f"<outbox-{row.pk}@127.0.0.1>"


def test_an_address_the_server_refuses_is_not_retried_and_does_not_stop_the_others(
    world: dict[str, Any], smtp: SmtpServer
) -> None:
    _address(world["users"]["hr"], f"hr@{REFUSED_DOMAIN}")
    _address(world["users"]["sponsor"], "sponsor@uji.test")
    assert overdue_notify(_bills("2026-10"))["queued"] == 2
    assert mail_send() == {"sent": 1, "refused": 1, "failed": 0, "waiting": 0}
    refused = Outbox.objects.get(to_address=f"hr@{REFUSED_DOMAIN}")
    assert refused.status == "refused" and "550" in refused.last_error
    assert len(smtp.mailbox.to("sponsor@uji.test")) == 1


@pytest.mark.django_db(transaction=True, available_apps=FLUSHABLE_APPS)
def test_two_senders_at_once_send_each_message_once(world: dict[str, Any], smtp: SmtpServer) -> None:
    users = list(User.objects.order_by("pk"))
    rows = [
        Outbox(key=f"enrolment_applied:{n}:{u.pk}", kind="enrolment_applied", user=u, to_address=f"u{n}@uji.test",
               context={"upload": n, "filename": f"f{n}.csv", "payer": "APBD", "rows": 1, "applied": 1,
                        "already_enrolled": 0, "invalid": 0})
        for n, u in enumerate(users * 10)
    ]  # fmt: skip
    Outbox.objects.bulk_create(rows)
    results: list[dict[str, int]] = []

    def send() -> None:
        try:
            results.append(mail_send())
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sum(r["sent"] for r in results) == len(rows) and len(results) == 2
    delivered = sorted(rcpt[0] for rcpt, _ in smtp.mailbox.messages)
    assert delivered == sorted(r.to_address for r in rows)  # each once
    assert Outbox.objects.filter(status="sent").count() == len(rows)


def test_the_command_sends_and_counts(world: dict[str, Any], smtp: SmtpServer, capsys: Any) -> None:
    _address(world["users"]["hr"], "hr@uji.test")
    overdue = _bills("2026-10")
    call_command("mail", "overdue", "--today", overdue.isoformat())
    assert capsys.readouterr().out.strip() == '{"queued": 1}'
    call_command("mail", "status")
    assert capsys.readouterr().out.strip() == '{"waiting": 1, "sent": 0, "refused": 0}'
    call_command("mail", "send")
    assert capsys.readouterr().out.strip() == '{"sent": 1, "refused": 0, "failed": 0, "waiting": 0}'
    assert len(smtp.mailbox.to("hr@uji.test")) == 1


def test_no_address_no_mail_and_mail_switched_off_writes_nothing(
    world: dict[str, Any], smtp: SmtpServer, settings: Any
) -> None:
    overdue = _bills("2026-10")
    assert overdue_notify(overdue) == {"queued": 0}  # nobody gave an address
    _address(world["users"]["hr"], "hr@uji.test")
    settings.PARITRANA_MAIL_ENABLED = False  # PARITRANA_EMAIL_URL=none
    assert overdue_notify(overdue) == {"queued": 0}
    assert not Outbox.objects.exists()
