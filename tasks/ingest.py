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
def read_and_parse(paths: list[Path], config: RunConfig, done: set[tuple[str, str]], fingerprint: str
                   ) -> tuple[list[PreparedDocument], list[Rejected], list[str]]:
    """Parsed new documents, rejected files, and the source paths skipped as already processed.
    `done` gains this batch's ids so a duplicate file later in the run is skipped too."""
    prepared: list[PreparedDocument] = []
    rejected: list[Rejected] = []
    skipped: list[str] = []
    for path in paths:
        read = read_document(path, config.input_dir, config.max_file_bytes)
        if isinstance(read, Rejected):
            rejected.append(read)
        elif (read.doc_id, fingerprint) in done:
            skipped.append(read.source_path)
        else:
            done.add((read.doc_id, fingerprint))
            prepared.append(prepare_document(read))
    return prepared, rejected, skipped
