"""The bookkeeping of one run: counts, the documents written, rejects, files, timings, and the
`runs` row. Plain Python, so the flow stays a short story and the CLI and report read one type."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Iterable, Sequence

from newsflow.config import RunConfig
from newsflow.ingest import Rejected


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class DocumentLine:
    source_path: str
    doc_id: str
    title: str
    n_sections: int
    n_quotes: int
    sentiment: str | None  # None: the document has no sentences


@dataclass
class RunSummary:
    run_id: str
    output_dir: str
    processed: int = 0
    skipped: int = 0
    rejected: int = 0
    sections: int = 0
    documents: list[DocumentLine] = field(default_factory=list)
    rejects: list[Rejected] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    batch_seconds: dict[int, float] = field(default_factory=dict)
    n_discovered: int = 0
    linked: int = 0  # documents rows written without analysis (a renamed or copied file)
    superseded: dict[str, int] = field(default_factory=dict)  # documents rows moved to history, by reason
    started_at: datetime = field(default_factory=utc_now)
    _t0: float = field(default_factory=time.perf_counter, repr=False)

    @property
    def run_date(self) -> str:
        return self.started_at.strftime("%Y-%m-%d")

    @property
    def analysis_failures(self) -> int:
        return sum(r.reason == "analysis_failed" for r in self.rejects)

    def reject(self, rejects: Iterable[Rejected]) -> None:
        self.rejects += rejects
        self.rejected = len(self.rejects)

    def skip_done(self, docs: Sequence, done: set[tuple[str, str, str]], fingerprint: str) -> tuple[list, list]:
        """(to analyse, to skip): a document is skipped when its text was analysed with these settings by
        an earlier run or earlier in this run (maybe under another name); `done` grows with the others."""
        todo, skipped = [], []
        for doc in docs:
            key = (doc.source.doc_id, doc.source.content_hash, fingerprint)
            if key in done:
                self.skipped += 1
                skipped.append(doc)
            else:
                done.add(key)
                todo.append(doc)
        return todo, skipped

    def committed(self, linked: int, reasons: dict[str, int]) -> None:
        self.linked += linked
        for reason, n in reasons.items():
            self.superseded[reason] = self.superseded.get(reason, 0) + n

    def written(self, batch_no: int, seconds: float, files: Iterable[object], document_rows: Iterable[dict]) -> int:
        self.batch_seconds[batch_no] = seconds
        self.files += [str(p) for p in files]
        n = 0
        for row in document_rows:
            n += 1
            self.sections += row["n_sections"]
            self.documents.append(DocumentLine(row["source_path"], row["doc_id"], row["title"], row["n_sections"],
                                               row["n_quotes"], row["sentiment"]))
        self.processed += n
        return n

    def finish(self) -> float:
        self.seconds["total"] = time.perf_counter() - self._t0
        return self.seconds["total"]

    def run_row(self, flow_run_name: str | None, config: RunConfig, model_ids: dict[str, str], fingerprint: str,
                finished_at: datetime) -> dict[str, object]:
        return {
            "run_id": self.run_id, "flow_run_name": flow_run_name, "started_at": self.started_at,
            "finished_at": finished_at, "state": "Completed", "n_discovered": self.n_discovered,
            "n_processed": self.processed, "n_skipped": self.skipped, "n_rejected": self.rejected,
            "n_sections": self.sections, "n_superseded": sum(self.superseded.values()), "seconds": self.seconds["total"], "config": config.model_dump_json(),
            "models": json.dumps(model_ids, sort_keys=True), "config_fingerprint": fingerprint,
        }
