"""Entry benchmark: keystrokes for one household, and the turn-around to the next citizen.

The real desk (demo services: a SQLite store in a temporary folder, the embedded
reference central, the shipped form; offscreen) is signed in, then driven with key events
only, each sent to the widget that has the focus, as a keyboard would: Ctrl+N, then every
question of the fixed household of :mod:`bench.entry_household` (a woman heads it, her
husband, three children with B-Forms), in English and again with the desk in Urdu (names
and address typed in Urdu script). The driver looks at what has the focus and answers it:
text is typed character by character; a choice takes the cheapest keys the list offers;
when the focus has not moved on by itself, Enter.

Counted: every key event (a key with its modifiers counts once), the answer characters
and the choices of the household itself (one key per choice, one per ticked option),
and ``ratio = keystrokes / (answer_chars + choices)`` (goal: at most 1.1).

Turn-around: from the last key of a household (save) until the first field of the next
registration has the focus, and until the slip is printed (into a PDF through Qt's
printer), against a bare QLineEdit whose Enter moves the focus to a second one.

    .venv/bin/python -m bench.entry_bench [--out FILE]

Results: bench/results/entry.json exactly as ``{"en": {"keystrokes", "answer_chars",
"choices", "ratio"}, "ur": {...}}``; beside it ``entry-detail.json``: the keys by kind
(text, choice, navigation) and the turn-around times (both quoted in docs/performance.md,
"## Entry").
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.entry_household import household, ideal_keys, typed_text

RESULTS = Path(__file__).resolve().parent / "results" / "entry.json"
LANGUAGES = ("en", "ur")
COUNT_KEYS = ("keystrokes", "answer_chars", "choices", "ratio")


TYPIST_GAP_S = 0.15  # a person's keys are 100-300 ms apart; a scanner's a few ms


class Keyboard:
    """Sends key events to the focused widget and counts them.

    Its clock is a typist's: each key is :data:`TYPIST_GAP_S` after the last. The desk's
    keyboard-wedge detector reads it, so fast key events are not taken for a scanner.
    """

    def __init__(self, app: Any) -> None:
        self.app = app
        self.count = 0
        self.kinds: dict[str, int] = {"text": 0, "choice": 0, "navigation": 0}
        self.kind = "navigation"  # what the next keys are for (the driver says)
        self.now = 0.0
        self.window: Any = None
        self.last_key_at = 0.0

    def clock(self) -> float:
        return self.now

    def focus(self) -> Any:
        from PySide6.QtWidgets import QApplication

        return QApplication.focusWidget()

    def press(self, key: Any, modifier: Any = None, text: str | None = None) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtTest import QTest

        target = self.focus()
        if target is None and self.window is not None:
            # A dialog closed: a window manager gives the main window the keyboard back
            # (the offscreen platform does not); no key is counted for it.
            self.window.activateWindow()
            self.settle()
            target = self.focus()
        if target is None:
            raise RuntimeError("no widget has the focus")
        self.count += 1
        self.kinds[self.kind if text is not None else "navigation"] += 1
        self.now += TYPIST_GAP_S
        self.last_key_at = time.perf_counter()
        mods = modifier if modifier is not None else Qt.KeyboardModifier.NoModifier
        if text is not None:  # the key a layout gives the character (Urdu ones too)
            code = Qt.Key(ord(text.upper()[0]))
            QTest.sendKeyEvent(QTest.KeyAction.Click, target, code, text[0], mods)
        else:
            QTest.keyClick(target, key, mods)
        if mods & Qt.KeyboardModifier.AltModifier:
            QTest.qWait(150)  # a mnemonic "clicks" its button after 100 ms
        self.settle()

    def type(self, text: str, kind: str = "text") -> None:
        self.kind = kind
        for ch in text:
            self.press(None, text=ch)
        self.kind = "navigation"

    def settle(self) -> None:
        self.app.processEvents()


def wait(app: Any, condition: Callable[[], bool], timeout: float = 30.0) -> float:
    """Process events until *condition*; the seconds it took."""
    started = time.perf_counter()
    while not condition():
        if time.perf_counter() - started > timeout:
            raise RuntimeError("entry bench: the desk did not get there in time")
        app.processEvents()
        time.sleep(0.0005)
    return time.perf_counter() - started


def field_id_of(widget: Any) -> str | None:
    name = widget.objectName() if widget is not None else ""
    return name[len("field_") :] if name.startswith("field_") else None


class Driver:
    """Answers whatever question has the focus, from the household record, with the
    fewest keys the screen allows: a choice's number key (it moves on by itself), else
    type-ahead on a word of the answer and Enter; text typed where it is not there yet
    (a B-Form whose first five digits the desk carried forward gets the other eight); a
    fixed-length answer moves on by itself; otherwise Enter."""

    def __init__(self, keys: Keyboard, desk: Any, record: dict[str, Any], language: str):
        self.keys, self.desk, self.record, self.language = keys, desk, record, language
        self.wizard = desk.registration.wizard
        self.form = self.wizard.form
        self.flat = {**record["head"], **record["address"], **record["answers"]}

    # ------------------------------------------------------------ one household

    def household(self) -> None:
        from PySide6.QtCore import Qt

        self.keys.press(Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
        wait(self.keys.app, lambda: field_id_of(self.keys.focus()) == "cnic", 10)
        guard = 0
        while self.wizard.currentId() != self.wizard.review_id:
            guard += 1
            if guard > 600:
                raise RuntimeError("entry bench: stuck at " + str(self.keys.focus()))
            focused = self.keys.focus()
            field_id = field_id_of(focused)
            if field_id is None:
                raise RuntimeError(f"entry bench: focus on {focused!r}, not a question")
            if self.wizard.roster is not None and self.wizard.roster.isAncestorOf(focused):
                self.member_cell(focused, field_id)
            else:
                self.answer(focused, self.form.field(field_id), self.flat.get(field_id))
        self.save()

    def save(self) -> None:
        from PySide6.QtCore import Qt

        wait(self.keys.app, lambda: self.wizard.review.isAncestorOf(self.keys.focus()), 5)
        issues = self.wizard.review.issues
        if issues:
            raise RuntimeError(f"entry bench: problems on review: {issues}")
        self.keys.press(Qt.Key.Key_Return)  # Enter on the review saves

    def member_cell(self, widget: Any, column: str) -> None:
        from PySide6.QtCore import Qt

        index = widget.property("memberRow")
        members = self.record["members"]
        if index >= len(members):  # the fresh row after the last member: the next page
            self.keys.press(Qt.Key.Key_Return)
            return
        self.answer(widget, self.form.roster.column(column), members[index].get(column))

    # ------------------------------------------------------------ answers

    def answer(self, widget: Any, field_: Any, value: Any) -> None:
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QComboBox, QLineEdit, QListWidget

        if value is not None:
            if isinstance(widget, QLineEdit):
                self.type_rest(widget, typed_text(field_.type.value, value))
            elif isinstance(widget, QComboBox):
                self.choose(widget, value)
            elif isinstance(widget, QListWidget):
                self.tick(widget, value)
        if self.keys.focus() is widget:
            self.keys.press(Qt.Key.Key_Return)

    def type_rest(self, edit: Any, text: str) -> None:
        """Type what is not there yet (a carried-forward start is kept)."""
        from pser_desk.domain.digits import to_ascii_digits

        already = edit.text()
        if edit.inputMask():
            already = "".join(ch for ch in to_ascii_digits(already) if ch.isdigit())
        self.keys.type(text[len(already) :] if text.startswith(already) else text)

    def choose(self, combo: Any, value: Any) -> None:
        """The option's number key; beyond the tenth, type-ahead on a word."""
        from pser_desk.domain.typeahead import code_of, words

        target = combo.findData(value)
        if combo.currentIndex() == target:
            return
        code = code_of(target - 1)
        if code is not None:
            self.keys.type(code, "choice")
            return
        label = combo.itemText(target).strip()
        for word in words(label):
            for _ in range(8):
                self.keys.type(word[0], "choice")
                if combo.currentIndex() == target:
                    return
            self.keys.settle()
            self.keys.now += 2.0  # a pause: the next letter starts a new search
        raise RuntimeError(f"entry bench: cannot reach {value!r} by typing")

    def tick(self, widget: Any, codes: list[str]) -> None:
        from PySide6.QtCore import Qt

        from pser_desk.domain.typeahead import code_of

        for row in range(widget.count()):
            if widget.item(row).data(Qt.ItemDataRole.UserRole) not in codes:
                continue
            code = code_of(row)
            if code is None:
                raise RuntimeError("entry bench: a tick beyond the tenth option")
            self.keys.type(code, "choice")


