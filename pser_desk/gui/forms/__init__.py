"""Python made from ui/*.ui by scripts/build_ui.py (generated)."""
