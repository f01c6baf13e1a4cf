"""Wiring: builds the services once and hands them to the views (the only non-GUI Qt user)."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pser_desk.commands.base import Context

log = logging.getLogger(__name__)

DEMO_MANAGER = ("demo", "demo-desk-2024")
DEMO_OPERATOR = ("op1", "operator-desk-2024")


@dataclass
class Services:
    """What ``run`` built; ``close()`` undoes it in reverse order."""

    backend: Any
    demo_credentials: tuple[str, str] | None = None
    closers: list[Any] = field(default_factory=list)

    def close(self) -> None:
        for closer in reversed(self.closers):
            try:
                closer()
            except Exception:
                log.exception("closing a service failed")


def build_services(ctx: Context, demo: bool) -> Services:
    """The backend the views talk to (the store-backed one once the store is wired)."""
    from pser_desk.gui.memory_backend import MemoryBackend

    backend = MemoryBackend()
    services = Services(backend=backend, closers=[backend.close])
    if demo:
        backend.enroll("http://127.0.0.1/demo", "LHR-0042", "DEMO-TOKEN")
        backend.create_manager(DEMO_MANAGER[0], "Demo Manager", DEMO_MANAGER[1])
        services.demo_credentials = DEMO_MANAGER
    return services


def build_controller(services: Services, data_dir: Path, qt_app: Any) -> Any:
    from pser_desk.gui.i18n import LanguageManager
    from pser_desk.gui.registration import attach_registration
    from pser_desk.gui.settings import load_settings
    from pser_desk.gui.shell import DeskController
    from pser_desk.gui.tasks import TaskRunner

    runner = TaskRunner()
    languages = LanguageManager(qt_app, cache_dir=data_dir / "translations")
    controller = DeskController(
        services.backend,
        runner,
        languages,
        load_settings(data_dir),
        data_dir,
        services.demo_credentials,
    )
    attach_registration(controller)
    services.closers.insert(0, runner.shutdown)
    return controller


def run(ctx: Context, demo: bool = False) -> int:
    from PySide6.QtWidgets import QApplication

    from pser_desk.gui.logsetup import configure_file_logging, route_qt_messages

    data_dir = ctx.ensure_data_dir()
    log_file = configure_file_logging(data_dir)
    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    route_qt_messages()
    qt_app.setApplicationName("PSER Desk")
    log.info("starting the desk (demo=%s); log file %s", demo, log_file.name)
    services = build_services(ctx, demo)
    try:
        controller = build_controller(services, data_dir, qt_app)
        controller.start()
        code = int(qt_app.exec())
        controller.shutdown()
    finally:
        services.close()
    log.info("desk closed with code %s", code)
    return code
