"""The report runner end to end on the demo data (papermill + nbconvert; a few seconds each)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from outcomes.core.errors import RejectedRowsError, ReportBuildError
from outcomes.report import runner
from outcomes.report.runner import build_report
from tests.conftest import outcomes_root

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(demo_build):
    """The session's demo bundle (Norwegian) plus an English build in the same project."""
    root, nb = demo_build
    nb_copy = {p.relative_to(nb): p.read_bytes() for p in nb.rglob("*") if p.is_file()}
    processed = {p.relative_to(root): p.read_bytes() for p in (root / "data" / "processed").rglob("*") if p.is_file()}
    with outcomes_root(root):
        en = build_report(overrides={"language": "en", "programme.slug": "demo-en"}, log=lambda m: None)
        yield {"root": root, "nb": nb, "nb_files": nb_copy, "processed": processed, "en": en}


def hand_rates(csv: Path, year: int) -> dict[str, float]:
    """Shares among respondents computed directly from the demo file's labels."""
    groups = {
        "education": {"Utdanning", "Videregående skole", "Student", "Lærling", "Lærekandidat", "Utdanning og arbeid"},
        "education_or_work": {
            "Utdanning",
            "Videregående skole",
            "Student",
            "Lærling",
            "Lærekandidat",
            "Utdanning og arbeid",
            "Arbeid",
            "I jobb",
        },
        "positive_activity": {
            "Utdanning",
            "Videregående skole",
            "Student",
            "Lærling",
            "Lærekandidat",
            "Utdanning og arbeid",
            "Arbeid",
            "I jobb",
            "Tiltak",
            "Arbeidstrening",
            "Folkehøgskole",
            "Førstegangstjeneste",
            "Foreldrepermisjon",
        },
    }
    data = pd.read_csv(csv)
    data = data[data.followup_year == year]
    answered = data[data.status != "Ikke nådd"]
    return {g: answered.status.isin(labels).sum() / len(answered) for g, labels in groups.items()}


