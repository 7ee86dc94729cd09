"""The project's YAML files hold no key twice: YAML keeps the last one silently, so a merge that
adds a second `on-run-start:` to dbt_project.yml drops the first hook without an error."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.conftest import PROJECT_DIR

FOLDERS = ("models", "seeds", "snapshots", "expectations", "tests/dbt")
TOP_LEVEL = ("dbt_project.yml", "profiles.yml", "dagster.yaml")


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that raises on a mapping key seen twice."""


def _no_duplicates(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[object, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"key {key!r} twice (line {seen[key]} and line {key_node.start_mark.line + 1})",
                key_node.start_mark,
            )
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_StrictLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _no_duplicates)


def yaml_files() -> list[Path]:
    files = [PROJECT_DIR / name for name in TOP_LEVEL]
    for folder in FOLDERS:
        files += sorted((PROJECT_DIR / folder).rglob("*.yml"))
        files += sorted((PROJECT_DIR / folder).rglob("*.yaml"))
    return [f for f in files if f.is_file()]


def test_the_strict_loader_catches_a_repeated_key() -> None:
    with pytest.raises(yaml.constructor.ConstructorError, match="'on-run-start' twice"):
        yaml.load("on-run-start: [a]\nvars: {}\non-run-start: [b]\n", Loader=_StrictLoader)


@pytest.mark.parametrize("path", yaml_files(), ids=lambda p: str(p.relative_to(PROJECT_DIR)))
def test_no_yaml_file_repeats_a_key(path: Path) -> None:
    yaml.load(path.read_text(), Loader=_StrictLoader)
