"""Shared fixtures: the bundled network and one small baseline run, built once per session."""

from __future__ import annotations

import pytest

import corridor as cr


@pytest.fixture(scope="session")
def net() -> cr.Network:
    return cr.load_network()


@pytest.fixture(scope="session")
def baseline() -> cr.Results:
    return cr.simulate("baseline-2025", replications=2)