class TestBundle:
    def test_files(self, built) -> None:
        names = {str(p) for p in built["nb_files"]}
        assert {
            "index.html",
            "followup.html",
            "summary.json",
            "assets/plotly.min.js",
            "assets/report.css",
            "downloads/followup_rates.csv",
        } <= names

    def test_plotly_included_once_and_no_cdn(self, built) -> None:
        for name, content in built["nb_files"].items():
            if name.suffix == ".html":
                text = content.decode()
                assert '<script src="assets/plotly.min.js"></script>' in text
                assert "cdn.plot.ly" not in text and "cdnjs" not in text and "require.js" not in text
                assert len(content) < 300_000  # plotly.js (4+ MB) is not inlined

    def test_no_code_in_pages(self, built) -> None:
        html = built["nb_files"][Path("followup.html")].decode()
        for marker in (
            "import pandas",
            "load_config(",
            "followup_results(",
            "config_path =",
            "jp-InputArea",
            "In&nbsp;[",
        ):
            assert marker not in html

    def test_figures_present(self, built) -> None:
        html = built["nb_files"][Path("followup.html")].decode()
        for name in ("followup-trend", "followup-departments", "followup-response"):
            assert f'id="fig-{name}"' in html

    def test_chart_numbers_in_the_report_language(self, built) -> None:
        # bokmål: decimal comma and a no-break space between thousands on every chart's axes and hovers
        pages = {
            "nb": [built["nb_files"][p].decode() for p in built["nb_files"] if p.suffix == ".html"],
            "en": [p.read_text(encoding="utf-8") for p in built["en"].glob("*.html")],
        }
        for lang, separators in (("nb", '"separators":",\\u00a0"'), ("en", '"separators":".,"')):
            charts = sum(page.count('class="plotly-graph-div"') for page in pages[lang])
            assert charts >= 12
            assert sum(page.count(separators) for page in pages[lang]) == charts, lang

    def test_headline_matches_hand_calculation(self, built) -> None:
        summary = json.loads(built["nb_files"][Path("summary.json")])
        expected = hand_rates(built["root"] / "data" / "raw" / "demo" / "followup.csv", 2020)
        for group, share in expected.items():
            assert summary["followup"]["headline"]["groups"][group]["share"] == pytest.approx(share, abs=1e-6)

    def test_provenance_recorded(self, built) -> None:
        prov = json.loads(built["nb_files"][Path("summary.json")])["provenance"]
        assert prov["inputs"][0]["file"] == "data/raw/demo/followup.csv"
        assert len(prov["inputs"][0]["sha256"]) == 64
        assert prov["config"]["disclosure_threshold"] == 5 and prov["package_version"]

    def test_rerun_gives_identical_files(self, built, monkeypatch: pytest.MonkeyPatch) -> None:
        """An unchanged rerun loads every stored result, so every core takes a kernel, and writes the same files."""
        started: list[int] = []
        real = runner.start_kernels
        monkeypatch.setattr(runner, "start_kernels", lambda count, root: started.append(count) or real(count, root))
        monkeypatch.setattr("os.cpu_count", lambda: 3)  # a run that computes would start 2
        target = build_report(log=lambda m: None)
        assert started == [3]
        again = {p.relative_to(target): p.read_bytes() for p in target.rglob("*") if p.is_file()}
        assert again == built["nb_files"]
        root = built["root"]
        processed = {p: (root / p).read_bytes() for p in built["processed"]}
        assert processed == built["processed"] and len(processed) >= 2

    def test_english_same_numbers_in_every_section(self, built) -> None:
        def numbers(node, path=()):
            if isinstance(node, bool) or node is None:
                return
            if isinstance(node, (int, float)):
                yield path, node
            elif isinstance(node, dict):
                for key, value in node.items():
                    yield from numbers(value, path + (key,))
            elif isinstance(node, list):
                for i, value in enumerate(node):
                    yield from numbers(value, path + (i,))

        nb = json.loads(built["nb_files"][Path("summary.json")])
        en = json.loads((built["en"] / "summary.json").read_text())
        for section in nb["sections"]:
            assert dict(numbers(nb[section])) == dict(numbers(en[section])), section
        assert nb["costbenefit"]["headline"]["labels"] != en["costbenefit"]["headline"]["labels"]

    def test_english_same_numbers_other_text(self, built) -> None:
        nb = json.loads(built["nb_files"][Path("summary.json")])["followup"]["headline"]
        en = json.loads((built["en"] / "summary.json").read_text())["followup"]["headline"]
        assert nb == en
        html = (built["en"] / "followup.html").read_text()
        assert 'lang="en"' in html and "Results by year" in html and "Resultater per år" not in html


class TestFailures:
    def test_failing_section_publishes_nothing(self, built, monkeypatch: pytest.MonkeyPatch) -> None:
        root = built["root"]
        monkeypatch.setenv("OUTCOMES_ROOT", str(root))
        before = {p: p.read_bytes() for p in built["nb"].rglob("*") if p.is_file()}
        notebook = root / "notebooks" / "10_followup.ipynb"
        original = notebook.read_text()
        nb = json.loads(original)
        nb["cells"][-1]["source"] = "raise RuntimeError('broken on purpose')"
        notebook.write_text(json.dumps(nb))
        try:
            with pytest.raises(ReportBuildError) as info:
                build_report(log=lambda m: None)
        finally:
            notebook.write_text(original)
        assert "section 'followup' failed in cell" in str(info.value) and "broken on purpose" in str(info.value)
        assert {p: p.read_bytes() for p in built["nb"].rglob("*") if p.is_file()} == before
        assert not list(built["nb"].parent.glob(".*build*"))

    def test_rejected_rows_stop_publication_unless_allowed(self, built, monkeypatch: pytest.MonkeyPatch) -> None:
        root = built["root"]
        monkeypatch.setenv("OUTCOMES_ROOT", str(root))
        bad = root / "data" / "raw" / "with_bad_rows.csv"
        text = (root / "data" / "raw" / "demo" / "followup.csv").read_text()
        bad.write_text(text + "ZZ1,Drammen,2020,Romfart,2019,K,2000\n")
        overrides = {"inputs.followup": "data/raw/with_bad_rows.csv", "programme.slug": "with-rejects"}
        with pytest.raises(RejectedRowsError) as info:
            build_report(overrides=overrides, log=lambda m: None)
        assert "Romfart" in str(info.value) and "line 2083" in str(info.value) and info.value.exit_code == 1
        assert not (root / "reports" / "with-rejects" / "2020").exists()
        target = build_report(overrides=overrides, allow_rejects=True, log=lambda m: None)
        html = (target / "followup.html").read_text()
        assert "1 av 2" in html and "holdt utenfor" in html and "status label is not in the status map" in html


