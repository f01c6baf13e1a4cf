"""The scan dialog: the live camera picture, a frame around a found code, the CNIC read.

The picture refreshes at most ``PREVIEW_FPS`` times a second from the latest frame (older
frames are dropped, never queued). "Use this number" is enabled only by a *stable* read
(several agreeing frames, or an old card whose fields agree) and is the default button,
so Enter accepts. Closing the dialog stops the worker and releases the camera.
"""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QColor, QImage, QPainter, QPen, QPixmap, QPolygonF
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from pser_desk.domain.cnic import format_cnic
from pser_desk.gui.scanning.session import ScanSession, SourceFactory
from pser_desk.scan.worker import ScanUpdate

log = logging.getLogger(__name__)

PREVIEW_FPS = 15
OVERLAY_FRAMES = 2  # the frame around a code is drawn on pictures this close to its frame
SMALL_CODE = 0.12  # a code narrower than this share of the picture: "move closer"


def _corners(update: ScanUpdate) -> list[tuple[int, int]]:
    for barcode in update.result.barcodes:
        if barcode.corners:
            return list(barcode.corners)
    return []


class ScanDialog(QDialog):
    """``ScanDialog(source_factory)``; after ``accepted``, ``cnic`` and ``prefill`` hold the read."""

    number_read = Signal(str)

    def __init__(self, factory: SourceFactory, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("ScanDialog")
        self.cnic: str | None = None
        self.prefill: dict[str, str] = {}
        self._state = "starting"
        self._corners: list[tuple[int, int]] = []
        self._corners_index = -1
        self.overlay_drawn = False
        self._frame_size = (1, 1)
        self._build()
        self.session = ScanSession(factory)
        self.session.updated.connect(self._on_session_updated)
        self.session.failed.connect(self._on_session_failed)
        self.session.finished.connect(self._on_session_finished)
        self._timer = QTimer(self)
        self._timer.setInterval(1000 // PREVIEW_FPS)
        self._timer.timeout.connect(self._on_timer_timeout)
        self._retranslate()

    def _build(self) -> None:
        self.preview = QLabel(self)
        self.preview.setObjectName("scanPreview")
        self.preview.setMinimumSize(640, 360)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.preview.setStyleSheet("background: #202124; color: #e8eaed;")
        self.status = QLabel(self)
        self.status.setObjectName("scanStatus")
        self.status.setWordWrap(True)
        self.number = QLabel(self)
        self.number.setObjectName("scanNumber")
        self.number.setStyleSheet("font-size: 20pt; font-weight: bold;")
        self.use_button = QPushButton(self)
        self.use_button.setObjectName("useNumberButton")
        self.use_button.setEnabled(False)
        self.use_button.clicked.connect(self.accept)
        self.cancel_button = QPushButton(self)
        self.cancel_button.setObjectName("cancelScanButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.number, 1)
        buttons.addWidget(self.use_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.status)
        layout.addLayout(buttons)

    # ------------------------------------------------------------ life

    def start(self) -> None:
        self.session.start()
        self._timer.start()

    def showEvent(self, event: Any) -> None:
        super().showEvent(event)
        if not self._timer.isActive() and self.session.worker is None:
            self.start()

    def done(self, result: int) -> None:
        self._stop()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._stop()
        super().closeEvent(event)

    def _stop(self) -> None:
        self._timer.stop()
        self.session.stop()

    # ------------------------------------------------------------ worker signals

    def _on_session_updated(self, update: ScanUpdate) -> None:
        corners = _corners(update)
        if corners:
            self._corners, self._corners_index = corners, update.frame_index
            shape = update.result.frame_shape
            if len(shape) >= 2:
                self._frame_size = (int(shape[1]), int(shape[0]))
        if self.cnic is not None:
            return
        if update.stable is not None:
            self._on_stable(update)
            return
        self._set_state(self._state_for(update, corners))

    def _state_for(self, update: ScanUpdate, corners: list[tuple[int, int]]) -> str:
        result = update.result
        if result.conflicting:
            return "two_cards"
        if result.cnic is not None:
            return "hold_still"
        if not result.barcodes:
            return "show_card"
        xs = [x for x, _ in corners]
        if xs and (max(xs) - min(xs)) < SMALL_CODE * self._frame_size[0]:
            return "move_closer"
        return "no_cnic"

    def _on_stable(self, update: ScanUpdate) -> None:
        stable = update.stable
        assert stable is not None
        self.cnic = stable.cnic
        best = update.result.best
        card = best.card if best is not None and best.cnic == stable.cnic else None
        if card is not None:
            self.prefill = {k: v for k, v in card.prefill().items() if v and k != "cnic"}
        self.number.setText(format_cnic(stable.cnic))
        self.use_button.setEnabled(True)
        self.use_button.setDefault(True)
        self.use_button.setFocus()
        self._set_state("stable")
        log.info("a stable CNIC was read (%s)", "card fields" if card else "frames agree")
        self.number_read.emit(stable.cnic)

    def _on_session_failed(self, code: str) -> None:
        if self.cnic is None:
            self._set_state(code)

    def _on_session_finished(self, _stats: object) -> None:
        if self.cnic is None and self._state not in ("no_camera", "camera_lost"):
            self._set_state("camera_lost")

    # ------------------------------------------------------------ picture

    def _on_timer_timeout(self) -> None:
        latest = self.session.take_preview()
        if latest is None:
            return
        self._frame_size = latest.size
        self.preview.setPixmap(self._draw(latest.image, latest.index))

    def _draw(self, image: QImage, index: int) -> QPixmap:
        target = self.preview.size()
        scaled = image.scaled(
            target, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.FastTransformation
        )
        pixmap = QPixmap.fromImage(scaled)
        self.overlay_drawn = (
            bool(self._corners) and abs(index - self._corners_index) <= OVERLAY_FRAMES
        )
        if self.overlay_drawn:
            factor = scaled.width() / max(self._frame_size[0], 1)
            polygon = QPolygonF([QPointF(x * factor, y * factor) for x, y in self._corners])
            painter = QPainter(pixmap)
            colour = QColor("#34a853") if self.cnic else QColor("#fbbc04")
            painter.setPen(QPen(colour, 4))
            painter.drawPolygon(polygon)
            painter.end()
        return pixmap

    # ------------------------------------------------------------ words

    def _set_state(self, state: str) -> None:
        self._state = state
        self.status.setText(self._status_text())
        if state in ("no_camera", "camera_lost"):
            self.preview.setText(self._status_text())

    def _status_text(self) -> str:
        texts = {
            "starting": self.tr("Starting the camera..."),
            "show_card": self.tr("Hold the card's barcode in front of the camera."),
            "move_closer": self.tr("Move the card closer to the camera."),
            "no_cnic": self.tr(
                "This barcode holds no CNIC number. Show the barcode on the back of the card."
            ),
            "two_cards": self.tr("Two different numbers are in view. Show one card only."),
            "hold_still": self.tr("Hold the card still..."),
            "stable": self.tr("Number read. Press Enter to use it, or check it first."),
            "no_camera": self.tr(
                "No camera found. Check the camera's cable, or choose another camera in "
                "Manager > Settings. You can type the number instead."
            ),
            "camera_lost": self.tr(
                "The camera stopped. Check its cable, then open the scan again (F3)."
            ),
        }
        return texts.get(self._state, "")

    def _retranslate(self) -> None:
        self.setWindowTitle(self.tr("Scan CNIC"))
        self.use_button.setText(self.tr("&Use this number"))
        self.cancel_button.setText(self.tr("Cancel"))
        if self.cnic is None:
            self.number.setText(self.tr("No number yet"))
        self.status.setText(self._status_text())

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.LanguageChange:
            self._retranslate()
        super().changeEvent(event)
