"""report: what the Prefect UI shows for a run — artifacts on the flow run.

* `newsflow-progress` (progress): moves as batches are written;
* `newsflow-report` (markdown): each document of the run — title, sections with summary,
  sentiment and stances — read back from the Parquet files the run wrote;
* `newsflow-documents` (table): per-document counts and batch timings;
* `newsflow-parquet-<table>` (links): file:// links to the Parquet files written.

Artifacts are a view, never the data: a failure to create one is logged, not raised, except in
`publish_report`, which the flow calls with `return_state=True` so it cannot fail a run.
"""

from __future__ import annotations

import re
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable
from uuid import UUID

import pyarrow.parquet as pq
from prefect import get_run_logger, task
from prefect.artifacts import (
    create_link_artifact,
    create_markdown_artifact,
    create_progress_artifact,
    create_table_artifact,
    update_progress_artifact,
)
from prefect.cache_policies import NONE

from newsflow import store
from newsflow.runs import RunSummary

PROGRESS_KEY = "newsflow-progress"
REPORT_KEY = "newsflow-report"
TABLE_KEY = "newsflow-documents"
LINK_KEY_PREFIX = "newsflow-parquet-"
MAX_REPORT_DOCUMENTS = 50  # the markdown report stays readable; the table has every document
MAX_TABLE_ROWS = 2000
MAX_FILE_LINKS = 40  # more files than this: one link per table folder instead of per file


def artifact_key(text: str) -> str:
    """A valid artifact key: lowercase letters, digits and dashes only."""
    return re.sub(r"-{2,}", "-", re.sub(r"[^a-z0-9-]", "-", text.lower())).strip("-") or "newsflow"


def start_progress(total_files: int) -> UUID | None:
    try:
        return create_progress_artifact(0.0, key=PROGRESS_KEY, description=f"0 of {total_files} article files")
    except Exception as exc:  # a view only: never fail the run for it
        get_run_logger().warning("could not create the progress artifact: %s", exc)
        return None


def update_progress(artifact_id: UUID | None, files_done: int, total_files: int) -> None:
    if artifact_id is None:
        return
    percent = 100.0 if total_files == 0 else min(100.0, 100.0 * files_done / total_files)
    try:
        update_progress_artifact(artifact_id, percent, description=f"{files_done} of {total_files} article files")
    except Exception as exc:
        get_run_logger().warning("could not update the progress artifact: %s", exc)


