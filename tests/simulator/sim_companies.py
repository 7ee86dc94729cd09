"""Simulated companies for the simulator tests, each generated into a folder of its own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from simulator import generate


class Companies:
    """``companies(name, **options)``: generate() with ``options`` into a new temporary folder
    named after ``name``; returns (the folder, the ground truth)."""

    def __init__(self, folders: pytest.TempPathFactory) -> None:
        self.folders = folders

    def __call__(self, name: str, **options: Any) -> tuple[Path, dict]:
        folder = self.folders.mktemp(name)
        return folder, generate(folder, **options)
