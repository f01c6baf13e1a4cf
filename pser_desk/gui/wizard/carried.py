"""What the desk fills in on the household's pages for the operator to check: a mobile's
network from its prefix, the head's gender from the CNIC (``domain/carry_forward``). Only
an empty answer, or one the desk filled in before, is ever set."""

from __future__ import annotations

from pser_desk.domain.carry_forward import Inference, infer_head
from pser_desk.domain.form import FieldType, FormDefinition
from pser_desk.domain.mobile import parse_mobile
from pser_desk.gui.wizard.field_form import FieldForm

NETWORK_SUFFIX = "_network"  # a mobile field "x" has its network choice in "x_network"


def prefill_network(definition: FormDefinition, form: FieldForm, field_id: str) -> None:
    """A mobile number changed: its network chosen from the prefix (unless the operator
    chose one)."""
    if definition.field(field_id).type is not FieldType.MOBILE:
        return
    target_id = field_id + NETWORK_SUFFIX
    if target_id not in form.field_ids():
        return
    target = form.editor(target_id)
    if target.value() is not None and not target.auto_filled:
        return  # the operator chose the network: keep it
    typed = form.editor(field_id).value()
    result = parse_mobile(typed if isinstance(typed, str) else "")
    target.set_value(result.mobile.network_guess.value if result.mobile else None)
    target.auto_filled = target.value() is not None


def carry_head(facts: Inference, form: FieldForm) -> None:
    """The head's answers that follow from others (the gender from the CNIC)."""
    gender_id = facts.head_gender
    if gender_id is None or gender_id not in form.field_ids():
        return
    editor = form.editor(gender_id)
    if editor.value() is not None and not editor.auto_filled:
        return  # the operator chose it
    inferred = infer_head({**form.values(), gender_id: None}, facts).get(gender_id)
    editor.set_value(inferred)
    editor.auto_filled = inferred is not None
    form.show_hint(gender_id, "carried" if inferred is not None else None)