def _read(paths: Iterable[Path], columns: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for path in paths:
        for row in pq.read_table(path, columns=columns).to_pylist():
            rows.append({**row, "_batch": store.part_batch(path)})
    return rows


def _md(text: str | None) -> str:
    return (text or "").replace("\r", " ").replace("\n", " ").strip()


def _stance_line(stances: list[dict[str, Any]]) -> str:
    """One section's stances: label (score, mentions); a target the section never names says so,
    so a reader tells "neutral" from "absent" as the `mentions` column does."""
    def one(s: dict[str, Any]) -> str:
        name = f"**{_md(s['target'])}**"
        n = s.get("mentions")
        if n == 0:
            return f"{name} not mentioned"
        counted = f", {n} mention{'s' if n != 1 else ''}" if n is not None else ""
        return f"{name} {s['label']} ({s['score']:.2f}{counted})"

    return " · ".join(one(s) for s in stances)


def build_markdown(summary: RunSummary, documents: list[dict], sections: list[dict], stances: list[dict],
                   by_table: dict[str, list[Path]]) -> str:
    seconds = summary.seconds
    lines = [
        f"# newsflow run `{summary.run_id[:8]}`",
        "",
        f"**{summary.processed}** documents processed, **{summary.skipped}** unchanged (skipped), "
        f"**{summary.rejected}** rejected; **{summary.sections}** sections.  ",
        f"Time: {seconds.get('total', 0.0):.1f} s (model load {seconds.get('model_load', 0.0):.1f} s).  ",
        f"Output folder: `{Path(summary.output_dir).resolve()}`",
        "",
    ]
    if not documents:
        lines += ["No new documents in this run: every article was unchanged since an earlier run "
                  "with the same models and settings, so no model was loaded.", ""]
    secs_by_doc: dict[str, list[dict]] = defaultdict(list)
    for s in sections:
        secs_by_doc[s["doc_id"]].append(s)
    stances_by_section: dict[tuple[str, int], list[dict]] = defaultdict(list)
    for s in stances:
        stances_by_section[(s["doc_id"], s["section_position"])].append(s)
    for doc in documents[:MAX_REPORT_DOCUMENTS]:
        doc_id = doc["doc_id"]
        lines += [
            f"## {_md(doc['title']) or doc['source_path']}",
            "",
            f"`{doc['source_path']}` · doc `{doc_id}` · {doc['n_sections']} sections · "
            f"sentiment **{doc['sentiment']}** · targets: {', '.join(doc['targets'] or []) or '—'}",
            "",
            f"> {_md(doc['summary'])}",
            "",
        ]
        for sec in sorted(secs_by_doc[doc_id], key=lambda s: s["position"]):
            heading = _md(sec["heading"]) or ("Lead" if sec["kind"] == "lead" else f"Section {sec['position']}")
            lines += [f"### {sec['position']}. {heading}", "", f"*Sentiment:* {sec['sentiment']}  ",
                      f"*Summary:* {_md(sec['summary'])}  "]
            if section_stances := stances_by_section.get((doc_id, sec["position"])):
                lines.append(f"*Stances:* {_stance_line(section_stances)}")
            lines.append("")
    if len(documents) > MAX_REPORT_DOCUMENTS:
        lines += [f"*… and {len(documents) - MAX_REPORT_DOCUMENTS} more documents: see the `{TABLE_KEY}` "
                  f"table artifact and the Parquet files.*", ""]
    if summary.rejects:
        lines += ["## Rejected files", ""] + [f"- `{r.source_path}`: {r.reason} ({_md(r.message)})" for r in summary.rejects]
        lines.append("")
    if by_table:
        lines += ["## Parquet files written", ""]
        for table, paths in sorted(by_table.items()):
            lines += [f"- {table}: " + ", ".join(f"[{p.name}]({p.resolve().as_uri()})" for p in paths)]
    return "\n".join(lines)


def build_table(documents: list[dict], sections: list[dict], stances: list[dict],
                batch_seconds: dict[int, float]) -> list[dict[str, Any]]:
    docs_in_batch: dict[int | None, int] = defaultdict(int)
    for doc in documents:
        docs_in_batch[doc["_batch"]] += 1
    n_stances: dict[str, int] = defaultdict(int)
    for s in stances:
        n_stances[s["doc_id"]] += 1
    rows = []
    for doc in documents[:MAX_TABLE_ROWS]:
        batch = doc["_batch"]
        batch_s = batch_seconds.get(batch) if batch is not None else None
        rows.append({
            "file": doc["source_path"], "doc_id": doc["doc_id"], "title": (doc["title"] or "")[:80],
            "sections": doc["n_sections"], "paragraphs": doc["n_paragraphs"], "sentences": doc["n_sentences"],
            "words": doc["n_words"], "quotes": doc["n_quotes"], "stances": n_stances[doc["doc_id"]],
            "sentiment": doc["sentiment"], "batch": batch,
            "batch_seconds": round(batch_s, 2) if batch_s is not None else None,
            "seconds_per_doc": round(batch_s / docs_in_batch[batch], 2) if batch_s is not None else None,
        })
    return rows


@task(name="report", cache_policy=NONE)
def publish_report(summary: RunSummary) -> dict[str, int]:
    """Markdown report, per-document table and file links for the run, from the Parquet it wrote."""
    logger = get_run_logger()
    by_table: dict[str, list[Path]] = defaultdict(list)
    for f in summary.files:
        by_table[store.part_table(Path(f))].append(Path(f))
    documents = _read(by_table.get("documents", []), [
        "doc_id", "source_path", "title", "n_sections", "n_paragraphs", "n_sentences", "n_words", "n_quotes",
        "summary", "sentiment", "targets"])
    sections = _read(by_table.get("sections", []), ["doc_id", "position", "heading", "kind", "summary", "sentiment"])
    stances = _read(by_table.get("stances", []), ["doc_id", "section_position", "target", "label", "score",
                                                  "mentions"])
    documents.sort(key=lambda d: d["source_path"] or "")

    create_markdown_artifact(build_markdown(summary, documents, sections, stances, by_table), key=REPORT_KEY,
                             description=f"newsflow run {summary.run_id[:8]}: documents, sections, summaries, "
                                         f"sentiment and stances")
    table = build_table(documents, sections, stances, summary.batch_seconds)
    if table:
        create_table_artifact(table, key=TABLE_KEY, description=f"per-document counts and batch timings "
                                                                f"({len(documents)} documents)")
    links = 0
    n_files = sum(len(paths) for paths in by_table.values())
    for table_name, paths in sorted(by_table.items()):
        key = artifact_key(LINK_KEY_PREFIX + table_name)
        if n_files <= MAX_FILE_LINKS:
            targets = [(p, f"{table_name}/{p.parent.name}/{p.name}") for p in paths]
        else:
            targets = [(p, f"{table_name}/{p.name}/ ({sum(q.parent == p for q in paths)} files)")
                       for p in sorted({q.parent for q in paths})]
        for target, text in targets:
            create_link_artifact(target.resolve().as_uri(), link_text=text, key=key,
                                 description=f"`{table_name}` Parquet written by run {summary.run_id[:8]}")
            links += 1
    logger.info("report: %d documents, %d sections, %d stances; artifacts %s, %s, %d file links",
                len(documents), len(sections), len(stances), REPORT_KEY, TABLE_KEY if table else "(no table)", links)
    return {"documents": len(documents), "sections": len(sections), "stances": len(stances), "links": links}