# ---------------------------------------------------------------- the desk


def start_desk(data_dir: Path) -> tuple[Any, Any, Any]:
    from PySide6.QtWidgets import QApplication

    from pser_desk import app as wiring
    from pser_desk.commands.base import Context

    qt_app = QApplication.instance() or QApplication(sys.argv[:1])
    services = wiring.build_services(Context(data_dir=data_dir), demo=True)
    controller = wiring.build_controller(services)
    controller.start()
    wait(qt_app, lambda: controller.login_dialog is not None)
    dialog = controller.login_dialog
    dialog.ui.operatorEdit.setText(controller.demo[0])
    dialog.ui.passwordEdit.setText(controller.demo[1])
    dialog.ui.loginButton.click()
    wait(qt_app, lambda: controller.login_dialog is None)
    controller.window.resize(1366, 740)
    controller.settings = dataclasses.replace(controller.settings, printer="")
    controller.slips.output_file = str(data_dir / "slip.pdf")  # printed through QPrinter
    return qt_app, services, controller


def one_language(qt_app: Any, desk: Any, language: str) -> dict[str, Any]:
    from pser_desk.domain.form import load_form

    desk.set_language(language, save=False)
    desk.show_dashboard()
    desk.window.setFocus()
    wait(qt_app, lambda: True)
    record = household(language)
    chars, choices = ideal_keys(record, load_form())
    keys = Keyboard(qt_app)
    desk.scanning.wedge._clock = keys.clock  # a typist's pace, not a scanner's
    keys.window = desk.window
    driver = Driver(keys, desk, record, language)
    printed: list[float] = []
    desk.slips.printed.connect(lambda _r: printed.append(time.perf_counter()))
    queued: list[Any] = []
    desk.registration.record_queued.connect(queued.append)
    ready: list[float] = []  # when the next registration's first field got the focus

    def on_focus(_old: Any, new: Any) -> None:
        if queued and not ready and field_id_of(new) == "cnic":
            ready.append(time.perf_counter())

    qt_app.focusChanged.connect(on_focus)
    driver.household()
    saved_at = keys.last_key_at
    wait(qt_app, lambda: bool(ready) and bool(printed), 60)
    qt_app.focusChanged.disconnect(on_focus)
    stored = desk.desk.records.open(desk.login, queued[0].submission_id).parts
    _check_stored(stored, record)
    return {
        "keystrokes": keys.count,
        "answer_chars": chars,
        "choices": choices,
        "ratio": round(keys.count / (chars + choices), 3),
        "keys_by_kind": dict(keys.kinds),
        "next_field_ms": round((ready[0] - saved_at) * 1000, 1),
        "slip_printed_ms": round((printed[0] - saved_at) * 1000, 1),
    }


