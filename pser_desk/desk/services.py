"""The application layer built once: :func:`open_desk` (the window's ``app.py`` and every
command go through it).

A :class:`Desk` holds the store and the services on it, each by name. *clock* is the one
time source of the services (tests inject theirs); *sender* names who sends the queue
from this process (the sender lease's holder kind).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from pser_desk.desk.accounts import Accounts
from pser_desk.desk.dashboard import Dashboard
from pser_desk.desk.enrolment import Enrolment
from pser_desk.desk.failures import desk_errors
from pser_desk.desk.forms import Forms
from pser_desk.desk.loop import Loop
from pser_desk.desk.maintenance import Maintenance
from pser_desk.desk.records import Records
from pser_desk.desk.reports import Reports
from pser_desk.desk.sending import Sender
from pser_desk.desk.sessions import Sessions
from pser_desk.desk.settings import SettingsStore
from pser_desk.desk.slips import Slips
from pser_desk.domain.dates import pakistan_date
from pser_desk.security.passwords import PRODUCTION_PARAMS, ScryptParams
from pser_desk.store import StoreService
from pser_desk.store.operators import utc_now
from pser_desk.sync.worker import Backoff


@dataclass
class Desk:
    """The services of one open database, for one PC's data folder."""

    store: StoreService
    data_dir: Path
    clock: Callable[[], datetime]
    settings: SettingsStore
    sessions: Sessions
    accounts: Accounts
    enrolment: Enrolment
    forms: Forms
    records: Records
    sending: Sender
    dashboard: Dashboard
    slips: Slips
    reports: Reports
    maintenance: Maintenance
    loop: Loop

    @classmethod
    def on(
        cls, store: StoreService, data_dir: Path, *, clock: Callable[[], datetime] = utc_now,
        sender: str = "window", backoff: Backoff | None = None, device_name: str | None = None,
    ) -> Desk:  # fmt: skip
        """The services on an open *store*."""
        settings = SettingsStore(data_dir)
        sending = Sender(store, data_dir, settings, kind=sender, backoff=backoff, clock=clock)
        settings.add_listener(sending.reset)  # central's TLS options may have changed
        forms = Forms(store, sending.client)
        sending.form_versions = forms.version_names
        records = Records(store, forms)
        loop = Loop(store, records, sending)
        return cls(
            store, data_dir, clock, settings, Sessions(store, clock), Accounts(store),
            Enrolment(store, data_dir, settings, device_name=device_name, changed=sending.reset,
                      clock=clock),
            forms, records, sending, Dashboard(records, sending, clock, loop), Slips(store, data_dir),
            Reports(store), Maintenance(store), loop,
        )  # fmt: skip

    def today(self) -> date:
        """Today in Pakistan, by the desk's clock (ages, receipt numbers, reports)."""
        return pakistan_date(self.clock())

    def close(self) -> None:
        """Stop sending and close the database."""
        self.sending.close()
        self.store.close()


def open_desk(
    db_url: str | None,
    data_dir: Path,
    *,
    password_cost: ScryptParams = PRODUCTION_PARAMS,
    clock: Callable[[], datetime] = utc_now,
    sender: str = "window",
    backoff: Backoff | None = None,
    device_name: str | None = None,
) -> Desk:
    """Open this PC's database (SQLite in *data_dir* unless *db_url*) and build the desk."""
    with desk_errors():
        store = StoreService.open(db_url, data_dir, password_cost=password_cost, clock=clock)
    try:
        with desk_errors():
            store.device.adopt_legacy()  # a PC enrolled by an older version: the row keeps it
        return Desk.on(store, data_dir, clock=clock, sender=sender, backoff=backoff,
                       device_name=device_name)  # fmt: skip
    except BaseException:
        store.close()
        raise


def has_database(db_url: str | None, data_dir: Path) -> bool:
    """Whether this PC has a database to open (a PostgreSQL URL always counts): tools that
    only read, such as ``verify-slip``, must not make an empty one."""
    from pser_desk.store.engine import DB_FILENAME

    return db_url is not None or (data_dir / DB_FILENAME).exists()
