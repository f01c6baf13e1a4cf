"""The dashboard's figures: today's registrations, the queue, the connection to central,
households central rejected, the district office's notice, an update required, and who
is sending the queue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from pser_desk.desk.loop import Loop
from pser_desk.desk.model import Correction, DashboardData, LoginResult, Rejection, SenderNow
from pser_desk.desk.records import ATTENTION, Records, item
from pser_desk.desk.sending import Sender
from pser_desk.desk.sessions import signed_in
from pser_desk.domain.dates import PAKISTAN_TIME
from pser_desk.domain.verdict import ReasonCode


class Dashboard:
    def __init__(
        self, records: Records, sender: Sender, clock: Callable[[], datetime], loop: Loop
    ) -> None:
        self._records, self._sender, self._clock = records, sender, clock
        self._loop = loop

    def figures(self, login: LoginResult) -> DashboardData:
        me = signed_in(login).operator_id
        counts = self._records.counts()
        today = self._clock().astimezone(PAKISTAN_TIME).date()
        low = datetime.combine(today, time(0), PAKISTAN_TIME).astimezone(UTC)
        mine, centre, last_ack = self._records.queued_between(low, low + timedelta(days=1), me)
        corrections = tuple(
            Correction(c.submission_id, c.receipt_no or "", c.corrections)
            for c in self._records.corrections()
        )
        rejections = tuple(
            Rejection(r.submission_id, r.receipt_no or "", r.reason_code or ReasonCode.OTHER,
                      r.reason, r.decided_at)
            for r in self._loop.rejected()
        )  # fmt: skip
        info = self._loop.info()
        holder = info.sender
        sender = None if holder is None else SenderNow(holder.kind, holder.pid, holder.host,
                                                         holder.since)  # fmt: skip
        attention = tuple(item(s) for s in self._records.summaries(states=ATTENTION, limit=50))
        state = self._sender.state()
        connection = state.connection.value if state else "unknown"
        return DashboardData(
            mine_today=mine,
            centre_today=centre,
            counts=dict(counts.by_state),
            oldest_unsent_s=counts.oldest_unsent_age_s,
            corrections=corrections,
            online=None if connection == "unknown" else connection == "online",
            last_sync=(state.last_success_at if state else None) or last_ack,
            connection=connection,
            paused_until=state.paused_until if state else None,
            rejections=rejections,
            notice=info.config.message,
            update_required=info.update_required,
            sender=sender,
            attention=attention,
        )