class TestCommandLine:
    def run(self, root: Path, *args: str) -> subprocess.CompletedProcess:
        env = {**os.environ, "OUTCOMES_ROOT": str(root)}
        return subprocess.run([sys.executable, "-m", "outcomes.cli", *args], capture_output=True, text=True, env=env)

    def test_followup_json(self, built) -> None:
        out = self.run(built["root"], "followup", "--json")
        assert out.returncode == 0, out.stderr
        data = json.loads(out.stdout)
        assert data["headline"]["year"] == 2020 and data["rates"]

    def test_bad_config_is_one_message(self, built) -> None:
        out = self.run(built["root"], "report", "--set", "report_yaer=2020")
        assert out.returncode == 2
        assert "Traceback" not in out.stderr and "report_yaer: unknown key" in out.stderr


class TestNotebookBodyHtml:
    """What of an executed notebook reaches the page (no kernel needed: a notebook built by hand)."""

    @staticmethod
    def notebook():
        import nbformat

        v4 = nbformat.v4
        cells = [
            v4.new_markdown_cell("# Notes for the analyst", metadata={"tags": ["remove-cell"]}),
            v4.new_code_cell(
                "config_path = 'x'",
                metadata={"tags": ["parameters"]},
                outputs=[v4.new_output("display_data", data={"text/html": "<p>PARAM</p>"})],
            ),
            v4.new_markdown_cell("Shown **text** for the reader"),
            v4.new_code_cell(
                "show()",
                metadata={"tags": ["remove-input"]},
                outputs=[
                    v4.new_output("stream", name="stdout", text="printed 17\n"),
                    v4.new_output("stream", name="stderr", text="warning\n"),
                    v4.new_output("display_data", data={"text/html": "<h2>Heading</h2>", "text/plain": "<HTML>"}),
                    v4.new_output("execute_result", data={"text/plain": "42"}, execution_count=1),
                    v4.new_output("display_data", data={"image/png": "iVBORw0KGgo=\n", "text/plain": "<Figure>"}),
                ],
            ),
            v4.new_code_cell("x = 1", outputs=[]),
        ]
        return v4.new_notebook(cells=cells)

    def test_outputs_the_reader_sees(self) -> None:
        from outcomes.render.pages import notebook_body_html

        html = notebook_body_html(self.notebook())
        assert "<h2>Heading</h2>" in html
        assert "<strong>text</strong>" in html  # visible Markdown is rendered
        assert '<img alt="" src="data:image/png;base64,iVBORw0KGgo=">' in html

    def test_no_code_logs_or_hidden_cells(self) -> None:
        from outcomes.render.pages import notebook_body_html

        html = notebook_body_html(self.notebook())
        for hidden in (
            "Notes for the analyst",
            "PARAM",
            "config_path",
            "printed 17",
            "warning",
            "42",
            "show()",
            "x = 1",
            "<HTML>",
            "<Figure>",
        ):
            assert hidden not in html
        assert html.count('<div class="cell">') == 2  # empty cells leave no trace
