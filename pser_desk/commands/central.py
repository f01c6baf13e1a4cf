"""``pser-desk central ...``: the reference central service and its administration.

``serve [--host H] [--port N] [--state DIR | --db URL] [--faults SPEC]... [--tokens T,...]
[--config FILE] [--updates DIR] [--auto-decide SPEC]`` prints ``{"url": ...}`` once
listening and runs until SIGTERM or Ctrl+C. ``token new [--centre CODE]``, ``device
revoke ID``, ``form publish FILE``, ``stats`` work on the same state directory (default
``<data dir>/central``); ``decide`` and ``fleet`` are in :mod:`.central_admin`.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import threading
from pathlib import Path
from typing import Any, TypeAlias

from pser_desk.central.centres import default_centre
from pser_desk.central.config import ConfigError
from pser_desk.central.db import integer, text
from pser_desk.central.decisions import AutoDecider, DecisionError, parse_auto_policy
from pser_desk.central.faults import FaultSpecError, parse_fault_specs
from pser_desk.central.server import CentralServer
from pser_desk.central.service import DB_FILE, CentralService
from pser_desk.commands.base import CliError, Context, read_json_arg, set_handler
from pser_desk.domain.receipt import CENTRE_CODE_RE
from pser_desk.security.envelope import b64u_encode

log = logging.getLogger(__name__)

Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"


def register(sub: Subparsers, groups: dict[str, Subparsers]) -> None:
    central = groups["central"]
    _register_serve(central)
    token = central.add_parser("token", help="enrolment tokens")
    token_sub = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    new = token_sub.add_parser("new", help="print a new single-use enrolment token")
    state_args(new)
    new.add_argument("--centre", default=None, help="the centre code the token enrols (LHR-0042)")
    new.add_argument("--name", default=None, help="the centre's name (stored with the centre)")
    new.add_argument("--tehsil", default=None, help="the centre's tehsil")
    new.add_argument(
        "--hours", type=float, default=72, help="hours before the token expires (default 72)"
    )
    new.add_argument("--json", action="store_true", help='print {"token": ..., "centre_code": ...}')
    set_handler(new, _handle_token_new)
    device = central.add_parser("device", help="enrolled devices")
    device_sub = device.add_subparsers(dest="device_command", metavar="ACTION", required=True)
    revoke = device_sub.add_parser("revoke", help="revoke a device (its requests get 403)")
    revoke.add_argument("device_id")
    state_args(revoke)
    set_handler(revoke, _handle_revoke)
    _register_admin(central)


def _register_serve(central: Subparsers) -> None:
    serve = central.add_parser("serve", help="run the reference central service")
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8787, help="0 picks a free port (default 8787)")
    state_args(serve)
    serve.add_argument(
        "--faults",
        action="append",
        default=None,
        help="fault injection, e.g. p503=0.2,drop=0.1,seed=7 (POST /submissions); add "
        "on=heartbeat+status_batch (or on=all) for other endpoints; may be given again",
    )
    serve.add_argument("--tokens", default=None, help="comma-separated enrolment tokens to accept")
    serve.add_argument(
        "--forms-dir", default=None, help="form definitions to serve (default resources/forms)"
    )
    serve.add_argument(
        "--config",
        default=None,
        help="central's configuration of the PCs, JSON (default <state>/central-config.json); "
        "read again when it changes",
    )
    serve.add_argument(
        "--updates", default=None, help="a TUF repository folder (metadata/, targets/) to serve"
    )
    serve.add_argument(
        "--auto-decide",
        default=None,
        metavar="SPEC",
        help="decide households by themselves (demo): after=S,reject=K,reason_code=CODE "
        "verifies each S seconds after it arrived and rejects every K-th",
    )
    set_handler(serve, _handle_serve)


def _register_admin(central: Subparsers) -> None:
    form = central.add_parser("form", help="form definitions central serves")
    form_sub = form.add_subparsers(dest="form_command", metavar="ACTION", required=True)
    publish = form_sub.add_parser("publish", help="publish a form definition version")
    publish.add_argument("file", help="the definition JSON (or - for stdin)")
    publish.add_argument("--form-id", default=None, help="default: the file's form_id/id")
    publish.add_argument(
        "--version", dest="form_version", default=None, help="default: the file's version"
    )
    state_args(publish)
    set_handler(publish, _handle_publish)
    stats = central.add_parser("stats", help="households held, devices, central's public keys")
    state_args(stats)
    stats.add_argument("--json", action="store_true")
    set_handler(stats, _handle_stats)


def state_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--state", default=None, help="central's state directory (default <data dir>/central)"
    )
    parser.add_argument(
        "--db", dest="central_db", default=None, help="central's SQLite database (URL or path)"
    )


def _db_path(value: str) -> Path:
    for prefix in ("sqlite:///", "sqlite://"):
        if value.startswith(prefix):
            value = value[len(prefix) :]
            break
    else:
        if "://" in value:
            raise CliError(
                "the reference central service keeps its data in SQLite: give a sqlite:/// URL or a path"
            )
    if not value or value == ":memory:":
        raise CliError("give a file for central's database")
    return Path(value).expanduser().resolve()


def open_service(
    args: argparse.Namespace,
    ctx: Context,
    forms_dir: str | None = None,
    *,
    existing: bool = False,
    config: str | None = None,
    updates: str | None = None,
) -> CentralService:
    """Central's service on the state of *args*; *existing*: refuse a state never created."""
    db_path = _db_path(args.central_db) if args.central_db else None
    if args.state:
        state = Path(args.state).expanduser().resolve()
    elif db_path is not None:
        state = db_path.parent
    else:
        state = ctx.data_dir / "central"
    if existing and not (db_path or state / DB_FILE).is_file():
        raise CliError(f"no central service has kept its data in {state} (give --state DIR)")
    try:
        return CentralService(
            state,
            db_path=db_path,
            forms_dir=Path(forms_dir) if forms_dir else None,
            config_path=Path(config).expanduser().resolve() if config else None,
            updates_dir=Path(updates).expanduser().resolve() if updates else None,
        )
    except OSError as exc:
        raise CliError(
            f"cannot open central's state in {state}: {exc.strerror or exc.__class__.__name__}"
        ) from None


