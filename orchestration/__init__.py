"""revops orchestration: the Dagster code location, the CLI and the loaders."""
