"""write: each batch's tables atomically; rejects and the run record at the end."""

from __future__ import annotations

from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from newsflow import store
from newsflow.analysis import BatchAnalysis
from newsflow.ingest import Rejected
from newsflow.config import RunConfig
from newsflow.rows import RunStamp, batch_tables
from newsflow.runs import RunSummary, utc_now


@task(name="write parquet", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def write_batch_outputs(analysis: BatchAnalysis, model_ids: dict[str, str], versions: dict[str, str], *,
                        output_dir: Path, run_date: str, batch_key: str, stamp: RunStamp
                        ) -> tuple[list[Path], list[dict], list[Rejected]]:
    """The files written, the batch's `documents` rows (for the run's report) and every document
    of the batch that was rejected (analysis or rows)."""
    tables, documents, failed = batch_tables(analysis.documents, model_ids, versions, stamp)
    return store.write_batch(output_dir, run_date, batch_key, tables), documents, analysis.failed + failed


@task(name="write rejects and run record", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def write_run_tables(output_dir: Path, run: RunSummary, config: RunConfig, models: dict[str, str],
                     fingerprint: str, flow_run_name: str | None) -> list[Path]:
    """The run's rejects (every path not processed, with its reason) and its `runs` row."""
    finished = utc_now()
    key = store.run_key(run.run_id)
    written = []
    if run.rejects:
        rows = [{"source_path": r.source_path, "size_bytes": r.size_bytes, "reason": r.reason,
                 "message": r.message, "run_id": run.run_id, "rejected_at": finished} for r in run.rejects]
        written.append(store.write_single(output_dir, "rejects", run.run_date, key, store.to_table("rejects", rows, models)))
    row = run.run_row(flow_run_name, config, models, fingerprint, finished)
    written.append(store.write_single(output_dir, "runs", run.run_date, key, store.to_table("runs", [row], models)))
    return written
