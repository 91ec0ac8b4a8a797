"""An input's SHA-256 taken on a thread of its own while it is read."""

from __future__ import annotations

import hashlib
import threading

import pytest

from outcomes.core.provenance import sha256_alongside, sha256_bytes


def test_hash_alongside_is_the_hash_and_its_thread_ends() -> None:
    data = bytes(range(256)) * 40_000  # 10 MB: hashed while the block runs
    before = threading.active_count()
    with sha256_alongside(data) as digest:
        assert digest() == hashlib.sha256(data).hexdigest() == sha256_bytes(data)
        assert digest() == hashlib.sha256(data).hexdigest()  # asked twice: the same
    assert threading.active_count() == before


def test_thread_ends_when_the_block_fails() -> None:
    before = threading.active_count()
    with pytest.raises(ValueError, match="unusable"), sha256_alongside(b"x" * 1_000_000):
        raise ValueError("unusable")
    assert threading.active_count() == before
