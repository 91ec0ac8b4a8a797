"""Report notebooks: paired with their py:percent twin, no outputs, one parameters cell."""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest

from outcomes.core.errors import ConfigError
from outcomes.report.kernels import check_parameters, kernel_count
from outcomes.sections import SECTIONS
from tests.conftest import ROOT

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda p: p.name)
class TestNotebookHygiene:
    def test_no_outputs_committed(self, notebook: Path) -> None:
        nb = nbformat.read(notebook, as_version=4)
        assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")

    def test_one_parameters_cell(self, notebook: Path) -> None:
        nb = nbformat.read(notebook, as_version=4)
        tagged = [c for c in nb.cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1

    def test_paired_twin_in_sync(self, notebook: Path) -> None:
        twin = notebook.with_suffix(".py")
        assert twin.is_file(), f"{twin.name} missing: run `jupytext --sync {notebook.name}`"
        from_py = jupytext.read(twin)
        from_ipynb = nbformat.read(notebook, as_version=4)
        assert [(c.cell_type, c.source.strip()) for c in from_py.cells] == [
            (c.cell_type, c.source.strip()) for c in from_ipynb.cells
        ], f"{notebook.name} and {twin.name} differ: run `jupytext --sync`"

    def test_kernel_is_python3(self, notebook: Path) -> None:
        assert nbformat.read(notebook, as_version=4).metadata["kernelspec"]["name"] == "python3"


class TestSections:
    def test_configured_section_notebooks_exist(self) -> None:
        assert (ROOT / SECTIONS["followup"].notebook).is_file()


class TestCheckParameters:
    def test_misspelt_parameter_is_an_error(self) -> None:
        with pytest.raises(ConfigError, match="config_pth"):
            check_parameters(ROOT / SECTIONS["followup"].notebook, {"config_pth": "x"})

    def test_known_parameters_pass(self) -> None:
        check_parameters(ROOT / SECTIONS["followup"].notebook, {"config_path": "x", "overrides": {}})


class TestKernelCount:
    @pytest.mark.parametrize(
        ("cores", "sections", "kernels"),
        [
            (2, 4, 1),  # the runner computes the results on one core, one kernel runs the notebooks on the other
            (8, 4, 4),  # never more kernels than notebooks
            (4, 4, 3),
            (1, 4, 1),  # at least one
            (None, 4, 1),  # core count unknown
        ],
    )
    def test_one_per_core_but_the_runners(
        self, monkeypatch: pytest.MonkeyPatch, cores: int | None, sections: int, kernels: int
    ) -> None:
        monkeypatch.setattr("os.cpu_count", lambda: cores)
        assert kernel_count(sections) == kernels

    @pytest.mark.parametrize(
        ("cores", "sections", "kernels"),
        [(2, 4, 2), (8, 4, 4), (1, 4, 1), (None, 4, 1)],
    )
    def test_one_per_core_when_every_result_is_stored(
        self, monkeypatch: pytest.MonkeyPatch, cores: int | None, sections: int, kernels: int
    ) -> None:
        monkeypatch.setattr("os.cpu_count", lambda: cores)
        assert kernel_count(sections, computing=False) == kernels
