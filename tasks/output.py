"""write: each batch's tables atomically; rejects and the run record at the end."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from prefect import task
from prefect.cache_policies import NONE

from models.base import SentimentResult, StanceResult, SummaryResult, Target
from newsflow import store
from newsflow.ingest import Rejected
from newsflow.pipeline import BatchResults, EncodedBatch, build_rows


@task(name="write parquet", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def write_batch_outputs(batch: EncodedBatch, summaries: tuple[list[list[SummaryResult]], list[SummaryResult]],
                        sentiments: list[list[list[SentimentResult]]],
                        stances: tuple[list[list[tuple[Target, str]]], list[list[list[StanceResult]]]],
                        model_ids: dict[str, str],
                        versions: dict[str, str], *, output_dir: Path, run_id: str, run_date: str,
                        batch_key: str, processed_at: datetime, fingerprint: str) -> tuple[list[Path], list[dict]]:
    """The files written, and the batch's `documents` rows (for the run's report)."""
    results = BatchResults(summaries[0], summaries[1], sentiments, stances[0], stances[1])
    rows = build_rows(batch, results, model_ids, versions, run_id=run_id, processed_at=processed_at,
                      fingerprint=fingerprint)
    models = {**model_ids, **{f"{k}_version": v for k, v in versions.items()}}
    tables = {name: store.to_table(name, table_rows, models) for name, table_rows in rows.items()}
    return store.write_batch(output_dir, run_date, batch_key, tables), rows["documents"]


@task(name="write rejects and run record", retries=2, retry_delay_seconds=1, cache_policy=NONE)
def write_run_tables(output_dir: Path, run_date: str, run_key: str, rejects: list[Rejected], run_row: dict,
                     rejected_at: datetime, models: dict[str, str]) -> list[Path]:
    written = []
    if rejects:
        rows = [{"source_path": r.source_path, "size_bytes": r.size_bytes, "reason": r.reason,
                 "message": r.message, "run_id": run_row["run_id"], "rejected_at": rejected_at} for r in rejects]
        written.append(store.write_single(output_dir, "rejects", run_date, run_key, store.to_table("rejects", rows, models)))
    written.append(store.write_single(output_dir, "runs", run_date, run_key, store.to_table("runs", [run_row], models)))
    return written
