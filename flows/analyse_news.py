"""The newsflow flow: discover → read (a stream of documents: one per article file, one per record
of a record file) → per batch: parse → skip what is done → analyse → write parquet; then rejects,
the run record and the report (artifacts the Prefect UI shows)."""

from __future__ import annotations

import time
import uuid
from collections import deque
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.runtime import flow_run
from prefect.utilities.collections import batched_iterable

from newsflow import store
from newsflow.config import RunConfig
from newsflow.ingest import input_root, read_inputs
from newsflow.models.device import planned_device
from newsflow.models.registry import model_versions
from newsflow.rows import RunStamp
from newsflow.runs import RunSummary, utc_now
from newsflow.tasks.analysis import analyse, load_model_set
from newsflow.tasks.ingest import discover_articles, parse_batch
from newsflow.tasks.output import write_batch_outputs, write_run_tables
from newsflow.tasks.report import publish_report, start_progress, update_progress


@flow(name="newsflow-analyse-news", flow_run_name="analyse {config.input_dir}", log_prints=False,
      validate_parameters=True)
def analyse_news(config: RunConfig = RunConfig(), lock_wait_seconds: float = 0.0) -> RunSummary:
    logger = get_run_logger()
    run = RunSummary(run_id=flow_run.id or str(uuid.uuid4()), output_dir=str(config.output_dir))
    versions = model_versions(config.models)
    fingerprint = config.fingerprint(versions)
    model_ids: dict[str, str] = {}
    with store.output_lock(config.output_dir, wait_seconds=lock_wait_seconds):
        if removed := store.remove_uncommitted(config.output_dir):
            logger.warning("removed %d files of a batch an earlier run did not finish", len(removed))
        paths, discovery_rejects = discover_articles(config)
        run.reject(discovery_rejects)
        logger.info("found %d input files in %s (%d rejected at discovery)", len(paths), config.input_dir,
                    len(discovery_rejects))
        done, progress = store.processed_index(config.output_dir), start_progress(len(paths))
        in_flight: deque = deque()  # (batch_no, files done, submitted at, future); bounded, as is memory
        documents = read_inputs(paths, input_root(config.input_dir), config.input, config.execution.max_file_bytes)
        docs_per_batch = config.execution.sizes(planned_device(config.execution.device)).docs_per_batch
        for batch_no, chunk in enumerate(batched_iterable(documents, docs_per_batch)):
            files_done = chunk[-1][0]  # files finished before this batch's last document
            run.n_discovered += len(chunk)  # documents and rejects read: one per article file, one per record
            parsed, rejects = parse_batch([item for _, item in chunk])
            run.reject(rejects)
            if todo := run.skip_done(parsed, done, fingerprint):
                if not model_ids:  # loaded only when there is work: an unchanged rerun loads nothing
                    t_load = time.perf_counter()
                    model_ids = load_model_set(config)
                    run.seconds["model_load"] = time.perf_counter() - t_load
                stamp = RunStamp(run.run_id, utc_now(), fingerprint)
                written = write_batch_outputs.submit(analyse.submit(todo, config), model_ids, versions,
                                                     output_dir=config.output_dir, run_date=run.run_date,
                                                     batch_key=store.batch_key(run.run_id, batch_no), stamp=stamp)
                in_flight.append((batch_no, files_done, time.perf_counter(), written))
            while len(in_flight) >= config.execution.max_batches_in_flight:
                _collect(run, *in_flight.popleft(), len(paths), progress)
        while in_flight:
            _collect(run, *in_flight.popleft(), len(paths), progress)
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
    logger.info("done: %d processed, %d skipped (unchanged), %d rejected; outputs in %s",
                run.processed, run.skipped, run.rejected, Path(config.output_dir).resolve())
    return run


def _collect(run: RunSummary, batch_no: int, files_done: int, submitted: float, future, total: int, progress) -> None:
    files, documents, rejects = future.result()
    run.written(batch_no, time.perf_counter() - submitted, files, documents)
    run.reject(rejects)
    update_progress(progress, files_done, total)
    get_run_logger().info("batch %d written: %d documents (%d/%d files done)", batch_no, len(documents), files_done, total)


if __name__ == "__main__":
    analyse_news()
