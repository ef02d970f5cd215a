"""discover → parse: the file-system listing (retried: transient I/O faults) and the parse of each
batch of documents the flow reads (`newsflow.ingest.read_inputs`, a stream: a record file is read
one record batch at a time, so it cannot be a retried task's return value)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from newsflow.analysis import PreparedDocument, prepare_documents
from newsflow.config import RunConfig
from newsflow.ingest import Rejected, SourceDocument, discover


@task(name="discover articles", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def discover_articles(config: RunConfig) -> tuple[list[Path], list[Rejected]]:
    return discover(config.input_dir)


@task(name="parse", cache_policy=NONE)  # deterministic: never retried
def parse_batch(items: list[SourceDocument | Rejected]) -> tuple[list[PreparedDocument], list[Rejected]]:
    """Parsed documents of one batch read from the inputs, and its rejects: those rejected while
    reading, and documents the parser fails on (analysis_failed, stage parse)."""
    sources = [item for item in items if isinstance(item, SourceDocument)]
    rejected = [item for item in items if isinstance(item, Rejected)]
    prepared, failed = prepare_documents(sources)
    return prepared, rejected + failed
