"""The real parts: a `prefect server start` on a free loopback port, `newsflow serve` serving the
scheduled deployment, `prefect deployment run` triggering it; then the run's state and artifacts
read through the Prefect API and its Parquet read back.

Every process started here runs in its own process group and is stopped by PID in teardown. The
pytest process's own Prefect settings are untouched: the children get the server's URL through
their environment, and the client here through `temporary_settings`."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from uuid import UUID

import pyarrow.dataset as ds
import pytest

from tests.conftest import ARTICLES, SEED
from newsflow.environment import free_port, isolated_environment, server_is_up, stop_process_group

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent
FLOW_NAME = "newsflow-analyse-news"
DEPLOYMENT = "newsflow-test-served"
NEVER_SOON = "0 0 1 1 *"  # a real schedule that will not fire during the test and race the manual run








@contextmanager
def started(command: list[str], env: dict[str, str], log: Path, cwd: Path | None = None) -> Iterator[subprocess.Popen]:
    with open(log, "wb") as fh:
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=fh, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            yield proc
        finally:
            stop_process_group(proc)


def log_tail(log: Path, n: int = 4000) -> str:
    return log.read_text(errors="replace")[-n:] if log.exists() else ""


@pytest.fixture(scope="module")
def prefect_server(tmp_path_factory) -> Iterator[tuple[str, dict[str, str], Path]]:
    """A real Prefect server with its own temporary PREFECT_HOME; the children's environment."""
    root = tmp_path_factory.mktemp("server")
    port = free_port()
    api_url = f"http://127.0.0.1:{port}/api"
    env = isolated_environment(root / "prefect-home", api_url=api_url, PREFECT_LOGGING_LEVEL="INFO",
                               PREFECT_RUNNER_POLL_FREQUENCY="2")  # the served runner notices a run quickly
    log = root / "server.log"
    with started([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                 env, log) as server:
        deadline = time.monotonic() + 90
        while not server_is_up(api_url):
            assert server.poll() is None, f"prefect server exited:\n{log_tail(log)}"
            assert time.monotonic() < deadline, f"prefect server not healthy in 90 s:\n{log_tail(log)}"
            time.sleep(0.5)
        yield api_url, env, root


@contextmanager
def client_for(api_url: str):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings({PREFECT_API_URL: api_url}):
        with get_client(sync_client=True) as client:
            yield client


def wait_for(what: str, probe, timeout: float, log: Path, proc: subprocess.Popen):
    deadline = time.monotonic() + timeout
    while True:
        result = probe()
        if result:
            return result
        assert proc.poll() is None, f"`newsflow serve` exited while waiting for {what}:\n{log_tail(log)}"
        assert time.monotonic() < deadline, f"timed out waiting for {what}:\n{log_tail(log)}"
        time.sleep(1)


def test_served_deployment_runs_and_publishes_artifacts(prefect_server, tmp_path):
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
    from prefect.exceptions import ObjectNotFound

    api_url, env, root = prefect_server
    input_dir, out = tmp_path / "in", tmp_path / "out"
    input_dir.mkdir()
    for article in [SEED, *ARTICLES.iterdir()]:
        shutil.copy(article, input_dir / article.name)
    n_inputs = len(list(input_dir.iterdir()))

    log = tmp_path / "serve.log"
    serve_cmd = [str(BIN / "newsflow"), "serve", str(input_dir), "--out", str(out), "--cron", NEVER_SOON,
                 "--name", DEPLOYMENT, "--docs-per-batch", "2", "--prune"]
    with started(serve_cmd, env, log, cwd=tmp_path) as serving, client_for(api_url) as client:
        def deployment():
            try:
                return client.read_deployment_by_name(f"{FLOW_NAME}/{DEPLOYMENT}")
            except ObjectNotFound:
                return None

        dep = wait_for("the deployment", deployment, 60, log, serving)
        assert [s.schedule.cron for s in dep.schedules] == [NEVER_SOON]
        assert dep.parameters["config"]["input_dir"] == str(input_dir)  # absolute: independent of the runner's cwd
        assert dep.parameters["config"]["execution"]["docs_per_batch"] == 2
        assert dep.parameters["prune"] is True and dep.parameters["lock_wait_seconds"] == 0.0

        triggered = subprocess.run([str(BIN / "prefect"), "deployment", "run", f"{FLOW_NAME}/{DEPLOYMENT}"],
                                   env=env, check=True, capture_output=True, text=True, timeout=60)
        # (the cron schedule has its own Scheduled run for 1 January: pick the triggered one)
        run_id = UUID(re.search(r"UUID: ([0-9a-f-]{36})", triggered.stdout).group(1))

        def finished_run():
            run = client.read_flow_run(run_id)
            return run if run.deployment_id == dep.id and run.state and run.state.is_final() else None

        run = wait_for("the flow run to finish", finished_run, 150, log, serving)
        assert run.state.is_completed(), f"{run.state}:\n{log_tail(log)}"

        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[run.id])))

    by_key: dict[str | None, list] = {}
    for a in artifacts:
        by_key.setdefault(a.key, []).append(a)
    [report] = by_key["newsflow-report"]
    assert report.type == "markdown"
    assert "Putin and Kim Jong-un completed six-hour talks at the Vostochny Cosmodrome" in report.data
    assert "*Summary:*" in report.data and "*Sentiment:*" in report.data and "*Stances:*" in report.data
    [table] = by_key["newsflow-documents"]
    assert table.type == "table"
    [progress] = by_key["newsflow-progress"]
    assert progress.type == "progress" and float(progress.data) == 100.0
    links = [a for key, found in by_key.items() if key and key.startswith("newsflow-parquet-") for a in found]
    assert {a.key for a in links} >= {"newsflow-parquet-documents", "newsflow-parquet-sections", "newsflow-parquet-runs"}
    assert all(a.type == "markdown" and "file:///" in a.data for a in links)  # link artifacts are stored as markdown
    assert all(a.key is None or a.key.islower() for a in artifacts)

    documents = ds.dataset(out / "documents", format="parquet").to_table(columns=["source_path", "run_id"])
    assert sorted(documents["source_path"].to_pylist()) == sorted(p.name for p in input_dir.iterdir())
    assert documents.num_rows == n_inputs
    assert set(documents["run_id"].to_pylist()) == {str(run.id)}
