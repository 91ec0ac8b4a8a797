"""The assumption registry: every number behind a cost-benefit ratio, with its source.

A registry is a YAML file, ``config/assumptions/<programme>.yml``::

    programme: demo
    title: ...
    settings:
      price_index: G          # G (yearly average) or KPI
      tax_financing: true     # the 20 % tax-financing cost in the society perspective
    assumptions:
      - id: attribution
        label: Share of the outcome due to others
        value: 0.25
        unit: share           # NOK | NOK/year | share | share/year | years
        source: {document: ..., locator: page 4, table 2}
        evidence: judgement   # data | research | judgement
        low: 0.1
        high: 0.4
        distribution: {kind: pert}   # optional: uniform | triangular | pert | normal
        quality: amber        # red | amber | green: how good the evidence is
        impact: red           # red | amber | green: how much the result depends on it
      - id: discount_rate_1   # ... one assumption (share/year) per rate of the schedule
    discount_schedule:        # steps in order; the last has no until_year
      - {until_year: 40, rate: discount_rate_1}
      - {until_year: discount_break_2, rate: discount_rate_2}  # a year may be an assumption (years)
      - {rate: discount_rate_3}

Unknown keys and missing sources are errors, reported with the file, line and
assumption id. Money (units ``NOK`` and ``NOK/year``) must state a
``price_year``; other units must not. Shares are 0-1, never percent. The
discount schedule names its rates (and, where they need a source or a range,
its break years) by assumption id, so a schedule of another shape is an edit
of the registry alone.

The package's parts: :mod:`.schema` (every rule of the file, checked by
pydantic), :mod:`.loading` (the only code that reads a file), :mod:`.overrides`
(what-if values, pure) and :mod:`.tables` (the assumptions log and diffs, pure).
"""

from outcomes.registries.assumptions.loading import load_registry, parse_registry
from outcomes.registries.assumptions.overrides import apply_overrides
from outcomes.registries.assumptions.schema import (
    MONEY_UNITS,
    SETTING_NAMES,
    SHARE_UNITS,
    Assumption,
    DiscountStep,
    Distribution,
    Override,
    Registry,
    RegistryFile,
    Settings,
    Source,
)
from outcomes.registries.assumptions.tables import diff_registries, registry_table

__all__ = [
    "MONEY_UNITS",
    "SETTING_NAMES",
    "SHARE_UNITS",
    "Assumption",
    "DiscountStep",
    "Distribution",
    "Override",
    "Registry",
    "RegistryFile",
    "Settings",
    "Source",
    "apply_overrides",
    "diff_registries",
    "load_registry",
    "parse_registry",
    "registry_table",
]
