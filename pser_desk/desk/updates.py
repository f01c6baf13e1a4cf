"""This PC updating itself, as the window asks for it (issue 17): the application layer's
face of :class:`pser_desk.update.flow.UpdateFlow` (checks, the download a slice at a time,
the install and what runs once the window has closed). Qt-free; every call but
:attr:`Updates.status` and :attr:`Updates.more` blocks (the network lane)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from pser_desk.desk.settings import SettingsStore
from pser_desk.update.flow import Outcome, Phase, UpdateFlow, UpdateStatus, desk_flow

__all__ = ["Outcome", "Phase", "Updates", "UpdatesApi", "UpdateStatus", "open_updates"]


class UpdatesApi(Protocol):
    @property
    def status(self) -> UpdateStatus: ...
    @property
    def more(self) -> bool: ...
    def poll(
        self, cancelled: Callable[[], bool] | None = None, *, now: bool = False
    ) -> UpdateStatus: ...
    def install(self) -> Outcome | None: ...


class Updates:
    """The updater of one data folder (:func:`open_updates`), or of a given flow (tests)."""

    def __init__(self, flow: UpdateFlow) -> None:
        self._flow = flow

    @property
    def status(self) -> UpdateStatus:
        return self._flow.status

    @property
    def more(self) -> bool:
        return self._flow.more

    def poll(
        self, cancelled: Callable[[], bool] | None = None, *, now: bool = False
    ) -> UpdateStatus:
        return self._flow.poll(cancelled, now=now)

    def install(self) -> Outcome | None:
        return self._flow.install()


def open_updates(data_dir: Path, db_url: str | None) -> Updates:
    """The updater of this PC: its data folder and database, central's TLS options as
    this PC keeps them, the program it runs from."""
    tls = SettingsStore(data_dir).central_tls()
    return Updates(desk_flow(data_dir, db_url, tls.ca_bundle, tuple(tls.pins)))
