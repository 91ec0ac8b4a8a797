"""Every input the configuration names, checked once per run.

The report runner and ``outcomes validate`` use this list, so both check the
same files with the same contracts. Each section's pipeline reads the same
processed (cached) tables afterwards.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from outcomes.core.config import ReportConfig
from outcomes.core.errors import RejectedRowsError
from outcomes.inputs.contracts import load_contract
from outcomes.inputs.intake import IntakeResult, intake_file
from outcomes.registries.statuses import load_status_map


@dataclass(frozen=True)
class ConfiguredInput:
    """One input of the configuration: its name in the run, file, contract kind and sheet."""

    name: str
    path: str
    kind: str
    sheet: str | None = None


def configured_inputs(cfg: ReportConfig) -> list[ConfiguredInput]:
    """The inputs named in ``cfg.inputs`` that have a data contract, follow-up records first, then yearly counts."""
    inputs = [ConfiguredInput("followup", cfg.inputs.followup, "followup", cfg.inputs.followup_sheet)]
    if cfg.inputs.followup_counts:
        inputs.append(
            ConfiguredInput(
                "followup_counts", cfg.inputs.followup_counts, "followup_counts", cfg.inputs.followup_counts_sheet
            )
        )
    if cfg.inputs.costs:
        inputs.append(ConfiguredInput("costs", cfg.inputs.costs, "costs"))
    if cfg.inputs.profile:
        from outcomes.analyses.participants.results import profile_kind

        inputs.append(ConfiguredInput("profile", cfg.inputs.profile, profile_kind(cfg.inputs.profile)))
    if cfg.inputs.survey:
        inputs.append(ConfiguredInput("survey", cfg.inputs.survey, "survey"))
    return inputs


def intake_configured(cfg: ReportConfig, names: Collection[str] | None = None) -> list[IntakeResult]:
    """Read and check every configured input, or those ``names`` (reusing processed tables when unchanged)."""
    status_map = load_status_map(cfg.status_map)
    return [
        intake_file(
            item.path,
            item.kind,
            name=item.name,
            programme=cfg.programme.slug,
            status_map=status_map if load_contract(item.kind).uses_status_map else None,
            sheet=item.sheet,
            confirm_random_ids=cfg.inputs.confirm_random_ids,
        )
        for item in configured_inputs(cfg)
        if names is None or item.name in names
    ]


def rejected_rows_error(
    results: list[IntakeResult], shown: int = 20, outcome: str = "the report was not published", option: str = "publish"
) -> RejectedRowsError | None:
    """One error listing the rejected rows of every input (file, line, column, value, expected), or ``None``.

    ``outcome`` says what did not happen (the first line of the message); ``option`` what
    ``--allow-rejects`` would do instead (the hint).
    """
    bad = [r for r in results if r.summary.rows_rejected]
    if not bad:
        return None
    lines = []
    for result in bad:
        s = result.summary
        lines.append(f"{s.rows_rejected} of {s.rows_read} rows in {s.file} were rejected:")
        for p in result.problems.head(shown).to_dict(orient="records"):
            lines.append(
                f"  {p['file']}, line {p['line']}, column '{p['column']}': {p['problem']}"
                + (f" (found '{p['value']}')" if p["value"] else "")
                + f"; expected {p['expected']}"
            )
        if len(result.problems) > shown:
            lines.append(f"  ... and {len(result.problems) - shown} more")
        lines.append(f"  All rejected rows with reasons: {s.rejects_file}")
    return RejectedRowsError(
        f"{outcome}.\n" + "\n".join(lines),
        hint=f"Fix the rows (or the status map), or rerun with --allow-rejects to {option} without them.",
    )
