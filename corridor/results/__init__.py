"""Simulation results: frames built from the engine's buffers, KPIs, CAREC CPMM indicators, scenario comparison."""
