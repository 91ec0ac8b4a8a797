"""The assumption registry: every number behind a cost-benefit ratio, with its source.

A registry is a YAML file, ``config/assumptions/<programme>.yml``::

    programme: demo
    title: ...
    settings:
      report_price_year: 2024 # one price year for every amount
      comparison_year: 2024   # one year every cohort is discounted to (sammenligningsår)
      price_index: KPI        # KPI (fixed prices; labour-linked values add real-price growth) or G
      tax_financing: true     # the 20 % tax-financing cost in the society perspective
    unit_costs: [config/unit_costs/norway.yml]   # libraries the assumptions refer to (project-relative)
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
        # optional: labour_linked (money), price_basis {uprated_by, from_year}, calibrated_to,
        # to_verify, unit_cost (an entry of a unit-cost library, which then gives the number)
      - id: discount_rate_1   # ... one assumption (share/year) per rate of the schedule
    discount_schedule:        # steps in order; the last has no until_year
      - {until_year: 40, rate: discount_rate_1}
      - {until_year: discount_break_2, rate: discount_rate_2}  # a year may be an assumption (years)
      - {rate: discount_rate_3}
    nullalternative:          # per value stream: a share per cohort (default, by_year), by assumption id
      work: {default: null_work_share}
      education: {default: null_education_share, by_year: {2017: null_education_share_2017}}
    optimism_bias: {...}      # haircuts by rating, shown as a scenario (blocks.OptimismBias)
    non_priced: [...]         # plus-minus assessments (blocks.NonPricedEffect)
    scenarios: [...]          # named what-ifs that reproduce a claim (blocks.Scenario)

Unknown keys and missing sources are errors, reported with the file, line and
assumption id. Money (units ``NOK`` and ``NOK/year``) must state a
``price_year``; other units must not. Shares are 0-1, never percent. The
discount schedule names its rates (and, where they need a source or a range,
its break years) by assumption id, so a schedule of another shape is an edit
of the registry alone.

The package's parts: :mod:`.assumption` (one entry), :mod:`.blocks` (the
nullalternativ, optimism bias, non-priced effects and scenarios),
:mod:`.schema` (the whole file, checked by pydantic), :mod:`.unit_costs` (the
unit-cost library and how entries fill assumptions), :mod:`.loading` (the
only code that reads a registry), :mod:`.overrides` (what-if values, pure)
and :mod:`.tables` (the assumptions log and diffs, pure).
"""

from outcomes.registries.assumptions.blocks import STREAMS, NonPricedEffect, NullAlternative, OptimismBias, Scenario
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
    PriceBasis,
    Registry,
    RegistryFile,
    Settings,
    Source,
)
from outcomes.registries.assumptions.tables import diff_registries, registry_table
from outcomes.registries.assumptions.unit_costs import UnitCost, load_unit_costs

__all__ = [
    "MONEY_UNITS",
    "SETTING_NAMES",
    "SHARE_UNITS",
    "STREAMS",
    "Assumption",
    "DiscountStep",
    "Distribution",
    "NonPricedEffect",
    "NullAlternative",
    "OptimismBias",
    "Override",
    "PriceBasis",
    "Registry",
    "RegistryFile",
    "Scenario",
    "Settings",
    "Source",
    "UnitCost",
    "apply_overrides",
    "diff_registries",
    "load_registry",
    "load_unit_costs",
    "parse_registry",
    "registry_table",
]
