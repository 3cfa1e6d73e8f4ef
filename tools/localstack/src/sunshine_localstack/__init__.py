"""Runs the local city/county/township hierarchy: `sunshine-local run|status` (cli) over LocalHierarchy (runner),
which tests and benchmarks drive directly."""
