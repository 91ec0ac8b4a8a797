"""``python -m outcomes.cli``."""

import sys

from outcomes.cli.main import main

sys.exit(main())
