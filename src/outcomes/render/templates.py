"""The package's HTML templates (Jinja2, ``src/outcomes/templates/``).

Autoescaping is on: every value is escaped with
:func:`outcomes.core.safety.escape_html` (the project's one escaping function)
unless it is already HTML (:class:`markupsafe.Markup`, e.g. a page body built
from escaped parts).
"""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from outcomes.core.safety import escape_html


def _escaped(value: Any) -> Markup:
    """Autoescape with the project's one escaping function (quotes as ``&quot;`` and ``&#x27;``)."""
    return value if isinstance(value, Markup) else Markup(escape_html(value))


#: A space between a number and a percent sign, where a line must not break ("95 % KI", "80–90 %").
_NUMBER_PERCENT = re.compile(r"(?<=\d) (?=%)")


def keep_percent(text: Any) -> str:
    """``text`` with a no-break space between a number and ``%``, so a narrow screen never shows "95 / % KI"."""
    return _NUMBER_PERCENT.sub("\u00a0", str(text))


@cache
def templates() -> jinja2.Environment:
    """The package's page templates (autoescaped, trailing newlines kept as written; filter ``keep_percent``)."""
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("outcomes", "templates"),
        autoescape=True,
        finalize=_escaped,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    environment.filters["keep_percent"] = keep_percent
    return environment


def render_template(name: str, **values: Any) -> str:
    """Render one template of ``src/outcomes/templates/`` with the given values."""
    return templates().get_template(name).render(**values)
