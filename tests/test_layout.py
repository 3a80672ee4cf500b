"""The test run finds every app's tests: an app missing from pytest's testpaths would have its
tests silently skipped by `make test`."""

import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def test_every_app_with_tests_is_in_the_test_paths():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    paths = set(config["tool"]["pytest"]["ini_options"]["testpaths"])
    ours = [
        Path(app.path)
        for app in apps.get_app_configs()
        if Path(app.path).parent == ROOT and (Path(app.path) / "tests").is_dir()
    ]
    assert ours, "no app of ours found"
    missing = sorted(path.name for path in ours if path.name not in paths)
    assert missing == []
