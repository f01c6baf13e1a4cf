"""The loop with central as the window and the commands see it (issue 16): this PC's
link (``info``), central's configuration in force and its notice, households central
rejected, a manager dealing with one (dismiss) or starting a new registration from it.

The sending itself (verdict questions, heartbeat, retention) is the sender's
(:mod:`pser_desk.desk.upkeep`, under the sender lease).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from pser_desk import __version__
from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.model import FormRef, LoginResult, OpenedRecord
from pser_desk.desk.records import Records, unstamp
from pser_desk.desk.sending import Sender
from pser_desk.desk.sessions import manager
from pser_desk.domain.central_config import DEFAULT_CONFIG, CentralConfig
from pser_desk.domain.records import RecordSummary, rfc3339
from pser_desk.domain.verdict import VerdictStatus
from pser_desk.store import StoreService
from pser_desk.store.lease import LeaseHolder


@dataclass(frozen=True)
class LinkInfo:
    """``pser-desk info --json``: what central and this PC know of each other."""

    app_version: str
    device_id: str | None
    centre_code: str | None
    config: CentralConfig
    config_source: str  # "default" | "central"
    last_heartbeat_at: datetime | None
    sender: LeaseHolder | None

    @property
    def update_required(self) -> bool:
        return self.config.update_required(self.app_version)

    def as_json(self) -> dict[str, object]:
        sender = None
        if self.sender is not None:
            sender = {"kind": self.sender.kind, "pid": self.sender.pid,
                      "since": rfc3339(self.sender.since)}  # fmt: skip
        return {
            "app_version": self.app_version,
            "device_id": self.device_id,
            "centre_code": self.centre_code,
            "config": self.config.to_json(),
            "config_source": self.config_source,
            "last_heartbeat_at": rfc3339(self.last_heartbeat_at),
            "sender": sender,
        }


class Loop:
    def __init__(
        self, store: StoreService, records: Records, sender: Sender, app_version: str = __version__
    ) -> None:
        self._store, self._records, self._sender = store, records, sender
        self._app_version = app_version

    def info(self) -> LinkInfo:
        with desk_errors():
            identity = self._store.device.current()
            holder = self._sender.holder()
            if identity is None:
                return LinkInfo(self._app_version, None, None, DEFAULT_CONFIG, "default",
                                None, holder)  # fmt: skip
            state = self._store.central_state.load(identity.device_id)
        return LinkInfo(self._app_version, identity.device_id, identity.centre_code,
                        state.config, state.source, state.last_heartbeat_at, holder)  # fmt: skip

    def rejected(self, *, open_only: bool = True) -> list[RecordSummary]:
        """Households central rejected (those no manager has dealt with yet), oldest first."""
        with desk_errors():
            found = self._store.records.list(states=None)
        return [s for s in found if s.verdict is VerdictStatus.REJECTED
                and (s.dismissed_at is None or not open_only)]  # fmt: skip

    def dismiss(self, login: LoginResult, submission_id: str) -> RecordSummary:
        """A manager marks a rejected household dealt with (audited)."""
        by = manager(login)
        with desk_errors():
            self._store.verdicts.dismiss(submission_id, by=by)
            return self._store.records.get(submission_id)

    def redo(self, login: LoginResult, submission_id: str) -> OpenedRecord:
        """A new registration prefilled from a rejected household's local copy, under a new
        submission id, saved as the manager's draft; the rejected one is marked dealt with
        when the new one is queued."""
        by = manager(login)
        with desk_errors():
            summary = self._store.records.get(submission_id)
            if not summary.open_rejection:
                raise DeskError(
                    ErrorCode.RECORD_NOT_REJECTED,
                    f"record {submission_id} is not a rejected household waiting for a manager",
                )
            content = self._store.records.load(submission_id, by)
            named, parts = unstamp(content)
            new_id = self._records.new_submission_id()
            form = named or FormRef(summary.form_id, summary.form_version)
            self._store.records.save_draft(
                {"submission_id": new_id, "form_id": form.form_id,
                 "form_version": form.version, **parts},
                operator_id=by.operator_id, login=by, redo_of=submission_id,
            )  # fmt: skip
        return OpenedRecord(new_id, form, parts)

    def update_required(self) -> bool:
        return self.info().update_required
