"""discover → read and parse: file-system steps, the only ones retried (transient I/O faults)."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from newsflow.config import RunConfig
from newsflow.ingest import Rejected, discover, read_document
from newsflow.pipeline import PreparedDocument, prepare_document


@task(name="discover articles", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def discover_articles(config: RunConfig) -> tuple[list[Path], list[Rejected]]:
    return discover(config.input_dir)


@task(name="read and parse", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def read_and_parse(paths: list[Path], config: RunConfig) -> tuple[list[PreparedDocument], list[Rejected]]:
    """Parsed documents and rejected files of one batch of paths."""
    prepared: list[PreparedDocument] = []
    rejected: list[Rejected] = []
    for path in paths:
        read = read_document(path, config.input_dir, config.max_file_bytes)
        if isinstance(read, Rejected):
            rejected.append(read)
        else:
            prepared.append(prepare_document(read))
    return prepared, rejected
