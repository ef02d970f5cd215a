"""The newsflow flow: open the output (recover, index) → discover → read (a stream of documents:
one per article file, one per record of a record file) → per batch: parse → skip what is done →
analyse → stage parquet → commit (superseded rows to history); then prune, rejects, the run
record and the report (artifacts the Prefect UI shows)."""

from __future__ import annotations

import time
import uuid
from collections import deque
from dataclasses import dataclass
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.states import Failed
from prefect.utilities.collections import batched_iterable

from newsflow import history, store
from newsflow.config import RunConfig
from newsflow.errors import DiskFullError, NewsflowError
from newsflow.ingest import input_root, read_inputs
from newsflow.models.device import planned_device
from newsflow.models.registry import model_versions
from newsflow.rows import RunStamp
from newsflow.runs import RunSummary, utc_now
from newsflow.tasks.analysis import analyse, load_model_set
from newsflow.tasks.ingest import discover_articles, parse_batch
from newsflow.tasks.output import commit_batch, write_batch_outputs, write_run_tables
from newsflow.tasks.report import publish_report, start_progress, update_progress


@dataclass
class Pending:
    """A batch read and submitted, waiting for its commit (commits land in batch order)."""

    batch_no: int
    files_done: int
    submitted: float
    future: object | None  # the staged parts; None: nothing to analyse, only links
    skipped: list  # PreparedDocuments not analysed: linked at the commit


@flow(name="newsflow-analyse-news", flow_run_name="analyse {config.input_dir}", log_prints=False,
      validate_parameters=True)
def analyse_news(config: RunConfig = RunConfig(), lock_wait_seconds: float = 0.0, prune: bool = False) -> RunSummary:
    run = RunSummary(run_id=flow_run.id or str(uuid.uuid4()), output_dir=str(config.output_dir))
    try:
        return _analyse(run, config, lock_wait_seconds, prune)
    except NewsflowError as exc:  # a condition the user can fix: a failed run with one line, no traceback
        if isinstance(exc, DiskFullError):
            exc = DiskFullError(config.output_dir, committed=run.processed)
        return Failed(message=str(exc), data=exc)  # type: ignore[return-value]


