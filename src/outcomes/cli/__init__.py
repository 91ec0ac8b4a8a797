"""The ``outcomes`` command line: :func:`main` parses the arguments and runs one command."""

from outcomes.cli.main import build_parser, main
from outcomes.cli.options import overrides_from

__all__ = ["build_parser", "main", "overrides_from"]
