"""pser_desk: the registration-centre client."""

from pathlib import Path

# The version lives in one data file beside this module (pyproject.toml reads it too), so
# that a frozen bundle's version is a file the updater and its tests can read (update/).
__version__ = Path(__file__).with_name("VERSION").read_text(encoding="ascii").strip()
