import sys

from pser_desk.cli import main

sys.exit(main())
