"""Where replications run: local processes or a Dask cluster."""
