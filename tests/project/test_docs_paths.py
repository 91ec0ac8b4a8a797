"""Files the documentation names exist: a reader following a path from a README or a doc finds the file."""

from __future__ import annotations

import re
import subprocess

import pytest

from tests.conftest import ROOT

#: A path into the project's code, tests, benchmarks or notebooks, as the Markdown files write them.
_PATH = re.compile(r"(?:src/outcomes|tests|benchmarks|notebooks|scripts)/[A-Za-z0-9_./-]+\.(?:py|ipynb|yml|csv|json)")


def _markdown_files() -> list[str]:
    listed = subprocess.run(["git", "ls-files", "*.md"], cwd=ROOT, capture_output=True, text=True, check=False)
    if listed.returncode != 0:
        pytest.skip("not a git checkout")
    return listed.stdout.split()


def test_every_path_a_markdown_file_names_exists() -> None:
    missing = [
        f"{name}: {path}"
        for name in _markdown_files()
        for path in _PATH.findall((ROOT / name).read_text(encoding="utf-8"))
        if not (ROOT / path).exists()
    ]
    assert missing == []
