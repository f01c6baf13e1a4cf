"""``pser-desk release ...``: publish signed desk versions as a TUF repository.

- ``release init --repo DIR --keys DIR [--root-keys N] [--root-threshold K] [--expires ROLE=T]``
- ``release add --repo DIR --keys DIR --bundle PATH --version V [--channel C] [--compression xz|gz]``
- ``release refresh --repo DIR --keys DIR [--expires T]``: a new timestamp (run it daily)
- ``release rotate --repo DIR --keys DIR --role ROLE [--key-id ID]``: replace a key
- ``release promote --repo DIR --keys DIR --version V --channel C``: offer a pilot
  version to another channel

``--keys`` may be given once per folder (the offline root and targets keys on one medium,
the online snapshot and timestamp keys on the server). Each command prints one line of
JSON, or one line saying why it refused (exit 1). docs/packaging.md, "Releasing".
"""

from __future__ import annotations

import argparse
from datetime import timedelta
from pathlib import Path

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler
from pser_desk.domain.releases import Channel


def register(sub: SubParsers, groups: Groups) -> None:
    release = groups["release"]
    init = release.add_parser("init", help="a new repository and its keys")
    _common(init)
    init.add_argument("--root-keys", type=int, default=3, help="how many root keys (default 3)")
    init.add_argument(
        "--root-threshold", type=int, default=2, help="root keys needed to sign (default 2)"
    )
    init.add_argument(
        "--expires", action="append", default=[], metavar="ROLE=TIME",
        help="a role's lifetime, e.g. timestamp=2d, snapshot=30d, targets=365d, root=365d",
    )  # fmt: skip
    set_handler(init, _init)
    add = release.add_parser("add", help="publish a built bundle as a new version")
    _common(add)
    add.add_argument("--bundle", required=True, type=Path, help="the built bundle folder")
    add.add_argument("--version", required=True, help="the bundle's version (0.2.0)")
    add.add_argument("--channel", default="stable", choices=[c.value for c in Channel])
    add.add_argument(
        "--compression", default="xz", choices=["xz", "gz"],
        help="xz: smallest (default); gz: seconds instead of minutes, half as large again",
    )  # fmt: skip
    set_handler(add, _add)
    refresh = release.add_parser("refresh", help="renew the timestamp (run daily)")
    _common(refresh)
    refresh.add_argument(
        "--expires",
        default=None,
        metavar="TIME",
        help="the new timestamp's lifetime (default: the repository's)",
    )
    set_handler(refresh, _refresh)
    rotate = release.add_parser("rotate", help="replace a role's key with a new one")
    _common(rotate)
    rotate.add_argument(
        "--role", required=True, choices=["root", "targets", "snapshot", "timestamp"]
    )
    rotate.add_argument(
        "--key-id", default=None, help="the key to retire (its id or first 8+ characters)"
    )
    set_handler(rotate, _rotate)
    promote = release.add_parser("promote", help="offer a published version on another channel")
    _common(promote)
    promote.add_argument("--version", required=True)
    promote.add_argument("--channel", required=True, choices=[c.value for c in Channel])
    set_handler(promote, _promote)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repo", required=True, type=Path, help="the repository folder")
    parser.add_argument(
        "--keys", required=True, type=Path, action="append",
        help="a folder of signing keys (may be given again for keys kept elsewhere)",
    )  # fmt: skip


def _duration(text: str) -> timedelta:
    from pser_desk.update.publish import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _lifetimes(items: list[str]) -> dict[str, timedelta]:
    chosen: dict[str, timedelta] = {}
    for item in items:
        role, _, text = item.partition("=")
        if role not in ("root", "targets", "snapshot", "timestamp") or not text:
            raise CliError(
                f"--expires {item}: give ROLE=TIME with a role of root, targets, snapshot, timestamp"
            )
        chosen[role] = _duration(text)
    return chosen


def _run(ctx: Context, work: object) -> int:
    from pser_desk.update.publish import Published, PublishError

    try:
        result = work() if callable(work) else work
    except PublishError as exc:
        raise CliError(f"release: {exc}") from None
    except OSError as exc:
        raise CliError(
            f"release: {exc.strerror or exc.__class__.__name__}: {exc.filename or ''}".rstrip(": ")
        ) from None
    assert isinstance(result, Published)
    ctx.print_json(result.facts)
    return 0


def _init(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.update.publish import Repository

    lifetimes = _lifetimes(args.expires)
    if len(args.keys) != 1:
        raise CliError("release init: give one --keys folder (it receives every new key)")
    return _run(ctx, lambda: Repository.init(
        args.repo, args.keys[0], root_keys=args.root_keys, root_threshold=args.root_threshold,
        lifetimes=lifetimes,
    ))  # fmt: skip


def _add(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.update.publish import Repository

    if not args.bundle.is_dir():
        raise CliError(f"release add: {args.bundle} is not a bundle folder")
    repo = Repository(args.repo, args.keys)
    return _run(
        ctx, lambda: repo.add(args.bundle, args.version, Channel(args.channel), args.compression)
    )


def _refresh(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.update.publish import Repository

    lifetime = _duration(args.expires) if args.expires else None
    return _run(ctx, lambda: Repository(args.repo, args.keys).refresh(lifetime))


def _rotate(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.update.publish import Repository

    return _run(ctx, lambda: Repository(args.repo, args.keys).rotate(args.role, args.key_id))


def _promote(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.update.publish import Repository

    repo = Repository(args.repo, args.keys)
    return _run(ctx, lambda: repo.promote(args.version, Channel(args.channel)))
