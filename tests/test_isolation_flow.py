"""The flow with a model that raises on one document: that document becomes a `rejects` row
(reason analysis_failed, the stage and the error), its batch's other documents are written, and
the run completes. A rerun tries the failed document again (it was never recorded as done)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from newsflow.config import RunConfig
from newsflow.models.registry import ModelSet
from newsflow.targets import Target
from tests.test_analysis_properties import _Exploding

pytestmark = pytest.mark.slow

TEXTS = {
    "calm.txt": "Calm title\n\nIceland voted on Monday. The plan passed.\n",
    "bad.txt": "Bad title\n\nThis sentence will EXPLODE in the stance model. Iceland said so.\n",
    "third.txt": "Third title\n\nReykjavik council met. Nothing else happened.\n",
}


def sql(query: str) -> list[tuple]:
    return duckdb.sql(query).fetchall()


def test_a_failing_document_is_rejected_and_its_batch_is_written(prefect_harness, tmp_path: Path, monkeypatch):
    import newsflow.tasks.analysis as analysis_tasks
    from newsflow.flows.analyse_news import analyse_news

    real = analysis_tasks.load_models

    def load_with_a_broken_stance(*args, **kwargs):
        models = real(*args, **kwargs)
        return ModelSet(**{**models.__dict__, "stance": _Exploding(models.stance, "predict_documents")})

    monkeypatch.setattr(analysis_tasks, "load_models", load_with_a_broken_stance)
    folder, out = tmp_path / "in", tmp_path / "out"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    config = RunConfig(input_dir=folder, output_dir=out, analysis={"targets": (Target(name="Iceland"),)})

    summary = analyse_news(config=config)
    assert (summary.processed, summary.skipped, summary.rejected, summary.analysis_failures) == (2, 0, 1, 1)
    assert sql(f"select source_path from '{out}/documents/*/*.parquet' order by 1") == [("calm.txt",), ("third.txt",)]
    assert sql(f"select source_path, reason, message from '{out}/rejects/*/*.parquet'") == [
        ("bad.txt", "analysis_failed", "failed in stage 'stance': ValueError: boom on a marked sentence")]
    assert sql(f"select state, n_processed, n_rejected from '{out}/runs/*/*.parquet'") == [("Completed", 2, 1)]

    again = analyse_news(config=config)  # the failure is not "done": tried again, rejected again
    assert (again.processed, again.skipped, again.rejected) == (0, 2, 1)
