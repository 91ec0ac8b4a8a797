"""The report's sections, each declared once.

A section is one analysis shown on one page: its notebook, its page in the
bundle, what the configuration must give it, the function that computes its
published results, their JSON view (``summary.json``, ``--json``), its
command, and its cards on the front page. The configuration check, the
report runner, the command line and the front page loop over
:data:`SECTIONS`; adding a section is one analysis package under
:mod:`outcomes.analyses`, one notebook and one entry here.

The analysis packages are imported only when a section's results are asked
for, so a notebook for one section does not import the others.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from types import ModuleType
from typing import Any

from outcomes.render.cards import Card


@dataclass(frozen=True)
class Section:
    """One section of the report.

    Attributes
    ----------
    name
        Its key in the configuration (``sections:``), in ``summary.json`` and
        in the locale catalogues (``report.section_<name>``).
    page
        Its page in the bundle.
    notebook
        Its notebook (project-relative).
    package
        Its analysis package under :mod:`outcomes.analyses`: ``<package>.results``
        holds :attr:`results` and :attr:`to_json`, ``<package>.cards`` its
        ``front_cards(results, data, cfg)``.
    results, to_json
        Names of the functions computing the published results from the
        configuration, and turning them into JSON-ready data.
    reads
        The configured inputs (names in :func:`outcomes.inputs.preflight.configured_inputs`)
        its figures rest on: a command printing them refuses rejected rows in these.
    needs_block
        A block of the configuration the section cannot run without.
    needs_any_input
        Inputs (keys of ``inputs:``) of which the section needs at least one.
    command_help
        Help of the command that prints the section's published figures
        (``outcomes <name>``); empty when the section has a command of its own.
    card_rank
        Where its cards stand on the front page (smallest first).
    data_check
        Name of a function in its ``results`` module that raises
        :class:`~outcomes.core.errors.NoDataForYearsError` when its inputs hold
        nothing for the report's years; the report then leaves it out and says why.
    """

    name: str
    page: str
    notebook: str
    package: str
    results: str
    to_json: str
    reads: tuple[str, ...] = ()
    needs_block: str | None = None
    needs_any_input: tuple[str, ...] = ()
    command_help: str = ""
    card_rank: int = 0
    data_check: str | None = None

    def module(self) -> ModuleType:
        """The section's ``results`` module (imported on first use)."""
        return import_module(f"outcomes.analyses.{self.package}.results")

    def compute(self, cfg: Any, **options: Any) -> Any:
        """The section's published results for a configuration."""
        function: Callable[..., Any] = getattr(self.module(), self.results)
        return function(cfg, **options)

    def as_json(self, results: Any) -> dict[str, Any]:
        """The results as published (``summary.json``, the downloads, ``--json``): hidden cells flagged, not explained.

        The section's view carries why each cell is hidden; what is published
        says only that it is (:func:`~outcomes.core.disclosure.published_flags`).
        """
        from outcomes.core.disclosure import published_flags

        function: Callable[[Any], dict[str, Any]] = getattr(self.module(), self.to_json)
        published: dict[str, Any] = published_flags(function(results))
        return published

    def front_cards(self, results: Any, data: dict[str, Any], cfg: Any) -> list[Card]:
        """The section's cards on the front page (from ``<package>.cards.front_cards``)."""
        cards = import_module(f"outcomes.analyses.{self.package}.cards")
        return list(cards.front_cards(results, data, cfg))

    def check_data(self, cfg: Any) -> None:
        """Raise :class:`~outcomes.core.errors.NoDataForYearsError` when the section has no data for the years."""
        if self.data_check:
            getattr(self.module(), self.data_check)(cfg)

    def missing(self, cfg: Any) -> str | None:
        """What the configuration lacks for this section, or ``None``."""
        if self.needs_block and getattr(cfg, self.needs_block) is None:
            return f"section '{self.name}' is listed but there is no '{self.needs_block}:' block"
        if self.needs_any_input and not any(getattr(cfg.inputs, key) for key in self.needs_any_input):
            keys = " nor ".join(f"inputs.{key}" for key in self.needs_any_input)
            return f"section '{self.name}' is listed but neither {keys} is set"
        return None


#: Every section, in the order of the report's pages.
SECTIONS: dict[str, Section] = {
    s.name: s
    for s in (
        Section(
            name="followup",
            reads=("followup", "followup_counts"),
            page="followup.html",
            notebook="notebooks/10_followup.ipynb",
            package="followup",
            results="followup_results",
            to_json="followup_json",
            card_rank=0,
        ),
        Section(
            name="participants",
            reads=("profile", "survey"),
            page="participants.html",
            notebook="notebooks/15_participants.ipynb",
            package="participants",
            results="participants_page_results",
            to_json="participants_json",
            needs_any_input=("profile", "survey"),
            command_help="print who the programme serves and what participants say (published figures)",
            card_rank=2,
            data_check="participants_data_check",
        ),
        Section(
            name="baseline",
            page="baseline.html",
            notebook="notebooks/20_baseline.ipynb",
            package="baseline",
            results="baseline_results",
            to_json="baseline_json",
            needs_block="baseline",
            command_help="print the baseline (null-point) indicators",
            card_rank=3,
        ),
        Section(
            name="costbenefit",
            reads=("followup", "followup_counts", "costs"),
            page="cost_benefit.html",
            notebook="notebooks/30_cost_benefit.ipynb",
            package="costbenefit",
            results="cba_results",
            to_json="cba_json",
            needs_block="costbenefit",
            card_rank=1,
        ),
    )
}

#: The data-and-methods page: written from every section's results, after the disclosure audit.
METHODS_PAGE = "methods.html"
