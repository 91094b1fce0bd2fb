"""The mail job (Procrastinate): every minute, send what the outbox holds (services.mail_send)."""

from __future__ import annotations

from procrastinate.contrib.django import app

from .services import mail_send


@app.periodic(cron="* * * * *", periodic_id="mail-send")
@app.task(queue="mail", lock="mail-send", queueing_lock="mail-send")
def mail_send_every_minute(timestamp: int) -> None:
    mail_send(limit=5000)
