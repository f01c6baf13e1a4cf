"""Presenters: the screens' behaviour without Qt (testable with plain objects).

A presenter holds a screen's state and talks to the application layer through a
:class:`~pser_desk.gui.presenters.ports.Runner` (work off the GUI thread) and to its
view through a small protocol the Qt widget implements. Nothing here imports Qt
(an import-linter contract in pyproject.toml keeps it so).
"""
