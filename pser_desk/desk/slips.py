"""Acknowledgement slips: rendered in memory, signed with this PC's device key, audited.

The slip shows the head's name, so only a signed-in operator gets it (the record is
opened with their key) and the window never writes it to disk (the command line writes
it where the manager asks). A second print of the same record is marked REPRINT.
"""

from __future__ import annotations

from pathlib import Path

from pser_desk.desk.errors import DeskError, ErrorCode
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.model import LoginResult, Slip
from pser_desk.desk.sessions import signed_in
from pser_desk.domain.enrolment import SigningKey
from pser_desk.domain.receipt import ReceiptError, parse_receipt
from pser_desk.security.device import DeviceKey, DeviceKeyError
from pser_desk.store import StoreService

PAPERS = ("a4", "80mm")


class Slips:
    def __init__(self, store: StoreService, data_dir: Path) -> None:
        self._store, self._data_dir = store, data_dir

    def make(self, login: LoginResult, receipt_no: str, paper: str = "a4") -> Slip:
        """The slip of *receipt_no* on *paper* (``a4`` or ``80mm``)."""
        from pser_desk.documents.slip import Paper
        from pser_desk.documents.slip_service import SlipUnavailable, make_slip

        session = signed_in(login)
        try:
            receipt = str(parse_receipt(receipt_no))
        except ReceiptError as exc:
            raise DeskError(ErrorCode.RECEIPT_INVALID, str(exc)) from None
        try:
            key = DeviceKey.load(self._data_dir)
        except DeviceKeyError as exc:
            raise DeskError(ErrorCode.SLIP_NO_DEVICE_KEY, f"cannot sign the slip: {exc}") from None
        chosen: Paper = "80mm" if paper == "80mm" else "a4"
        with desk_errors():
            try:
                made = make_slip(self._store, session, receipt, paper=chosen, signer=key)
            except SlipUnavailable as exc:
                raise DeskError(ErrorCode.SLIP_UNAVAILABLE, str(exc)) from None
        return Slip(made.pdf, made.receipt_no, made.submission_id, made.reprint, made.paper)

    def signing_history(self) -> tuple[str | None, dict[str, SigningKey]]:
        """(this PC's device id, every signing key this database knows by device id): what
        ``verify-slip`` checks a slip printed before a re-enrolment with."""
        with desk_errors():
            identity = self._store.device.current()
            keys = {key.device_id: key for key in self._store.device.signing_keys()}
        return (identity.device_id if identity else None), keys
