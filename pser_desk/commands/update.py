"""``pser-desk update check|download|apply``: this PC updating itself (issue 17).

- ``update check [--json] [--central URL]``: ``{"current", "available", "channel",
  "required"}``; ``available`` is null or the newer version offered on this PC's channel,
  ``required`` is true when this version is below central's ``min_app_version``.
- ``update download [--json] [--central URL]``: fetch it (a patch from this version where
  the repository has one), verified; an interrupted download resumes next time.
- ``update apply [--restart] [--json]``: install it over this installation (the new
  version must pass its self-test; any failure leaves this version as it is), then with
  ``--restart`` start the new version's window.

Exit codes: 0 done (or nothing to do), 1 not possible now (no network, nothing downloaded,
not an installed bundle...), 2 refused: an attack, named on the one line printed (for
example ``refused: rollback to 0.1.0 from 0.2.0``), 3 the install failed and the old
version stays.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import TypeVar

from pser_desk.commands import update_machine
from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.update.client import Offer
from pser_desk.update.install import InstallError
from pser_desk.update.managed import ServiceUpdater, managed, spawn_waiter
from pser_desk.update.refusals import UpdateRefused, UpdateUnavailable
from pser_desk.update.service import Setup, UpdateNotSetUp, UpdateService, start_window

T = TypeVar("T")

EXIT_REFUSED = 2
EXIT_INSTALL_FAILED = 3


def register(sub: SubParsers, groups: Groups) -> None:
    update = groups["update"]
    check = update.add_parser("check", help="is a newer version offered to this PC?")
    _common(check)
    set_handler(check, _check)
    download = update.add_parser("download", help="download the newer version, verified")
    _common(download)
    set_handler(download, _download)
    apply = update.add_parser("apply", help="install the downloaded version")
    apply.add_argument("--json", action="store_true", help="one line of JSON")
    apply.add_argument("--restart", action="store_true", help="then start the new version's window")
    set_handler(apply, _apply)
    update_machine.register(update)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="one line of JSON")
    parser.add_argument(
        "--central", default=None, metavar="URL",
        help="central's URL (default: the one this PC enrolled with)",
    )  # fmt: skip


def _service(args: argparse.Namespace, ctx: Context) -> UpdateService:
    from pser_desk.desk.settings import SettingsStore

    tls = SettingsStore(ctx.data_dir).central_tls()
    return UpdateService(Setup(ctx.data_dir, ctx.db_url, getattr(args, "central", None),
                               ca_bundle=tls.ca_bundle, pins=tuple(tls.pins)))  # fmt: skip


def _errors(work: Callable[[], T]) -> T:
    try:
        return work()
    except UpdateRefused as exc:
        raise CliError(str(exc), EXIT_REFUSED) from None
    except InstallError as exc:
        raise CliError(str(exc), EXIT_INSTALL_FAILED) from None
    except (UpdateUnavailable, UpdateNotSetUp) as exc:
        raise CliError(str(exc)) from None


def _check(args: argparse.Namespace, ctx: Context) -> int:
    ctx.ensure_data_dir()
    offer = _errors(_service(args, ctx).check)
    if args.json:
        ctx.print_json(offer.to_json())
    else:
        ctx.stdout.write(_describe(offer) + "\n")
    return 0


def _describe(offer: Offer) -> str:
    where = f"pser-desk {offer.current} ({offer.channel.value} channel)"
    required = "; central requires a newer version" if offer.required else ""
    if offer.available is None:
        return f"{where}: no newer version is offered{required}"
    how = "a patch" if offer.patch is not None else "the full archive"
    return f"{where}: {offer.available.version} is available ({how}, {offer.download_bytes / 1e6:.1f} MB){required}"


class _Meter:
    """Progress on stderr when it is a terminal: at most one line a second."""

    def __init__(self, version: str) -> None:
        self.version, self.last = version, 0.0
        self.shown = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if self.shown and (now - self.last >= 1.0 or done == total):
            self.last = now
            sys.stderr.write(
                f"\rdownloading {self.version}: {done / 1e6:.1f} of {total / 1e6:.1f} MB"
            )
            if done == total:
                sys.stderr.write("\n")
            sys.stderr.flush()


def _download(args: argparse.Namespace, ctx: Context) -> int:
    ctx.ensure_data_dir()
    service = _service(args, ctx)
    if managed():
        return _by_service("download", args, ctx, service)
    offer = _errors(service.check)
    if offer.available is None:
        if args.json:
            ctx.print_json({"version": None, "kind": None, "bytes": 0, **offer.to_json()})
        else:
            ctx.stdout.write(_describe(offer) + "\n")
        return 0
    meter = _Meter(offer.available.version)
    item = _errors(lambda: service.download(offer, meter))
    if args.json:
        ctx.print_json({"version": item.version, "kind": item.kind, "bytes": item.length,
                        **offer.to_json()})  # fmt: skip
    else:
        ctx.stdout.write(f"{item.version} downloaded and verified ({item.kind}, {item.length / 1e6:.1f} MB): "
                         "pser-desk update apply installs it\n")  # fmt: skip
    return 0


def _apply(args: argparse.Namespace, ctx: Context) -> int:
    service = _service(args, ctx)
    if managed():
        return _by_service("install", args, ctx, service)
    installed = _errors(service.apply)
    if args.json:
        ctx.print_json({"installed": installed.version, "previous": installed.previous_version,
                        "restart": bool(args.restart)})  # fmt: skip
    else:
        ctx.stdout.write(
            f"pser-desk {installed.version} installed (was {installed.previous_version})\n"
        )
    ctx.stdout.flush()
    if args.restart:
        _restart(service)
    return 0


def _restart(service: UpdateService) -> None:
    """Start the new version's window, detached from this command."""
    start_window(service.window_command())


def _by_service(action: str, args: argparse.Namespace, ctx: Context, service: UpdateService) -> int:
    """A per-machine installation: the updater service downloads or installs (managed.py)."""
    installation = service.installation
    status = _errors(lambda: ServiceUpdater().ask(action, service, _Meter("the update")))
    refusal = {"refused": EXIT_REFUSED, "failed": EXIT_INSTALL_FAILED, "unavailable": 1}
    if status.phase in refusal:
        raise CliError(
            status.message or f"the updater service says {status.phase}", refusal[status.phase]
        )
    if status.phase == "up_to_date":
        ctx.stdout.write(f"pser-desk {status.previous}: no newer version is offered\n")
        return 0
    version = str(status.version)
    if action == "download":
        if args.json:
            ctx.print_json({"version": version, "kind": "service", "bytes": status.total_bytes})
        else:
            ctx.stdout.write(f"{version} downloaded and verified by the updater service\n")
        return 0
    assert installation is not None
    spawn_waiter(installation, version, status.request, ctx.data_dir, bool(args.restart))
    if args.json:
        ctx.print_json(
            {"installing": version, "previous": status.previous, "restart": bool(args.restart)}
        )
    else:
        ctx.stdout.write(f"pser-desk {version} is being installed: it replaces {status.previous} "
                         "as soon as pser-desk has closed\n")  # fmt: skip
    return 0
