"""write: each batch's tables staged by the worker, committed (with what they supersede) by the
flow, one batch after another; rejects and the run record at the end."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pyarrow as pa
from prefect import task
from prefect.cache_policies import NONE

from newsflow import history, store
from newsflow.analysis import BatchAnalysis
from newsflow.config import RunConfig
from newsflow.errors import NewsflowError
from newsflow.ingest import Rejected
from newsflow.rows import RunStamp, batch_tables
from newsflow.runs import RunSummary, utc_now


def transient(task, task_run, state) -> bool:
    """Retry file-system faults, never one newsflow names (disk full, no permission): a retry cannot fix it."""
    return not isinstance(getattr(state, "data", None), NewsflowError)


@task(name="write parquet", retries=2, retry_delay_seconds=1, retry_condition_fn=transient, cache_policy=NONE)
def write_batch_outputs(analysis: BatchAnalysis, model_ids: dict[str, str], versions: dict[str, str], *,
                        output_dir: Path, run_date: str, batch_key: str, stamp: RunStamp
                        ) -> tuple[list[history.Staged], pa.Table | None, list[dict], list[Rejected]]:
    """The batch's parts, staged under hidden names (the flow commits them), its `documents` table and
    rows, and every document of the batch that was rejected (analysis or rows)."""
    tables, documents, failed = batch_tables(analysis.documents, model_ids, versions, stamp)
    staged = []
    for name in store.BATCH_TABLES:
        table = tables.get(name)
        if table is None or table.num_rows == 0:
            continue
        final = store.partition_dir(output_dir, name, run_date) / f"part-{batch_key}.parquet"
        staged.append(history.Staged(name, store.stage(table, final), final))
    return staged, tables.get("documents"), documents, analysis.failed + failed


@task(name="commit batch", cache_policy=NONE)  # journaled and idempotent on recovery: never retried
def commit_batch(output_dir: Path, index: history.CurrentIndex, *, run_id: str, key: str, run_date: str,
                 staged: Sequence[history.Staged] = (), documents: pa.Table | None = None,
                 links: Sequence[history.Link] = (), prune_keys: Sequence[str] = ()
                 ) -> tuple[history.Committed, list[int]]:
    """Land a batch (or only its links, or a prune) and move what it supersedes to history."""
    new_docs = history.doc_keys(documents) if documents is not None else []
    plan = history.plan_commit(index, new_docs, links, prune_keys)
    committed = history.commit(Path(output_dir), index, plan, run_id=run_id, key=key, run_date=run_date,
                               new_parts=staged, new_documents=documents)
    return committed, plan.unlinked


@task(name="write rejects and run record", retries=2, retry_delay_seconds=1, retry_condition_fn=transient,
      cache_policy=NONE)
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
