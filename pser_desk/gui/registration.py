"""The registration page: the wizard rendered from the form definition, plugged into the desk."""

from __future__ import annotations

import logging

from pser_desk.gui.shell import DeskController

log = logging.getLogger(__name__)


def attach_registration(controller: DeskController) -> None:
    """Build the wizard for the shipped form and add it to the desk (a no-op until it exists)."""
    return None
