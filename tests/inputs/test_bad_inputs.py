"""The corpus of bad inputs, each run through the real command line.

``tests/data/bad/cases.yml`` says, for every file, the exact exit code of
``outcomes validate FILE --kind KIND`` and the words the output must contain
(file name, line and column) or must never contain (identity numbers). The
command runs in a subprocess against a private project, so rejects are written
there and not into the repository.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
import yaml

from outcomes.core.safety import safe_for_csv
from outcomes.inputs.intake import intake_file
from outcomes.registries.statuses import load_status_map
from outcomes.render.display import html_table
from tests.conftest import ROOT, make_project

BAD = ROOT / "tests" / "data" / "bad"
CASES: dict[str, dict] = yaml.safe_load((BAD / "cases.yml").read_text(encoding="utf-8"))
_COUNTS = re.compile(r"(\d+) rows read, (\d+) accepted, (\d+) rejected")


@pytest.fixture(scope="module")
def private_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("bad") / "project")


def run_cli(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "OUTCOMES_ROOT": str(root), "PYTHONIOENCODING": "utf-8"}
    return subprocess.run(
        [sys.executable, "-m", "outcomes.cli", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=root,
        timeout=120,
    )


class TestCorpusManifest:
    def test_every_file_has_a_case_and_every_case_a_file(self) -> None:
        files = {p.name for p in BAD.iterdir() if p.is_file() and p.name not in ("cases.yml", "make_corpus.py")}
        assert files == set(CASES)
        assert len(CASES) >= 25
        assert {c["kind"] for c in CASES.values()} == {"followup", "costs"}
        assert {c["exit"] for c in CASES.values()} == {0, 1, 2}

    def test_committed_files_are_what_the_script_writes(self) -> None:
        spec = importlib.util.spec_from_file_location("make_corpus", BAD / "make_corpus.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, (data, case) in module.corpus().items():
            assert (BAD / name).read_bytes() == data, f"{name} differs: rerun tests/data/bad/make_corpus.py"
            assert CASES[name] == case


@pytest.fixture(scope="module")
def corpus_runs(private_root: Path) -> dict[str, subprocess.CompletedProcess[str]]:
    """Every case run once; the runs overlap because most of each is starting Python."""

    def run(name: str) -> subprocess.CompletedProcess[str]:
        return run_cli(private_root, "validate", str(BAD / name), "--kind", CASES[name]["kind"])

    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        return dict(zip(sorted(CASES), pool.map(run, sorted(CASES)), strict=False))


@pytest.mark.parametrize("name", sorted(CASES))
def test_case_through_cli(name: str, private_root: Path, corpus_runs: dict) -> None:
    case = CASES[name]
    done = corpus_runs[name]
    output = done.stdout + done.stderr
    assert done.returncode == case["exit"], output
    assert "Traceback" not in output and "internal error" not in output
    for word in case["words"]:
        assert word in output, f"{word!r} missing from:\n{output}"
    for secret in case.get("absent", []):
        assert secret not in output
    stem = Path(name).stem
    processed = private_root / "data" / "processed" / "adhoc" / f"{stem}.csv"
    rejects = private_root / "data" / "processed" / "rejects" / f"{stem}.csv"
    if case["exit"] == 2:
        assert not processed.exists() and not rejects.exists()
        return
    counts = [int(n) for n in _COUNTS.search(output).groups()]  # type: ignore[union-attr]
    read, accepted, rejected = counts
    assert counts == case["rows"] and read == accepted + rejected
    assert len(pd.read_csv(processed)) == accepted
    if rejected:
        table = pd.read_csv(rejects, dtype=str, keep_default_na=False)
        assert len(table) == rejected
        assert (table["reason"].str.len() > 0).all()
        # every rejected line is named in the problem table printed
        for line in table["_line"]:
            assert f"| {line} | " in output
    else:
        assert not rejects.exists()
    for secret in case.get("absent", []):
        for written in (processed, rejects):
            assert not written.exists() or secret not in written.read_text(encoding="utf-8")


def test_missing_file(private_root: Path) -> None:
    done = run_cli(private_root, "validate", str(BAD / "no_such_file.csv"))
    assert done.returncode == 2
    assert "no_such_file.csv" in done.stderr and "file not found" in done.stderr
    assert "Traceback" not in done.stdout + done.stderr


def test_several_files_exit_with_the_worst_code(private_root: Path) -> None:
    done = run_cli(private_root, "validate", str(BAD / "bom_good.csv"), str(BAD / "future_year.csv"))
    assert done.returncode == 1
    done = run_cli(
        private_root, "validate", str(BAD / "bom_good.csv"), str(BAD / "empty.csv"), str(BAD / "future_year.csv")
    )
    assert done.returncode == 2
    assert "bom_good.csv: 3 rows read" in done.stdout and "future_year.csv: 2 rows read" in done.stdout


class TestValidateConfiguredInputs:
    """`outcomes validate` with no files checks every input the configuration names."""

    def test_followup_and_costs_both_checked(self, private_root: Path) -> None:
        done = run_cli(private_root, "validate")
        assert done.returncode == 0, done.stderr
        assert "data/raw/demo/followup.csv:" in done.stdout and "data/raw/demo/costs.csv:" in done.stdout

    def test_bad_costs_counts_though_followup_is_good(self, private_root: Path) -> None:
        done = run_cli(private_root, "validate", "--set", f"inputs.costs={BAD / 'costs_negative_amount.csv'}")
        assert done.returncode == 1
        assert "data/raw/demo/followup.csv: 2081 rows read" in done.stdout
        assert "| 3 | amount_nok |" in done.stdout

    def test_unusable_followup_does_not_hide_costs(self, private_root: Path) -> None:
        done = run_cli(
            private_root,
            "validate",
            "--set",
            f"inputs.followup={BAD / 'empty.csv'}",
            "--set",
            f"inputs.costs={BAD / 'costs_unknown_payer.csv'}",
        )
        assert done.returncode == 2
        assert "empty.csv: the file is empty" in done.stderr
        assert "costs_unknown_payer.csv: 2 rows read, 1 accepted, 1 rejected" in done.stdout

    def test_costs_not_configured(self, private_root: Path) -> None:
        done = run_cli(private_root, "validate", "--set", "inputs.costs=null")
        assert done.returncode == 0 and "costs.csv" not in done.stdout


class TestFormulaText:
    """Formula-looking text is data: accepted, then made harmless where it leaves."""

    @pytest.fixture
    def accepted(self) -> pd.DataFrame:
        status_map = load_status_map(ROOT / "config" / "status_map.yml")
        return intake_file(BAD / "formula_department.csv", "followup", status_map=status_map, write=False).data

    def test_kept_as_text(self, accepted: pd.DataFrame) -> None:
        assert accepted["department"].tolist()[1] == '=HYPERLINK("http://example.com","x")'

    def test_neutralised_for_csv_download(self, accepted: pd.DataFrame) -> None:
        safe = safe_for_csv(accepted)
        assert safe["department"].tolist()[1] == '\'=HYPERLINK("http://example.com","x")'
        assert safe["department"].tolist()[0] == "Drammen"
        assert safe["followup_year"].tolist() == accepted["followup_year"].tolist()

    def test_escaped_in_html(self, accepted: pd.DataFrame) -> None:
        html = html_table(accepted.astype(str))
        assert "<script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_rejects_file_is_neutralised(self, project: Path) -> None:
        path = project / "data" / "raw" / "f.csv"
        path.write_text("participant_id,department,followup_year,status\nUI1,=1+2,2099,Arbeid\n", encoding="utf-8")
        status_map = load_status_map(project / "config" / "status_map.yml")
        intake_file(path, "followup", programme="t", status_map=status_map)
        text = (project / "data" / "processed" / "rejects" / "f.csv").read_text(encoding="utf-8")
        assert "'=1+2" in text
