"""analyse: one batch of documents through the shared encoder pass and the three task models."""

from __future__ import annotations

import os
import sys

from prefect import get_run_logger, task
from prefect.cache_policies import NONE

from newsflow.analysis import BatchAnalysis, PreparedDocument, analyse_batch
from newsflow.config import RunConfig
from newsflow.models.device import planned_device
from newsflow.models.registry import ModelSet, load_models


def torch_threads(config: RunConfig) -> int:
    """Threads for torch in this process: config.execution.torch_threads, else this process's share of the
    cores: on a Dask worker its nthreads (so n workers × nthreads never oversubscribe the host),
    elsewhere every core the process may run on."""
    if config.execution.torch_threads:
        return config.execution.torch_threads
    if "distributed" in sys.modules:  # never imported outside a Dask worker (or client)
        try:
            return max(1, sys.modules["distributed"].get_worker().state.nthreads)
        except (ValueError, AttributeError):  # not on a worker
            pass
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def set_torch_threads(config: RunConfig) -> int:
    """Set torch's intra-op threads before inference (process-wide, cheap when unchanged)."""
    import torch

    n = torch_threads(config)
    if torch.get_num_threads() != n:
        torch.set_num_threads(n)
    return n


def models_for(config: RunConfig) -> ModelSet:
    """The run's models on its device. Hub adapters batch `batch_size` items: on the CPU the
    device's size (64) unless set; on a GPU the one set, else each adapter's own default."""
    set_torch_threads(config)
    execution = config.execution
    hub_batch = execution.batch_size
    if hub_batch is None and planned_device(execution.device) == "cpu":
        hub_batch = execution.sizes("cpu").batch_size
    return load_models(config.models, hub_batch, execution.device, execution.precision)


@task(name="load models", cache_policy=NONE)
def load_model_set(config: RunConfig) -> dict[str, str]:
    """Load every chosen model up front, so a bad model fails before any document is processed."""
    return models_for(config).ids()


def release_freed_memory() -> None:
    """Hand freed heap pages back to the OS (glibc). The encoder's activations differ in size from
    batch to batch; without this, glibc's per-thread arenas keep every high-water mark and a long
    run's RSS creeps up batch after batch (benchmarks/bench.py --scale)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):  # not glibc: nothing to do
        pass


@task(name="analyse", cache_policy=NONE)  # deterministic: never retried
def analyse(docs: list[PreparedDocument], config: RunConfig) -> BatchAnalysis:
    """Summaries, sentiment and stance of every section; a document that fails is rejected alone."""
    result = analyse_batch(docs, models_for(config), config)
    release_freed_memory()
    for r in result.failed:
        get_run_logger().warning("analysis failed for %s: %s", r.source_path, r.message)
    return result
