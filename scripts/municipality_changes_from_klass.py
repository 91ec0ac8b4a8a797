"""Rebuild src/outcomes/data/municipality_changes.csv from a saved SSB KLASS change list.

Download the change list of classification 131 for the period the table covers
(the next change: a later "to" date), then rebuild or check the table:

    curl -H 'Accept: application/json' \\
      'https://data.ssb.no/api/klass/v1/classifications/131/changes?from=2016-01-01&to=2024-01-02' \\
      > klass_131_changes.json
    python scripts/municipality_changes_from_klass.py klass_131_changes.json --check
    python scripts/municipality_changes_from_klass.py klass_131_changes.json --out src/outcomes/data/municipality_changes.csv

--check prints every difference from the shipped table and exits 1 if there is
any. --fixture-from-table writes the shipped table as a KLASS-shaped response
(how tests/data/recorded/klass_131_changes_2016_2024.json was made).
"""

from __future__ import annotations

import argparse
import json
import sys
from importlib import resources
from pathlib import Path

import pandas as pd

from outcomes.core.errors import OutcomesError
from outcomes.registries.municipality_changes import (
    CHANGE_TABLE_COLUMNS,
    change_table_from_klass,
    klass_code_changes,
    klass_response_from_change_table,
)

SHIPPED_TABLE = Path(str(resources.files("outcomes") / "data" / "municipality_changes.csv"))


def read_change_table(path: Path) -> pd.DataFrame:
    """A change table CSV as :func:`change_table_from_klass` returns it."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    table["change_year"] = table["change_year"].astype("int64")
    return table[list(CHANGE_TABLE_COLUMNS)]


def table_differences(rebuilt: pd.DataFrame, shipped: pd.DataFrame) -> list[str]:
    """Lines naming every edge, kind or name that differs between two change tables."""
    key = ["old_code", "new_code", "change_year"]
    both = rebuilt.merge(shipped, on=key, how="outer", suffixes=("", "_shipped"), indicator="found_in")
    lines = []
    for row in both.sort_values(key).itertuples(index=False):
        edge = f"{row.old_code} -> {row.new_code} ({row.change_year})"
        if row.found_in == "left_only":
            lines.append(f"only in the KLASS response: {edge} {row.old_name} -> {row.new_name}, {row.kind}")
        elif row.found_in == "right_only":
            lines.append(f"only in the shipped table: {edge} {row.old_name_shipped} -> {row.new_name_shipped}")
        else:
            for column in ("kind", "old_name", "new_name"):
                ours, theirs = getattr(row, column), getattr(row, f"{column}_shipped")
                if ours != theirs:
                    lines.append(f"{column} differs for {edge}: KLASS {ours!r}, shipped {theirs!r}")
    return lines


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 done or identical, 1 differences, 2 unusable input)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("response", type=Path, nargs="?", help="saved KLASS response (JSON); '-' reads stdin")
    parser.add_argument("--out", type=Path, help="write the rebuilt table here (default: print it)")
    parser.add_argument("--check", action="store_true", help="compare with the shipped table instead of writing")
    parser.add_argument("--table", type=Path, default=SHIPPED_TABLE, help="the table to check or build from")
    parser.add_argument("--fixture-from-table", type=Path, metavar="JSON", help="write --table as a KLASS response")
    args = parser.parse_args(argv)

    if args.fixture_from_table:
        response = klass_response_from_change_table(read_change_table(args.table))
        # Compact objects as KLASS writes them, one per line so that changes read as clean diffs.
        lines = (json.dumps(item, ensure_ascii=False, separators=(",", ":")) for item in response["codeChanges"])
        text = '{"codeChanges":[\n' + ",\n".join(lines) + "\n]}\n"
        args.fixture_from_table.write_text(text, encoding="utf-8")
        print(f"Wrote {len(response['codeChanges'])} KLASS objects to {args.fixture_from_table}.", file=sys.stderr)
        return 0
    if args.response is None:
        parser.error("give the saved KLASS response (or --fixture-from-table)")
    try:
        source = sys.stdin.read() if str(args.response) == "-" else args.response.read_text(encoding="utf-8")
        response = json.loads(source)
        objects = klass_code_changes(response)
        table = change_table_from_klass(response)
    except (OSError, json.JSONDecodeError, OutcomesError) as err:
        print(f"{args.response}: {err}", file=sys.stderr)
        return 2
    no_pair = int(objects[["old_code", "new_code"]].isna().any(axis=1).sum())
    same_code = int((objects["old_code"] == objects["new_code"]).sum())
    print(
        f"{len(objects)} KLASS objects -> {len(table)} edges "
        f"({same_code} without a change of code and {no_pair} without an old or new code left out).",
        file=sys.stderr,
    )
    if args.check:
        differences = table_differences(table, read_change_table(args.table))
        for line in differences:
            print(line)
        print(f"{len(differences)} difference(s) from {args.table}.", file=sys.stderr)
        return 1 if differences else 0
    csv = table.to_csv(index=False, lineterminator="\n")
    if args.out:
        args.out.write_text(csv, encoding="utf-8")
        print(f"Wrote {args.out}.", file=sys.stderr)
    else:
        sys.stdout.write(csv)
    return 0


if __name__ == "__main__":
    sys.exit(main())
