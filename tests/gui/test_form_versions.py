"""The wizard renders the form version a record names (real store, real central, offscreen).

Central publishes 2024.2 (2024.1 plus one required question); ``pser-desk forms update``
fetches it into the desk's store while the desk is open. New registrations then show
and name 2024.2; a draft started under 2024.1 reopens under 2024.1; a draft naming a
version this PC does not hold is refused with what to do, and kept.
"""

from __future__ import annotations

import copy
import json
from datetime import UTC, date, datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from pser_desk.desk.errors import DeskError
from pser_desk.desk.model import FormRef
from pser_desk.desk.records import STAMPED
from pser_desk.domain.example import example_record
from pser_desk.domain.form import FormDefinitionError, parse_form
from pser_desk.domain.geography import load_geography
from pser_desk.store.forms import FormRepository, StoredForm
from tests.gui.keyboard import type_registration
from tests.gui.test_desk_store import keyboard_sign_in
from tests.integration.sync.test_forms import FORM_ID, NEW_FIELD, definition_2024_2
from tests.plugins.gui import OPERATOR

pytestmark = pytest.mark.gui


@pytest.fixture
def desk(qtbot, store_desk, make_controller, wait_idle, tmp_path):
    controller = make_controller(store_desk, registration=True)
    controller.slips.output_file = str(tmp_path / "printed-slip.pdf")
    controller.start()
    wait_idle()
    keyboard_sign_in(qtbot, controller, wait_idle, OPERATOR[0], OPERATOR[2])
    assert controller.login is not None
    return controller


def _fetch_2024_2(store_desk, run_cli) -> None:
    """Central publishes 2024.2; the manager's ``forms update`` keeps it in the desk's store."""
    store_desk.central.service.publish_form(FORM_ID, "2024.2", definition_2024_2())
    update = run_cli("forms", "update", "--json")
    assert update.code == 0, update.err
    assert json.loads(update.out)["forms"][0]["current"] == "2024.2"


def _name(page) -> str | None:
    value: str | None = page.wizard.forms["name"].editor("name").value()
    return value


def _open_draft(qtbot, desk, sid: str) -> None:
    desk.show_drafts()
    qtbot.waitUntil(lambda: any(i.submission_id == sid for i in desk.drafts.items), timeout=5000)
    row = next(i for i, item in enumerate(desk.drafts.items) if item.submission_id == sid)
    desk.drafts.table.selectRow(row)
    QTest.keyClick(desk.drafts.table, Qt.Key.Key_Return)


def test_a_new_registration_after_forms_update_shows_and_names_the_new_version(
    qtbot, desk, store_desk, run_cli, wait_idle
) -> None:
    page = desk.registration
    desk.show_registration()
    wait_idle()
    assert page.wizard.form.version == "2024.1"
    assert NEW_FIELD not in page.wizard.forms

    _fetch_2024_2(store_desk, run_cli)  # while the desk is open
    desk.show_dashboard()
    desk.show_registration()  # the next new registration asks for the current form

    qtbot.waitUntil(lambda: page.wizard.form.version == "2024.2", timeout=5000)
    wizard = page.wizard
    assert NEW_FIELD in wizard.forms
    housing = next(p for p in wizard.section_pages if p.section.id == "housing")
    assert NEW_FIELD in housing.content.field_ids()
    record = example_record(31, wizard.form, load_geography(), date.today())
    assert NEW_FIELD in record["answers"]
    type_registration(qtbot, wizard, record)
    assert wizard.currentId() == wizard.review_id
    assert [(i.path, i.code) for i in wizard.review.issues] == []
    sid = page.submission_id
    with qtbot.waitSignal(page.record_queued, timeout=15_000):
        QTest.keyClick(wizard.button(wizard.WizardButton.FinishButton), Qt.Key.Key_Space)
    saved = store_desk.desk.store.records.get(sid)
    assert (saved.form_id, saved.form_version) == (FORM_ID, "2024.2")
    assert store_desk.load(desk.login, sid)["answers"][NEW_FIELD] == (record["answers"][NEW_FIELD])
    qtbot.waitUntil(lambda: store_desk.central.households() == 1, timeout=20_000)
    wait_idle()