def _analyse(run: RunSummary, config: RunConfig, lock_wait_seconds: float, prune: bool) -> RunSummary:
    logger = get_run_logger()
    versions = model_versions(config.models)
    fingerprint = config.fingerprint(versions)
    model_ids: dict[str, str] = {}
    with store.output_lock(config.output_dir, wait_seconds=lock_wait_seconds):
        opened = history.open_output(Path(config.output_dir), run.run_id)
        for note in opened.notes:
            logger.warning(note)
        for r in opened.quarantined:
            logger.warning("quarantined %s: %s", r.source_path, r.message)
        run.reject(opened.quarantined)
        index = opened.index
        paths, discovery_rejects = discover_articles(config)
        run.reject(discovery_rejects)
        logger.info("found %d input files in %s (%d rejected at discovery)", len(paths), config.input_dir,
                    len(discovery_rejects))
        done, progress = index.done(), start_progress(len(paths))
        seen: set[str] = {r.source_path for r in discovery_rejects}
        pending: deque[Pending] = deque()  # bounded, as is memory
        leftovers: list = []  # copies whose analysis went away before their commit: analysed at the end

        def submit(todo: list, batch_no: int):
            nonlocal model_ids
            if not model_ids:  # loaded only when there is work: an unchanged rerun loads nothing
                t_load = time.perf_counter()
                model_ids = load_model_set(config)
                run.seconds["model_load"] = time.perf_counter() - t_load
            stamp = RunStamp(run.run_id, utc_now(), fingerprint)
            return write_batch_outputs.submit(analyse.submit(todo, config), model_ids, versions,
                                              output_dir=config.output_dir, run_date=run.run_date,
                                              batch_key=store.batch_key(run.run_id, batch_no), stamp=stamp)

        def collect(p: Pending) -> None:
            leftovers.extend(_commit(run, index, config, p, fingerprint, len(paths), progress))

        files_done, batch_no = 0, -1
        documents = read_inputs(paths, input_root(config.input_dir), config.input, config.execution.max_file_bytes)
        docs_per_batch = config.execution.sizes(planned_device(config.execution.device)).docs_per_batch
        for batch_no, chunk in enumerate(batched_iterable(documents, docs_per_batch)):
            files_done = chunk[-1][0]  # files finished before this batch's last document
            run.n_discovered += len(chunk)  # documents and rejects read: one per article file, one per record
            parsed, rejects = parse_batch([item for _, item in chunk])
            run.reject(rejects)
            seen |= {d.source.article_key for d in parsed} | {r.source_path for r in rejects}
            todo, skipped = run.skip_done(parsed, done, fingerprint)
            pending.append(Pending(batch_no, files_done, time.perf_counter(),
                                   submit(todo, batch_no) if todo else None, skipped))
            while len(pending) >= config.execution.max_batches_in_flight:
                collect(pending.popleft())
        while pending:
            collect(pending.popleft())
        if leftovers:
            run.skipped -= len(leftovers)
            logger.info("analysing %d copied article(s) whose original changed in this run", len(leftovers))
            firsts: dict[tuple[str, str], object] = {}
            for d in leftovers:  # one analysis per text; its other copies are linked to it
                firsts.setdefault((d.source.doc_id, d.source.content_hash), d)
            todo = list(firsts.values())
            collect(Pending(batch_no + 1, files_done, time.perf_counter(), submit(todo, batch_no + 1),
                            [d for d in leftovers if all(d is not t for t in todo)]))
        if prune and (gone := sorted(set(index.by_key) - seen)):
            committed, _ = commit_batch(config.output_dir, index, run_id=run.run_id,
                                        key=f"{run.run_id[:8]}-prune", run_date=run.run_date, prune_keys=gone)
            run.committed(0, committed.reasons)
            logger.info("pruned %d article(s) whose source is gone: moved to history", len(gone))
        run.n_discovered += len(discovery_rejects)
        run.finish()
        run.files += map(str, write_run_tables(config.output_dir, run, config, model_ids, fingerprint,
                                               flow_run.name))
        update_progress(progress, len(paths), len(paths))
        if publish_report(run, return_state=True).is_failed():
            logger.warning("the run's report artifacts could not be created; its Parquet outputs are complete")
    for r in run.rejects:
        logger.warning("rejected %s: %s (%s)", r.source_path, r.reason, r.message)
    if run.analysis_failures:
        logger.warning("%d document(s) could not be analysed: recorded in `rejects` (reason analysis_failed, "
                       "with the stage and the error); the run's other documents are written",
                       run.analysis_failures)
    moved = ", ".join(f"{n} {reason}" for reason, n in sorted(run.superseded.items()))
    logger.info("done: %d processed, %d skipped (unchanged), %d rejected%s%s; outputs in %s",
                run.processed, run.skipped, run.rejected, f", {run.linked} renamed/copied" if run.linked else "",
                f"; moved to history: {moved}" if moved else "", Path(config.output_dir).resolve())
    return run


def _commit(run: RunSummary, index: history.CurrentIndex, config: RunConfig, p: Pending, fingerprint: str,
            total: int, progress) -> list:
    """Commit one batch; returns the skipped documents that found no analysis to point at."""
    staged, documents_table, documents, rejects = p.future.result() if p.future is not None else ([], None, [], [])
    links = [history.Link.of(d.source, fingerprint) for d in p.skipped]
    committed, unlinked = commit_batch(config.output_dir, index, run_id=run.run_id,
                                       key=store.batch_key(run.run_id, p.batch_no), run_date=run.run_date,
                                       staged=staged, documents=documents_table, links=links)
    run.written(p.batch_no, time.perf_counter() - p.submitted, committed.files, documents)
    run.committed(committed.derived - _reanalysed(committed), committed.reasons)
    run.reject(rejects)
    update_progress(progress, p.files_done, total)
    if p.future is not None or committed.files:
        get_run_logger().info("batch %d written: %d documents (%d/%d files done)", p.batch_no, len(documents),
                              p.files_done, total)
    return [p.skipped[i] for i in unlinked]


def _reanalysed(committed: history.Committed) -> int:
    return committed.reasons.get(history.REANALYSED, 0)


if __name__ == "__main__":
    analyse_news()
