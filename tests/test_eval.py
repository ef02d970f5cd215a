import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from newsflow.cli import app
from newsflow.evaluation import classification_scores, detect_task, f1_scores


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_f1_and_f_avg_exact():
    gold = ["FAVOR", "AGAINST", "AGAINST", "NONE"]
    pred = ["FAVOR", "AGAINST", "NONE", "NONE"]
    assert f1_scores(gold, pred, ["AGAINST", "FAVOR", "NONE"]) == {"AGAINST": 2 / 3, "FAVOR": 1.0, "NONE": 2 / 3}
    rows = {r.metric: r.value for r in classification_scores("f", "stance", "m", gold, pred)}
    assert rows["accuracy"] == 0.75
    assert rows["f_avg"] == pytest.approx((1.0 + 2 / 3) / 2)


def test_task_is_read_from_the_fields():
    assert detect_task([{"id": 1, "article": "a", "reference": "r"}]) == "summarization"
    assert detect_task([{"id": 1, "text": "t", "label": "positive"}]) == "sentiment"
    assert detect_task([{"id": 1, "target": "x", "text": "t", "label": "NONE"}]) == "stance"
    with pytest.raises(ValueError, match="cannot tell the task"):
        detect_task([{"body": "?"}])


@pytest.fixture
def labelled(tmp_path: Path) -> Path:
    folder = tmp_path / "eval"
    folder.mkdir()
    article = "The council approved the budget on Monday. Taxes will not rise. The vote was 7 to 2."
    write_jsonl(folder / "summ.jsonl", [{"id": "a1", "article": article,
                                         "reference": "The council approved the budget on Monday. Taxes will not rise. The vote was 7 to 2."}])
    write_jsonl(folder / "sent.jsonl", [
        {"id": "s1", "text": "Profits soared to a record and the company raised its dividend.", "label": "positive"},
        {"id": "s2", "text": "The company cut 2,000 jobs after sales collapsed.", "label": "negative"},
        {"id": "s3", "text": "The meeting is scheduled for Tuesday in Berlin.", "label": "neutral"},
        {"id": "s4", "text": "The report will be published in March.", "label": "neutral"},
    ])
    write_jsonl(folder / "stance.jsonl", [
        {"id": "t1", "target": "the new park", "text": "The weather in Oslo was mild on Sunday.", "label": "NONE"},
        {"id": "t2", "target": "the new park", "text": "The weather in Lima was warm on Monday.", "label": "NONE"},
    ])
    return folder


def test_eval_command_prints_and_writes_scores_with_baselines(labelled: Path, tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", str(labelled), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert "LEAD-3" in result.output and "majority (neutral)" in result.output
    table = ds.dataset(tmp_path / "out" / "evaluations", format="parquet", partitioning="hive").to_table()
    scores = {(r["file"], r["system"], r["metric"]): r["value"] for r in table.to_pylist()}
    # The three-sentence article is its own reference: LEAD-3 and the model (given LEAD-3's length) keep it all.
    assert scores[("summ.jsonl", "LEAD-3", "rouge1")] == 100.0
    assert scores[("summ.jsonl", "newsflow/extractive-mmr@sentence-transformers/all-MiniLM-L6-v2", "rouge1")] == 100.0
    assert scores[("sent.jsonl", "majority (neutral)", "accuracy")] == 0.5
    assert scores[("sent.jsonl", "newsflow/sentiment-head@minilm-l6-v2", "accuracy")] == 1.0
    assert scores[("stance.jsonl", "majority (NONE)", "accuracy")] == 1.0
    assert len({r["eval_id"] for r in table.to_pylist()}) == 1


def test_eval_without_files_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "no .jsonl files" in result.output
