"""The centre manager's screens: operators, enrolment, settings, audit log, daily report."""

from __future__ import annotations

from pser_desk.gui.manager.install import ManagerScreens, install_manager_screens

__all__ = ["ManagerScreens", "install_manager_screens"]
