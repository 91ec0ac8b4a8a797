"""outcomes: follow-up rates, baseline indicators and social return for youth-inclusion programmes."""

import sys
from importlib.metadata import PackageNotFoundError, version

# jsonschema (which nbformat and papermill import for the report) imports rfc3987_syntax, when it is
# installed, for its "iri" format checker; that module builds some 35 Lark parsers as it is imported,
# about 1.1 s of CPU in every report run. Nothing here validates IRIs: marked absent, the module is
# skipped and the checker left out (python-jsonschema/jsonschema#1428).
if "rfc3987_syntax" not in sys.modules:
    sys.modules["rfc3987_syntax"] = None  # type: ignore[assignment]  # None: "absent", as the import system reads it

try:
    __version__ = version("outcomes")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["__version__"]
