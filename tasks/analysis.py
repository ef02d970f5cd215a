"""encode → summarize / sentiment / stance over one batch of documents."""

from __future__ import annotations

import os
import sys

from prefect import task
from prefect.cache_policies import NONE

from models.base import SentimentResult, StanceResult, SummaryResult, Target
from models.registry import ModelSet, load_models
from newsflow import pipeline
from newsflow.config import RunConfig
from newsflow.pipeline import EncodedBatch, PreparedDocument


def torch_threads(config: RunConfig) -> int:
    """Threads for torch in this process: config.torch_threads, else this process's share of the
    cores: on a Dask worker its nthreads (so n workers × nthreads never oversubscribe the host),
    elsewhere every core the process may run on."""
    if config.torch_threads:
        return config.torch_threads
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
    set_torch_threads(config)
    return load_models(config.summarizer, config.sentiment, config.stance, config.quantize, config.batch_size)


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


@task(name="encode sentences", cache_policy=NONE)
def encode_sentences(docs: list[PreparedDocument], config: RunConfig) -> EncodedBatch:
    encoded = pipeline.encode_batch(docs, models_for(config).encoder, config.token_budget, config.batch_size)
    release_freed_memory()
    return encoded


@task(name="summarize", cache_policy=NONE)
def summarize_sections(batch: EncodedBatch, config: RunConfig) -> tuple[list[list[SummaryResult]], list[SummaryResult]]:
    return pipeline.summarize(batch, models_for(config), config)


@task(name="sentiment", cache_policy=NONE)
def score_sentiment(batch: EncodedBatch, config: RunConfig) -> list[list[list[SentimentResult]]]:
    return pipeline.score_sentiment(batch, models_for(config))


@task(name="stance", cache_policy=NONE)
def score_stance(batch: EncodedBatch, config: RunConfig
                 ) -> tuple[list[list[tuple[Target, str]]], list[list[list[StanceResult]]]]:
    targets = pipeline.choose_targets(batch, config)
    return targets, pipeline.score_stance(batch, models_for(config), targets)
