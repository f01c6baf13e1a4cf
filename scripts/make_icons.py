"""Draw the application icon: resources/icons/pser-desk.svg, .png (256 px) and .ico.

The SVG is written from the shapes below; Qt's SVG renderer turns it into the PNG and
the ICO's sizes (16-256 px, Pillow writes the .ico). Run again after changing a shape:
    .venv/bin/python scripts/make_icons.py
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PIL import Image  # noqa: E402
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, Qt  # noqa: E402
from PySide6.QtGui import QGuiApplication, QImage, QPainter  # noqa: E402
from PySide6.QtSvg import QSvgRenderer  # noqa: E402

ICONS = Path(__file__).resolve().parent.parent / "resources" / "icons"
NAME = "pser-desk"
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)

# A green rounded square (the registry's colour), a white ID card with a photo box and
# text lines, and a check mark: "a household registered".
SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="256" height="256" viewBox="0 0 256 256">
  <title>PSER Desk</title>
  <rect x="8" y="8" width="240" height="240" rx="44" fill="#0b6e3f"/>
  <rect x="36" y="62" width="184" height="124" rx="14" fill="#ffffff"/>
  <rect x="36" y="62" width="184" height="26" rx="14" fill="#d8efe2"/>
  <rect x="36" y="76" width="184" height="12" fill="#d8efe2"/>
  <rect x="54" y="102" width="52" height="64" rx="6" fill="#0b6e3f" opacity="0.85"/>
  <circle cx="80" cy="123" r="11" fill="#ffffff"/>
  <path d="M62 160 q18 -26 36 0 z" fill="#ffffff"/>
  <rect x="120" y="108" width="82" height="10" rx="5" fill="#9bbfab"/>
  <rect x="120" y="128" width="64" height="10" rx="5" fill="#9bbfab"/>
  <rect x="120" y="148" width="74" height="10" rx="5" fill="#9bbfab"/>
  <circle cx="196" cy="186" r="34" fill="#f2b705" stroke="#ffffff" stroke-width="6"/>
  <path d="M179 186 l12 12 l22 -24" fill="none" stroke="#0b3d22" stroke-width="9"
        stroke-linecap="round" stroke-linejoin="round"/>
</svg>
"""


def render(renderer: QSvgRenderer, size: int) -> Image.Image:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")
    buffer.close()
    return Image.open(io.BytesIO(bytes(data.data()))).convert("RGBA")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    ICONS.mkdir(parents=True, exist_ok=True)
    svg_path = ICONS / f"{NAME}.svg"
    svg_path.write_text(SVG, encoding="utf-8")
    renderer = QSvgRenderer(QByteArray(SVG.encode("utf-8")))
    if not renderer.isValid():
        print("make_icons: the SVG is not valid", file=sys.stderr)
        return 1
    big = render(renderer, 256)
    big.save(ICONS / f"{NAME}.png", optimize=True)
    # Each size drawn from the vector (sharper than scaling the 256 px picture down).
    frames = {size: render(renderer, size) for size in ICO_SIZES}
    frames[256].save(
        ICONS / f"{NAME}.ico",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=[frames[s] for s in ICO_SIZES if s != 256],
    )
    del app
    for path in sorted(ICONS.glob(f"{NAME}.*")):
        print(f"{path.relative_to(ICONS.parent.parent)} {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
