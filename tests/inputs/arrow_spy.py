"""Which files Arrow's CSV reader took (the quick-path tests ask it of each file they read)."""

from __future__ import annotations

import pytest

from outcomes.inputs.readers import delimited


def spy_arrow(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """For each file read from now on, whether Arrow's reader took it (``False``: it left it to the others)."""
    taken: list[bool] = []
    real = delimited.read_records_arrow

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        read = real(*args, **kwargs)
        taken.append(read is not None)
        return read

    monkeypatch.setattr(delimited, "read_records_arrow", spy)
    return taken
