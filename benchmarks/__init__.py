"""revops benchmarks: speed, memory and scaling against the engine's own floor.

``python -m benchmarks [--scales 1 10] [--scale-100] [--smoke] [--out benchmarks/results]``
generates demo data per scale, runs every pipeline step as a measured subprocess (wall time,
peak RSS of its process tree), measures DuckDB floors for ingestion and transformation in the
same run, and writes latest.json, latest.md and latest.png.
"""
