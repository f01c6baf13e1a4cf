"""``scan-image FILE... [--raw] --json``, ``scan-video FILE --json``, ``cameras [--json]``."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from pser_desk.commands.base import CliError, Context, Groups, SubParsers, set_handler


def register(sub: SubParsers, groups: Groups) -> None:
    image = sub.add_parser("scan-image", help="decode each image; one JSON line per file")
    image.add_argument("files", nargs="+", metavar="FILE", help="image files (PNG, JPEG, ...)")
    image.add_argument("--raw", action="store_true", help="also list every barcode found")
    image.add_argument("--json", action="store_true", help="one JSON object per line")
    set_handler(image, _scan_image)

    video = sub.add_parser("scan-video", help="the first stable CNIC in a video file")
    video.add_argument("file", metavar="FILE", help="a video file (e.g. MJPG .avi)")
    video.add_argument("--json", action="store_true", help="print a JSON object")
    set_handler(video, _scan_video)

    cameras = sub.add_parser("cameras", help="list the cameras that can be opened")
    cameras.add_argument("--json", action="store_true", help="print a JSON object")
    cameras.add_argument("--max-index", type=int, default=6, help="highest index to try, exclusive")
    set_handler(cameras, _cameras)


# Characters str.splitlines() breaks on besides \n and \r: escaped so that a payload of
# binary junk still prints as exactly one line of JSON.
_LINE_BREAKERS = {ord(c): f"\\u{ord(c):04x}" for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"}


def print_json_line(ctx: Context, obj: Any) -> None:
    text = json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKERS)
    ctx.stdout.write(text + "\n")


def _scan_image(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.scan.pipeline import ScanPipeline
    from pser_desk.scan.service import scan_image_file

    pipeline = ScanPipeline()
    failures = 0
    for path in args.files:
        scan = scan_image_file(path, pipeline)
        if scan.message:
            failures += 1
            print(f"pser-desk: {scan.message}", file=sys.stderr)
        if args.json:
            print_json_line(ctx, scan.as_json(raw=args.raw))
        else:
            _print_image_text(scan.as_json(raw=args.raw), ctx)
    return 1 if failures else 0


def _print_image_text(info: dict[str, object], ctx: Context) -> None:
    what = info["cnic"] or info["error"]
    kind = f" ({info['kind']})" if info["kind"] else ""
    ctx.stdout.write(f"{info['file']}: {what}{kind}\n")
    for barcode in info.get("barcodes", []) or []:  # type: ignore[attr-defined]
        ctx.stdout.write(f"  {barcode['format']}: {barcode['text']!r}\n")


def _scan_video(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.scan.pipeline import ScanPipeline
    from pser_desk.scan.service import scan_video_file
    from pser_desk.scan.sources import SourceError

    try:
        scan = scan_video_file(args.file, ScanPipeline())
    except SourceError as exc:
        raise CliError(str(exc)) from None
    info = scan.as_json()
    if args.json:
        ctx.print_json(info)
    elif info["cnic"]:
        ctx.stdout.write(f"{info['cnic']} at {info['time_s']:.2f} s (frame {info['frame']})\n")
    else:
        ctx.stdout.write(f"no stable CNIC in {info['frames_scanned']} frames\n")
    return 0 if info["cnic"] else 3


def _cameras(args: argparse.Namespace, ctx: Context) -> int:
    from pser_desk.scan.sources import list_cameras

    if args.max_index < 1:
        raise CliError("--max-index must be at least 1")
    found = list_cameras(args.max_index)
    if args.json:
        ctx.print_json(
            {"cameras": [{"index": c.index, "width": c.width, "height": c.height} for c in found]}
        )
    elif not found:
        ctx.stdout.write("no camera found\n")
    else:
        for cam in found:
            ctx.stdout.write(f"camera {cam.index}: {cam.width}x{cam.height}\n")
    return 0
