"""Shared fixtures: an isolated Prefect home and one Prefect test harness per session, one
MiniLM encoder per session."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest

from newsflow.environment import isolated_environment  # noqa: E402 (imports no Prefect)

# Isolate Prefect before it is imported anywhere: a temporary home, no telemetry, no server.
_PREFECT_HOME = tempfile.mkdtemp(prefix="newsflow-test-prefect-")
for _key in [k for k in os.environ if k.startswith("PREFECT_")]:
    del os.environ[_key]
os.environ.update(isolated_environment(_PREFECT_HOME))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_65e9eab6453260be.txt"
ARTICLES = Path(__file__).parent / "articles"


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=90):
        yield


@pytest.fixture(scope="session")
def encoder():
    from newsflow.models.encoder import load_encoder

    return load_encoder()


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture
def input_dir(tmp_path: Path) -> Path:
    """The seed plus the test articles, in a scratch input folder."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEED, folder / SEED.name)
    for article in ARTICLES.iterdir():
        shutil.copy(article, folder / article.name)
    return folder


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(_PREFECT_HOME, ignore_errors=True)
