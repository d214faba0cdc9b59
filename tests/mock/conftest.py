"""Fixtures of the mock tests (helpers live in mock_helpers.py)."""

from __future__ import annotations

import pytest

from tests.mock.mock_helpers import tone


@pytest.fixture
def user_audio() -> bytes:
    """1.234 s of a 300 Hz tone: a distinct, non-silent user turn."""
    return tone(300.0, 1234.0)
