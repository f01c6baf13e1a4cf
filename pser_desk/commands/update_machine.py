"""The per-machine updater's commands (Windows; docs/updates.md, "Windows").

Hidden, run by the installer and the service: ``update service-install`` / ``service-remove``
(the installer and uninstaller, as administrator), ``update service`` (the service's own
command line), ``update finish`` (from the staged copy: replaces the installation) and
``update wait`` (from the staged copy, as the desk's user: audit, then the new window).
``update status [--json]`` shows what the updater is doing or did.
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from pser_desk.commands import update_service
from pser_desk.commands.agent import stop_agent
from pser_desk.commands.base import CliError, Context, SubParsers, set_handler
from pser_desk.update.install import Installation, settle
from pser_desk.update.machine import StatusFile, finish, machine_dir, spawn_detached
from pser_desk.update.managed import audit_install, managed, wait_for
from pser_desk.update.service import Setup, UpdateService

log = logging.getLogger(__name__)


def register(update: SubParsers) -> None:
    status = update.add_parser("status", help="what the updater is doing or did")
    status.add_argument("--json", action="store_true", help="one line of JSON")
    set_handler(status, _status)
    hidden = argparse.SUPPRESS
    set_handler(update.add_parser("service", help=hidden), _service)
    set_handler(update.add_parser("service-install", help=hidden), _service_install)
    set_handler(update.add_parser("service-remove", help=hidden), _service_remove)
    finishing = update.add_parser("finish", help=hidden)
    finishing.add_argument("--into", required=True, type=Path)
    finishing.add_argument("--machine-dir", required=True, type=Path)
    finishing.add_argument("--version", required=True)
    finishing.add_argument("--request", required=True)
    finishing.add_argument("--wait-pid", type=int, default=0)
    set_handler(finishing, _finish)
    waiting = update.add_parser("wait", help=hidden)
    waiting.add_argument("--request", required=True)
    waiting.add_argument("--start", type=Path, default=None)
    waiting.add_argument("--agent", type=Path, default=None)
    set_handler(waiting, _wait)


def _installation() -> Installation:
    installation = Installation.running()
    if installation is None:
        raise CliError("this command runs from an installed pser-desk only")
    return installation


def _status(args: argparse.Namespace, ctx: Context) -> int:
    if managed():
        status = asdict(StatusFile(machine_dir()).read())
    else:
        item = UpdateService(Setup(ctx.data_dir, ctx.db_url)).pending()
        status = {
            "phase": "downloaded" if item else "idle",
            "version": item.version if item else None,
        }
    if args.json:
        ctx.print_json(status)
    else:
        ctx.stdout.write(
            " ".join(f"{k}={v}" for k, v in status.items() if v not in ("", None, 0)) + "\n"
        )
    return 0


def _service(args: argparse.Namespace, ctx: Context) -> int:
    # Reached only with other global options: cli.main sends the registered command line
    # (``--data-dir DIR update service``) to update_service.run before building the parser.
    return update_service.run(ctx)


def _service_install(args: argparse.Namespace, ctx: Context) -> int:
    if sys.platform != "win32":
        raise CliError("the updater service is installed on Windows only")
    from pser_desk.security import windows_acl
    from pser_desk.update import windows_service

    folder = machine_dir()
    (folder / "updates").mkdir(parents=True, exist_ok=True)
    try:
        windows_acl.restrict_to_machine(folder)
        windows_service.register(_installation().console_program, folder / "service")
    except OSError as exc:
        raise CliError(f"the updater service could not be installed ({exc})") from None
    ctx.stdout.write(f"{windows_service.DISPLAY_NAME} installed\n")
    return 0


def _service_remove(args: argparse.Namespace, ctx: Context) -> int:
    if sys.platform != "win32":
        raise CliError("the updater service is installed on Windows only")
    from pser_desk.update import windows_service

    try:
        windows_service.unregister()
    except OSError as exc:
        raise CliError(f"the updater service could not be removed ({exc})") from None
    for path in settle(_installation()):  # the uninstaller runs as administrator
        ctx.stdout.write(f"removed {path.name}, left by an update\n")
    return 0


def _finish(args: argparse.Namespace, ctx: Context) -> int:
    staged = _installation().folder
    done = finish(staged, args.into, args.version, args.machine_dir, args.request)
    return 0 if done.phase == "installed" else 3


def _stop_the_agent(ctx: Context) -> bool:
    """True when a background sender was running (and was asked to stop)."""
    try:
        _stopped, running = stop_agent(ctx)
    except CliError as exc:  # no database here: no agent either
        log.warning("the background sender could not be asked to stop (%s)", exc)
        return False
    return running


def _wait(args: argparse.Namespace, ctx: Context) -> int:
    # The background sender runs from the folder the updater replaces (Windows cannot
    # rename a folder a program runs from): it stops first, and starts again after.
    agent_ran = args.agent is not None and _stop_the_agent(ctx)
    status = wait_for(args.request)
    service = UpdateService(Setup(ctx.data_dir, ctx.db_url, heartbeat=False))
    audit_install(service, status)
    if agent_ran:
        spawn_detached([str(args.agent), "--data-dir", str(ctx.data_dir), "agent"])
    if args.start is not None:
        subprocess.Popen(  # noqa: S603 - the installed program, by absolute path
            [str(args.start), "--data-dir", str(ctx.data_dir)], close_fds=True,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
    return 0 if status.phase == "installed" else 3
