"""The newsflow flow: discover → read and parse → load models → per batch: encode →
summarize / sentiment / stance → write parquet; then rejects, the run record and the report
(artifacts the Prefect UI shows: tasks/report.py)."""

from __future__ import annotations

import json
import time
import uuid
from collections import deque
from dataclasses import dataclass, field
from datetime import datetime, timezone
from prefect.utilities.collections import batched_iterable
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.futures import PrefectFuture
from prefect.runtime import flow_run

from models.registry import model_versions
from newsflow import store
from newsflow.config import RunConfig
from tasks.analysis import encode_sentences, load_model_set, score_sentiment, score_stance, summarize_sections
from tasks.ingest import discover_articles, read_and_parse
from tasks.output import write_batch_outputs, write_run_tables
from tasks.report import publish_report, start_progress, update_progress


@dataclass
class DocumentLine:
    source_path: str
    doc_id: str
    title: str
    n_sections: int
    n_quotes: int
    sentiment: str


@dataclass
class RunSummary:
    run_id: str
    output_dir: str
    processed: int = 0
    skipped: int = 0
    rejected: int = 0
    sections: int = 0
    documents: list[DocumentLine] = field(default_factory=list)
    rejects: list[tuple[str, str, str]] = field(default_factory=list)  # path, reason, message
    files: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)


def _now() -> datetime:
    return datetime.now(timezone.utc)


@flow(name="newsflow-analyse-news", flow_run_name="analyse {config.input_dir}", log_prints=False,
      validate_parameters=True)
def analyse_news(config: RunConfig = RunConfig(), lock_wait_seconds: float = 0.0) -> RunSummary:
    logger = get_run_logger()
    run_id = flow_run.id or str(uuid.uuid4())
    started = _now()
    run_date = started.strftime("%Y-%m-%d")
    summary = RunSummary(run_id=run_id, output_dir=str(config.output_dir))
    versions = model_versions(config.summarizer, config.sentiment, config.stance)
    fingerprint = config.fingerprint(versions)
    t0 = time.perf_counter()

    with store.output_lock(config.output_dir, wait_seconds=lock_wait_seconds):
        if removed := store.remove_uncommitted(config.output_dir):
            logger.warning("removed %d files of a batch an earlier run did not finish", len(removed))
        paths, rejects = discover_articles(config)
        n_discovered = len(paths) + len(rejects)  # every article-named path, followed or not
        logger.info("found %d article files in %s (%d rejected at discovery)", len(paths), config.input_dir, len(rejects))
        done = store.processed_index(config.output_dir)
        progress = start_progress(len(paths))
        submitted: dict[int, float] = {}  # batch → perf_counter at submit; collect turns it into seconds
        batch_seconds: dict[int, float] = {}
        model_ids: dict[str, str] | None = None

        in_flight: deque[tuple[int, int, PrefectFuture]] = deque()

        def collect(batch_no: int, n_files_done: int, future: PrefectFuture) -> None:
            written, document_rows = future.result()
            batch_seconds[batch_no] = time.perf_counter() - submitted.pop(batch_no)
            update_progress(progress, n_files_done, len(paths))
            summary.files += [str(p) for p in written]
            summary.processed += len(document_rows)
            for row in document_rows:
                summary.sections += row["n_sections"]
                summary.documents.append(DocumentLine(row["source_path"], row["doc_id"], row["title"],
                                                      row["n_sections"], row["n_quotes"], row["sentiment"]))
            logger.info("batch %d written: %d documents (%d/%d files done)", batch_no, len(document_rows),
                        n_files_done, len(paths))

        files_done = 0
        for batch_no, chunk in enumerate(batched_iterable(paths, config.docs_per_batch)):
            parsed, batch_rejects = read_and_parse(list(chunk), config)
            files_done += len(chunk)
            rejects += batch_rejects
            prepared = []
            for doc in parsed:  # skip what an earlier run (or an identical file in this run) produced
                key = (doc.source.doc_id, fingerprint)
                if key in done:
                    summary.skipped += 1
                else:
                    done.add(key)
                    prepared.append(doc)
            if not prepared:
                continue
            if model_ids is None:  # loaded only when there is work: an unchanged rerun loads nothing
                t_load = time.perf_counter()
                model_ids = load_model_set(config)
                summary.seconds["model_load"] = time.perf_counter() - t_load
            # One chain of futures per batch; up to `max_batches_in_flight` run at once (a Dask
            # cluster spreads them over its workers), which also bounds memory.
            submitted[batch_no] = time.perf_counter()
            encoded = encode_sentences.submit(prepared, config)
            summaries = summarize_sections.submit(encoded, config)
            sentiments = score_sentiment.submit(encoded, config)
            stances = score_stance.submit(encoded, config)
            written = write_batch_outputs.submit(
                encoded, summaries, sentiments, stances, model_ids, versions, output_dir=config.output_dir,
                run_id=run_id, run_date=run_date, batch_key=f"{run_id[:8]}-{batch_no:05d}",
                processed_at=_now(), fingerprint=fingerprint)
            in_flight.append((batch_no, files_done, written))
            while len(in_flight) >= config.max_batches_in_flight:
                collect(*in_flight.popleft())
        while in_flight:
            collect(*in_flight.popleft())

        summary.rejected = len(rejects)
        summary.rejects = [(r.source_path, r.reason, r.message) for r in rejects]
        for r in rejects:
            logger.warning("rejected %s: %s (%s)", r.source_path, r.reason, r.message)
        finished = _now()
        summary.seconds["total"] = time.perf_counter() - t0
        run_row = {
            "run_id": run_id, "flow_run_name": flow_run.name, "started_at": started, "finished_at": finished,
            "state": "Completed", "n_discovered": n_discovered,
            "n_processed": summary.processed, "n_skipped": summary.skipped, "n_rejected": summary.rejected,
            "n_sections": summary.sections, "seconds": summary.seconds["total"],
            "config": config.model_dump_json(), "models": json.dumps(model_ids or {}, sort_keys=True),
            "config_fingerprint": fingerprint,
        }
        summary.files += [str(p) for p in write_run_tables(config.output_dir, run_date, run_id[:8] + "-run", rejects,
                                                            run_row, finished, model_ids or {})]
        update_progress(progress, len(paths), len(paths))
        if publish_report(summary, batch_seconds, return_state=True).is_failed():
            logger.warning("the run's report artifacts could not be created; its Parquet outputs are complete")
    logger.info("done: %d processed, %d skipped (unchanged), %d rejected; outputs in %s",
                summary.processed, summary.skipped, summary.rejected, Path(config.output_dir).resolve())
    return summary


if __name__ == "__main__":
    analyse_news()