def _check_stored(stored: dict[str, Any], record: dict[str, Any]) -> None:
    """The household reached the store as typed (or the count would mean nothing)."""
    for part in ("head", "address", "answers"):
        for key, value in record[part].items():
            if stored[part].get(key) != value:
                raise RuntimeError(f"entry bench: {part}.{key} stored as {stored[part].get(key)!r}")
    if len(stored["members"]) != len(record["members"]):
        raise RuntimeError("entry bench: the members were not all stored")
    for typed, kept in zip(record["members"], stored["members"]):
        for key, value in typed.items():
            if kept.get(key) != value:
                raise RuntimeError(f"entry bench: member {key} stored as {kept.get(key)!r}")


def bare_line_edit(qt_app: Any, runs: int = 50) -> float:
    """Milliseconds from Enter in a QLineEdit until a second one has the focus (median)."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QLineEdit, QVBoxLayout, QWidget

    window = QWidget()
    first, second = QLineEdit(window), QLineEdit(window)
    layout = QVBoxLayout(window)
    layout.addWidget(first)
    layout.addWidget(second)
    first.returnPressed.connect(lambda: (first.clear(), second.setFocus()))
    window.show()
    times = []
    for _ in range(runs):
        first.setFocus()
        wait(qt_app, first.hasFocus)
        QTest.keyClicks(first, "x")
        started = time.perf_counter()
        QTest.keyClick(first, Qt.Key.Key_Return)
        wait(qt_app, second.hasFocus)
        times.append(time.perf_counter() - started)
    window.close()
    return statistics.median(times) * 1000


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    with tempfile.TemporaryDirectory(prefix="pser-entry-") as tmp:
        os.environ["PSER_DESK_DATA_DIR"] = tmp
        qt_app, services, desk = start_desk(Path(tmp))
        sys.excepthook = sys.__excepthook__  # a failing benchmark shows its traceback
        try:
            results = {lang: one_language(qt_app, desk, lang) for lang in LANGUAGES}
            bare = bare_line_edit(qt_app)
        finally:
            desk.shutdown()
            services.close()
    counts = {lang: {k: results[lang][k] for k in COUNT_KEYS} for lang in LANGUAGES}
    timing = {lang: {k: v for k, v in results[lang].items() if k not in COUNT_KEYS}
              for lang in LANGUAGES}  # fmt: skip
    timing["bare_line_edit_ms"] = round(bare, 2)  # type: ignore[assignment]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(counts, indent=2) + "\n", encoding="utf-8")
    detail = args.out.with_name(args.out.stem + "-detail.json")
    detail.write_text(json.dumps(timing, indent=2) + "\n", encoding="utf-8")
    for lang in LANGUAGES:
        r = results[lang]
        print(f"{lang}: {r['keystrokes']} keys for {r['answer_chars']} characters and "
              f"{r['choices']} choices: ratio {r['ratio']}; next field {r['next_field_ms']} ms, "
              f"slip printed {r['slip_printed_ms']} ms (bare QLineEdit {bare:.2f} ms)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