def test_a_draft_started_under_the_old_version_keeps_it_and_reopens_under_it(
    qtbot, desk, store_desk, run_cli, wait_idle
) -> None:
    page = desk.registration
    desk.show_registration()
    wait_idle()
    name = page.wizard.forms["name"].editor("name").edit
    name.setFocus()
    QTest.keyClicks(name, "Old Form Head")
    old_sid = page.submission_id
    with qtbot.waitSignal(page.draft_saved, timeout=5000):
        QTest.keyClick(name, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)

    _fetch_2024_2(store_desk, run_cli)
    page.refresh_form()
    wait_idle()
    # The registration being typed is not disturbed by the new version.
    assert page.wizard.form.version == "2024.1"
    assert page.submission_id == old_sid
    assert _name(page) == "Old Form Head"

    page.start_new()  # the next citizen: the new version
    qtbot.waitUntil(lambda: page.wizard.form.version == "2024.2", timeout=5000)
    assert NEW_FIELD in page.wizard.forms

    _open_draft(qtbot, desk, old_sid)
    qtbot.waitUntil(lambda: page.submission_id == old_sid, timeout=5000)
    assert page.wizard.form.version == "2024.1"
    assert NEW_FIELD not in page.wizard.forms
    assert _name(page) == "Old Form Head"
    assert page.shown_form() == FormRef(FORM_ID, "2024.1")  # what the desk stamps on it
    # The review judges by the same definition: the 2024.2 question is never asked for.
    assert all(NEW_FIELD not in i.path for i in page.wizard.issues())
    assert not page.form_message.isVisible()
    wait_idle()


@pytest.mark.allow_log_warnings  # "record not opened: form version 2024.2 (...)"
def test_a_draft_naming_a_version_not_on_this_pc_is_refused_with_what_to_do_and_kept(
    qtbot, desk, store_desk, run_cli, wait_idle
) -> None:
    page = desk.registration
    record = example_record(7, parse_form(definition_2024_2()), load_geography(), date.today())
    sid = "0190a000-0000-7000-8000-0000000f0201"
    store_desk.save_draft(desk.login, sid, record)  # e.g. started on a PC that has 2024.2
    desk.show_registration()
    wait_idle()
    before = page.submission_id

    _open_draft(qtbot, desk, sid)
    qtbot.waitUntil(lambda: page.form_message.isVisible(), timeout=5000)
    text = page.form_message.text()
    assert "2024.2" in text
    assert "forms update" in text
    assert "kept" in text
    assert page.submission_id == before  # nothing of the draft was taken into the wizard
    assert page.wizard.form.version == "2024.1"
    wait_idle()
    assert store_desk.load_draft(desk.login, sid) == {**record, "submission_id": sid}
    QTest.keyClicks(page.wizard.forms["name"].editor("name").edit, "Next Citizen")
    assert not page.form_message.isVisible()  # read: typing the next citizen hides it
    wait_idle()
    assert store_desk.load_draft(desk.login, sid) == {**record, "submission_id": sid}

    _fetch_2024_2(store_desk, run_cli)  # what the message says to do
    _open_draft(qtbot, desk, sid)
    qtbot.waitUntil(lambda: page.submission_id == sid, timeout=5000)
    assert page.wizard.form.version == "2024.2"
    assert not page.form_message.isVisible()
    assert _name(page) == record["head"]["name"]
    assert page.wizard.record() == {k: v for k, v in record.items() if k not in STAMPED}
    assert page.shown_form() == FormRef(FORM_ID, "2024.2")
    wait_idle()


@pytest.mark.allow_log_warnings  # "form ... 2024.3 cannot be read; an older one is used"
def test_the_current_form_is_the_newest_this_desk_can_read(store_desk, run_cli) -> None:
    """A PC sharing a PostgreSQL database with a newer pser-desk may find a version there
    with a question type it does not know: new registrations stay on the newest it reads."""
    _fetch_2024_2(store_desk, run_cli)
    newer = copy.deepcopy(definition_2024_2())
    newer["version"] = "2024.3"
    housing = next(s for s in newer["sections"] if s["id"] == "housing")
    housing["fields"].append({"id": "house_photo", "type": "photo", "required": False,
                              "label": {"en": "Photo of the house", "ur": "گھر کی تصویر"}})  # fmt: skip
    with pytest.raises(FormDefinitionError):
        parse_form(newer)
    stored = StoredForm(FORM_ID, "2024.3", "2026-01-01T00:00:00Z", newer, "signed-elsewhere",
                        datetime.now(UTC))  # fmt: skip
    FormRepository(store_desk.desk.store.store).save(stored)

    forms = store_desk.desk.forms
    assert forms.current_form().version == "2024.2"
    with pytest.raises(DeskError) as unreadable:
        forms.form_version(FormRef(FORM_ID, "2024.3"))
    assert unreadable.value.code == "form.unreadable"
    with pytest.raises(DeskError) as unknown:
        forms.form_version(FormRef(FORM_ID, "2031.1"))
    assert unknown.value.code == "form.unknown_version"
