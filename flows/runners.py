"""Task runners for `analyse_news`: the default thread pool, or Dask (a local cluster or an
existing one) via prefect-dask.

Each Dask worker process loads the models once (newsflow.models.registry caches per process) and
reuses them for every batch it gets; torch threads per worker follow the worker's nthreads (see
tasks.analysis.torch_threads), so n_workers × threads_per_worker never oversubscribes the cores.
The work unit is one batch of documents (RunConfig.execution.docs_per_batch): analyse → write parquet.
"""

from __future__ import annotations

import os
from typing import Literal

Runner = Literal["threads", "dask"]


def local_cores() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def dask_task_runner(address: str | None = None, n_workers: int | None = None, threads_per_worker: int = 1):
    """A DaskTaskRunner: on the scheduler at `address` ("tcp://host:8786"), else on a new
    LocalCluster of `n_workers` processes (default: one per core) with `threads_per_worker`."""
    from prefect_dask import DaskTaskRunner

    if address:
        return DaskTaskRunner(address=address)
    share_ephemeral_api()
    workers = n_workers or max(1, local_cores() // threads_per_worker)
    return DaskTaskRunner(cluster_class="distributed.LocalCluster", cluster_kwargs={
        "n_workers": workers, "threads_per_worker": threads_per_worker, "processes": True,
        "dashboard_address": None,  # no web UI port to collide with
    })


def share_ephemeral_api() -> str | None:
    """Without PREFECT_API_URL each process would start its own ephemeral API: start this
    process's one now and hand its URL to the local workers (they inherit os.environ)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    if PREFECT_API_URL.value() or os.environ.get("PREFECT_API_URL") or not PREFECT_SERVER_EPHEMERAL_ENABLED.value():
        return None
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # a per-process singleton: the flow's client reuses it
    server.start()
    os.environ["PREFECT_API_URL"] = server.api_url
    return server.api_url


def task_runner(runner: Runner = "threads", address: str | None = None, n_workers: int | None = None,
                threads_per_worker: int = 1):
    """The runner to pass to `analyse_news.with_options(task_runner=...)`; None keeps the default."""
    if runner == "dask" or address:
        return dask_task_runner(address, n_workers, threads_per_worker)
    if runner != "threads":
        raise ValueError(f"unknown runner {runner!r}; choose 'threads' or 'dask'")
    return None