def _handle_serve(args: argparse.Namespace, ctx: Context) -> int:
    try:
        faults = parse_fault_specs(args.faults)
    except FaultSpecError as exc:
        raise CliError(f"--faults: {exc}") from None
    try:
        policy = parse_auto_policy(args.auto_decide) if args.auto_decide else None
    except DecisionError as exc:
        raise CliError(str(exc)) from None
    if not 0 <= args.port <= 65535:
        raise CliError("--port must be between 0 and 65535")
    if args.updates and not Path(args.updates).is_dir():
        raise CliError(f"--updates: {args.updates} is not a folder")
    service = open_service(args, ctx, args.forms_dir, config=args.config, updates=args.updates)
    try:
        service.config.check(must_exist=args.config is not None)
        if args.tokens:
            service.add_tokens([t.strip() for t in args.tokens.split(",") if t.strip()])
        server = CentralServer(service, args.host, args.port, faults)
    except ConfigError as exc:
        service.close()
        raise CliError(f"central's configuration: {exc}") from None
    except OSError as exc:
        service.close()
        raise CliError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from None
    decider = AutoDecider(service, policy) if policy is not None else None
    _serve_until_signal(server, ctx, decider)
    return 0


def _serve_until_signal(
    server: CentralServer, ctx: Context, decider: AutoDecider | None = None
) -> None:
    stop = threading.Event()
    previous = {
        sig: signal.signal(sig, lambda *_: stop.set()) for sig in (signal.SIGTERM, signal.SIGINT)
    }
    server.start()
    if decider is not None:
        decider.start()
    service = server.service
    ctx.print_json(
        {"url": server.url, "state": str(service.state_dir), "config": str(service.config.path)}
    )
    ctx.stdout.flush()
    log.info("central service listening on %s", server.url)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        if decider is not None:
            decider.stop()
        server.stop()
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        log.info("central service stopped; faults injected: %s", server.fault_counts)


def _handle_token_new(args: argparse.Namespace, ctx: Context) -> int:
    if args.centre is not None and not CENTRE_CODE_RE.match(args.centre):
        raise CliError("--centre must look like LHR-0042")
    service = open_service(args, ctx)
    try:
        if args.centre is not None and (args.name or args.tehsil):
            base = default_centre(args.centre)
            service.db.upsert_centre(
                args.centre,
                args.name or (base.name if base else args.centre),
                base.district if base else "Punjab",
                args.tehsil or (base.tehsil if base else ""),
            )
        token = service.new_token(args.centre, args.hours if args.hours > 0 else None)
    finally:
        service.close()
    if args.json:
        ctx.print_json({"token": token, "centre_code": args.centre})
    else:
        ctx.stdout.write(token + "\n")
    return 0


def _handle_revoke(args: argparse.Namespace, ctx: Context) -> int:
    service = open_service(args, ctx)
    try:
        if service.db.device(args.device_id) is None:
            raise CliError(f"no enrolled device {args.device_id}")
        changed = service.revoke_device(args.device_id)
    finally:
        service.close()
    ctx.stdout.write(f"{args.device_id} {'revoked' if changed else 'was already revoked'}\n")
    return 0


def _handle_publish(args: argparse.Namespace, ctx: Context) -> int:
    definition: Any = read_json_arg(args.file, ctx)
    if not isinstance(definition, dict):
        raise CliError("a form definition is a JSON object")
    form_id = args.form_id or definition.get("form_id") or definition.get("id")
    version = args.form_version or definition.get("version")
    if not isinstance(form_id, str) or not isinstance(version, str):
        raise CliError("give --form-id and --version (the file names neither)")
    service = open_service(args, ctx)
    try:
        service.publish_form(form_id, version, definition)
    finally:
        service.close()
    ctx.print_json({"form_id": form_id, "version": version})
    return 0


def _handle_stats(args: argparse.Namespace, ctx: Context) -> int:
    service = open_service(args, ctx)
    try:
        info = {
            "households": service.db.count_submissions(),
            "verdicts": {status: 0 for status in ("received", "verified", "rejected")}
            | {
                text(status): integer(count)
                for status, count in service.db.query(
                    "SELECT status, count(*) FROM submissions GROUP BY status"
                )
            },
            "devices": integer(service.db.query("SELECT count(*) FROM devices")[0][0]),
            "central_encryption_key": b64u_encode(service.keys.encryption_public_raw),
            "central_signing_key": b64u_encode(service.keys.signing_public_raw),
        }
    finally:
        service.close()
    if args.json:
        ctx.print_json(info)
    else:
        ctx.stdout.write(json.dumps(info, indent=1) + "\n")
    return 0
