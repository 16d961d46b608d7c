"""Shared fixtures: the bundled network and one small baseline run, built once per session."""

from __future__ import annotations

import pytest

import corridor as cr
from tests._helpers import steady_network


@pytest.fixture(scope="session")
def net() -> cr.Network:
    """The bundled network, its drawn border and dwell times fixed at their means (as in the test scenarios)."""
    return steady_network()


@pytest.fixture(scope="session")
def baseline() -> cr.Results:
    return cr.simulate("baseline-2025", replications=2)
