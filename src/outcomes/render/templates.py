"""The package's HTML templates (Jinja2, ``src/outcomes/templates/``).

Autoescaping is on: every value is escaped with
:func:`outcomes.core.safety.escape_html` (the project's one escaping function)
unless it is already HTML (:class:`markupsafe.Markup`, e.g. a page body built
from escaped parts).
"""

from __future__ import annotations

from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from outcomes.core.safety import escape_html


def _escaped(value: Any) -> Markup:
    """Autoescape with the project's one escaping function (quotes as ``&quot;`` and ``&#x27;``)."""
    return value if isinstance(value, Markup) else Markup(escape_html(value))


@cache
def templates() -> jinja2.Environment:
    """The package's page templates (autoescaped, trailing newlines kept as written)."""
    return jinja2.Environment(
        loader=jinja2.PackageLoader("outcomes", "templates"),
        autoescape=True,
        finalize=_escaped,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


def render_template(name: str, **values: Any) -> str:
    """Render one template of ``src/outcomes/templates/`` with the given values."""
    return templates().get_template(name).render(**values)
