"""A real Dask cluster, not a LocalCluster: `dask scheduler` and two `dask worker` processes started
from their own command lines (as on separate hosts that share a folder and reach one Prefect
server), and `newsflow run --dask-address` from the command line. Its Parquet rows equal the
default runner's.

Every process runs in its own process group and is stopped by PID in teardown (tests/test_server.py's
`started`). The default run is pinned to one core (taskset) so torch uses one thread, as each
worker does (--nthreads 1): torch's float sums depend on the thread count."""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsflow.environment import free_port, isolated_environment, server_is_up
from tests.conftest import ARTICLES, SEED
from tests.test_dask import KEYS, read_table
from tests.test_server import log_tail, started

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def wait_until(what: str, probe, timeout: float, log: Path) -> None:
    deadline = time.monotonic() + timeout
    while not probe():
        assert time.monotonic() < deadline, f"{what} not ready in {timeout:.0f} s:\n{log_tail(log)}"
        time.sleep(0.5)


@pytest.mark.skipif(shutil.which("taskset") is None, reason="needs taskset to pin the default run to one core")
def test_newsflow_run_on_a_real_dask_cluster_matches_the_default_runner(tmp_path):
    import distributed

    shared = tmp_path / "shared"  # the folder every "host" reads and writes at the same path
    src = shared / "in"
    src.mkdir(parents=True)
    shutil.copy(SEED, src / SEED.name)
    for article in ARTICLES.iterdir():
        shutil.copy(article, src / article.name)
    api_url = f"http://127.0.0.1:{free_port()}/api"
    env = isolated_environment(tmp_path / "prefect-home", api_url=api_url, PREFECT_LOGGING_LEVEL="WARNING")
    scheduler = f"tcp://127.0.0.1:{free_port()}"
    logs = {name: tmp_path / f"{name}.log" for name in ("server", "scheduler", "worker-1", "worker-2")}
    port = api_url.rsplit(":", 1)[1].split("/")[0]

    with started([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", port], env, logs["server"]), \
            started([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", scheduler.rsplit(":", 1)[1],
                     "--no-dashboard"], env, logs["scheduler"]), \
            started([str(BIN / "dask"), "worker", scheduler, "--nthreads", "1", "--no-dashboard", "--name", "w1",
                     "--local-directory", str(tmp_path / "w1")], env, logs["worker-1"]), \
            started([str(BIN / "dask"), "worker", scheduler, "--nthreads", "1", "--no-dashboard", "--name", "w2",
                     "--local-directory", str(tmp_path / "w2")], env, logs["worker-2"]):
        wait_until("prefect server", lambda: server_is_up(api_url), 120, logs["server"])
        with distributed.Client(scheduler, timeout=60) as client:
            client.wait_for_workers(2, timeout=120)

        def newsflow_run(out: Path, *extra: str, pin: bool = False) -> subprocess.CompletedProcess:
            cmd = [str(BIN / "newsflow"), "run", str(src), "--out", str(out), "--docs-per-batch", "2", *extra]
            return subprocess.run((["taskset", "-c", "0"] if pin else []) + cmd, env=env, capture_output=True,
                                  text=True, timeout=600, cwd=tmp_path)

        on_dask = newsflow_run(shared / "dask", "--dask-address", scheduler)
        assert on_dask.returncode == 0, on_dask.stdout[-3000:] + on_dask.stderr[-3000:]
        default = newsflow_run(shared / "threads", pin=True)
        assert default.returncode == 0, default.stdout[-3000:] + default.stderr[-3000:]

        with distributed.Client(scheduler, timeout=60) as client:  # the batches ran on the workers
            loaded = client.run(lambda: __import__("newsflow.models.registry", fromlist=["x"]).load_models.cache_info().misses)
    assert len(loaded) == 2 and sum(loaded.values()) >= 1
    assert "5 processed, 0 unchanged (skipped), 0 rejected" in on_dask.stdout
    for name in KEYS:
        threads_rows, dask_rows = read_table(shared / "threads", name), read_table(shared / "dask", name)
        assert len(dask_rows) == len(threads_rows) and (len(threads_rows) > 0 or name == "quotes")
        for a, b in zip(threads_rows, dask_rows):
            assert a == b, (name, {k: (a[k], b[k]) for k in a if a[k] != b[k]})
