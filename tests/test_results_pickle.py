"""Results pickle: the frames, the lazy ones and every analysis come back the same."""

from __future__ import annotations

import pickle

import pandas as pd

import corridor as cr


def test_results_round_trip_through_pickle(baseline: cr.Results) -> None:
    back = pickle.loads(pickle.dumps(baseline))
    assert isinstance(back, cr.Results)
    assert (back.scenario, back.replications, back.events) == (baseline.scenario, 2, baseline.events)
    pd.testing.assert_frame_equal(back.legs, baseline.legs)
    pd.testing.assert_frame_equal(back.shipments, baseline.shipments)
    # lazy frames not built before pickling are built after it, from what the results carry
    pd.testing.assert_frame_equal(back.departures, baseline.departures)
    pd.testing.assert_frame_equal(back.resources, baseline.resources)
    pd.testing.assert_frame_equal(back.kpis(), baseline.kpis())
    pd.testing.assert_frame_equal(back.utilisation(), baseline.utilisation())
    pd.testing.assert_frame_equal(back.cpmm(), baseline.cpmm())


def test_a_built_lazy_frame_travels_with_the_results(baseline: cr.Results) -> None:
    nodes = baseline.nodes  # built now
    back = pickle.loads(pickle.dumps(baseline))
    assert "nodes" in vars(back)  # carried, not rebuilt
    pd.testing.assert_frame_equal(back.nodes, nodes)
