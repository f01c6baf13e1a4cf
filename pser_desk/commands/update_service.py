"""``pser-desk update service``: the PSER Desk Updater's own command line (Windows).

The service manager gives a starting service only so long to connect to it (30 s on
Windows, 10 s under Wine) before it gives up on the start, or kills the process. A centre's
PC, busy or with an antivirus reading every module, can take that long to import the desk.
So the command line reaches the dispatcher first (:func:`pser_desk.cli.main` sends
``[--data-dir DIR] update service`` here before it builds its parser, importing only this
module and :mod:`pser_desk.update.windows_service`, which is ctypes), and the request's work
imports what it needs once the service runs.
"""

from __future__ import annotations

import sys

from pser_desk.commands.base import CliError, Context

SERVICE_ARGS = ["update", "service"]


def is_service_command(argv: list[str]) -> bool:
    """True for the service's command line: ``[--data-dir DIR] update service``."""
    return argv == SERVICE_ARGS or (
        len(argv) == 4 and argv[0] == "--data-dir" and argv[2:] == SERVICE_ARGS
    )


def run(ctx: Context) -> int:
    if sys.platform != "win32":
        raise CliError("the updater service runs on Windows only")
    from pser_desk.update import windows_service

    windows_service.dispatch(serve_request)
    return 0


def serve_request(args: list[str]) -> None:
    """One request (the service's start arguments), on the service's thread."""
    from pser_desk.update.install import Installation
    from pser_desk.update.machine import Request, machine_dir, serve

    installation = Installation.running()
    if installation is None:
        raise RuntimeError("the updater service runs from an installed pser-desk only")
    serve(Request.parse(args), installation, machine_dir())
