"""discover → read and parse: file-system steps, the only ones retried (transient I/O faults)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from newsflow.analysis import PreparedDocument, prepare_documents
from newsflow.config import RunConfig
from newsflow.ingest import Rejected, SourceDocument, discover, read_document


@task(name="discover articles", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def discover_articles(config: RunConfig) -> tuple[list[Path], list[Rejected]]:
    return discover(config.input_dir)


@task(name="read and parse", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def read_and_parse(paths: list[Path], config: RunConfig) -> tuple[list[PreparedDocument], list[Rejected]]:
    """Parsed documents and rejected files of one batch of paths (a file the parser fails on is
    rejected as analysis_failed, stage parse)."""
    sources: list[SourceDocument] = []
    rejected: list[Rejected] = []
    for path in paths:
        read = read_document(path, config.input_dir, config.execution.max_file_bytes)
        (rejected if isinstance(read, Rejected) else sources).append(read)
    prepared, failed = prepare_documents(sources)
    return prepared, rejected + failed
