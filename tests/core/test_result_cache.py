"""The section-result cache: reused only when nothing it depends on changed."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest

import outcomes.analyses.followup.results as followup_module
from outcomes.analyses import followup_results
from outcomes.core.cache import CACHE_ENV, NotCached, cache_dir, stored_only
from outcomes.core.config import load_config


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count the real computations (calls of followup_rates inside the cached function)."""
    calls: list[int] = []
    real = followup_module.followup_rates

    def counting(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(followup_module, "followup_rates", counting)
    return calls


class TestCachedSection:
    def test_second_call_loads_the_same_result(self, project: Path, counted: list[int]) -> None:
        cfg = load_config()
        first = followup_results(cfg)
        second = followup_results(cfg)
        assert len(counted) == 1
        assert first.rates.equals(second.rates) and first.intake == second.intake
        assert len(list(cache_dir().glob("followup-*.pkl"))) == 1

    def test_changed_input_is_computed_again(self, project: Path, counted: list[int]) -> None:
        cfg = load_config()
        before = followup_results(cfg).headline()
        demo = project / "data" / "raw" / "demo" / "followup.csv"
        demo.write_text(demo.read_text() + "NEW0001,Drammen,2020,Utdanning,2019,K,2000\n")
        after = followup_results(cfg).headline()
        assert len(counted) == 2
        assert after["contacted"] == before["contacted"] + 1

    def test_changed_configuration_is_computed_again(self, project: Path, counted: list[int]) -> None:
        followup_results(load_config())
        strict = followup_results(load_config(overrides={"disclosure_threshold": 50}))
        assert len(counted) == 2
        assert strict.threshold == 50

    def test_changed_config_file_is_computed_again(self, project: Path, counted: list[int]) -> None:
        followup_results(load_config())
        status_map = project / "config" / "status_map.yml"
        status_map.write_text(status_map.read_text() + "\n# edited\n")
        followup_results(load_config())
        assert len(counted) == 2

    def test_stored_only_loads_what_is_stored_and_computes_nothing(self, project: Path, counted: list[int]) -> None:
        cfg = load_config()
        with stored_only(), pytest.raises(NotCached):
            followup_results(cfg)
        assert counted == [] and not list(cache_dir().glob("followup-*.pkl"))
        first = followup_results(cfg)
        with stored_only():
            again = followup_results(cfg)
        assert len(counted) == 1 and again.rates.equals(first.rates)

    def test_can_be_switched_off(self, project: Path, counted: list[int], monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setenv(CACHE_ENV, "0")
        followup_results(load_config())
        followup_results(load_config())
        assert len(counted) == 2 and not cache_dir().exists()
        with stored_only(), pytest.raises(NotCached):  # nothing is ever stored: nothing can be loaded
            followup_results(load_config())

    def test_damaged_cache_file_is_recomputed(self, project: Path, counted: list[int]) -> None:
        cfg = load_config()
        followup_results(cfg)
        for file in cache_dir().glob("followup-*.pkl"):
            file.write_bytes(b"not a pickle")
        result = followup_results(cfg)
        assert len(counted) == 2 and result.report_year == 2020

    def test_a_second_caller_waits_for_the_first_and_loads_its_result(
        self, project: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        # The report's runner and a section's notebook ask for the same result at the same time:
        # the one that comes second waits for the first to store it, instead of computing it too.
        computing, go, calls = threading.Event(), threading.Event(), []
        real = followup_module.followup_rates

        def slow(*args: Any, **kwargs: Any) -> Any:
            calls.append(1)
            computing.set()
            go.wait(timeout=60)
            return real(*args, **kwargs)

        monkeypatch.setattr(followup_module, "followup_rates", slow)
        cfg = load_config()
        results: dict[str, Any] = {}
        first = threading.Thread(target=lambda: results.update(first=followup_results(cfg)))
        second = threading.Thread(target=lambda: results.update(second=followup_results(cfg)))
        first.start()
        assert computing.wait(timeout=60)
        second.start()
        second.join(timeout=0.5)  # long enough to reach the lock (it waits there, or would compute too)
        go.set()
        first.join(timeout=60)
        second.join(timeout=60)
        assert len(calls) == 1
        assert results["first"].rates.equals(results["second"].rates)
