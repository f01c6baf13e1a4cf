"""Scanning CNICs in the desk: the scan dialog, handheld scanners, the "Scan CNIC" action."""

from __future__ import annotations

from pser_desk.gui.scanning.install import ScanController, install_scanning

__all__ = ["ScanController", "install_scanning"]
