"""environment.yml must list exactly the dependencies of pyproject.toml."""

from __future__ import annotations

import re
import tomllib

import yaml

from tests.conftest import ROOT

# conda-forge spells a few PyPI names differently
CONDA_NAMES = {"pyyaml": "pyyaml", "types-pyyaml": "types-pyyaml"}


def _split(requirement: str) -> tuple[str, str]:
    match = re.match(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*)$", requirement)
    assert match, requirement
    return match[1].lower(), match[2].replace(" ", "")


class TestEnvironmentSync:
    def test_same_packages_and_versions(self) -> None:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        extras = [r for group in project["optional-dependencies"].values() for r in group]
        wanted = sorted({_split(r) for r in project["dependencies"] + extras})
        env = yaml.safe_load((ROOT / "environment.yml").read_text())
        listed = [_split(d) for d in env["dependencies"] if isinstance(d, str) and not d.startswith(("python", "pip"))]
        assert sorted((CONDA_NAMES.get(n, n), v) for n, v in wanted) == sorted(listed)

    def test_python_version_matches(self) -> None:
        project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
        env = yaml.safe_load((ROOT / "environment.yml").read_text())
        pinned = next(d for d in env["dependencies"] if isinstance(d, str) and d.startswith("python="))
        minimum = project["requires-python"].removeprefix(">=")
        assert pinned.split("=")[1] == minimum

    def test_installs_the_project_with_pip(self) -> None:
        env = yaml.safe_load((ROOT / "environment.yml").read_text())
        pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
        assert "-e ." in pip_section
