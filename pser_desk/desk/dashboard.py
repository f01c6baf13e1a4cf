"""The dashboard's figures: today's registrations, the queue, the connection to central."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, time, timedelta

from pser_desk.desk.model import Correction, DashboardData, LoginResult
from pser_desk.desk.records import ATTENTION, Records, item
from pser_desk.desk.sending import Sender
from pser_desk.desk.sessions import signed_in
from pser_desk.domain.dates import PAKISTAN_TIME


class Dashboard:
    def __init__(self, records: Records, sender: Sender, clock: Callable[[], datetime]) -> None:
        self._records, self._sender, self._clock = records, sender, clock

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
            attention=attention,
        )
