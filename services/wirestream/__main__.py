"""`python -m wirestream`: the command line."""

import sys

from wirestream.cli import main

sys.exit(main())
