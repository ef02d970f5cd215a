import json
from pathlib import Path

import pyarrow.dataset as ds
import pytest
from typer.testing import CliRunner

from newsflow.cli import app
from newsflow.evaluation import EvalFileError, classification_scores, detect_task, f1_scores


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
    assert detect_task([{"primary_gid": "g", "sentence_normalized": "s", "targets": []}]) == "news-stance-mentions"
    with pytest.raises(EvalFileError, match="cannot tell the task"):
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
    assert scores[("summ.jsonl", "newsflow/extractive-lead-centroid@sentence-transformers/all-MiniLM-L6-v2", "rouge1")] == 100.0
    assert scores[("sent.jsonl", "majority (neutral)", "accuracy")] == 0.5
    assert scores[("sent.jsonl", "newsflow/sentiment-head@minilm-l6-v2", "accuracy")] == 1.0
    assert scores[("stance.jsonl", "majority (NONE)", "accuracy")] == 1.0
    assert len({r["eval_id"] for r in table.to_pylist()}) == 1


def test_eval_without_files_is_a_clear_error(tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", str(tmp_path)])
    assert result.exit_code == 2
    assert "no .jsonl or .csv files" in result.output


# ------------------------------------------------------------------ news stance data, as published
NEWSMTSC = [
    {"primary_gid": "g1", "sentence_normalized": "Critics said Smith ruined the city's finances.",
     "targets": [{"Input.gid": "g1", "from": 13, "to": 18, "mention": "Smith", "polarity": 2.0}]},
    {"primary_gid": "g2", "sentence_normalized": "Jones praised the volunteers, who she said had saved many lives.",
     "targets": [{"Input.gid": "g2", "from": 0, "to": 5, "mention": "Jones", "polarity": 6.0,
                  "further_mentions": [{"from": 40, "to": 43, "mention": "she"}]},
                 {"Input.gid": "g2b", "from": 18, "to": 28, "mention": "volunteers", "polarity": 6.0}]},
]
PERSENT_HEADER = ("DOCUMENT_INDEX,TITLE,TARGET_ENTITY,DOCUMENT,MASKED_DOCUMENT,TRUE_SENTIMENT,"
                  + ",".join(f"Paragraph{i}" for i in range(16)))


def persent_row(index: int, entity: str, paragraphs: list[str], label: str, para_labels: list[str]) -> str:
    import csv
    import io

    buf = io.StringIO()
    cells = [index, "title", entity, "\n".join(paragraphs), "masked", label, *para_labels]
    csv.writer(buf).writerow(cells + [""] * (22 - len(cells)))
    return buf.getvalue()


@pytest.fixture
def news_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "news"
    folder.mkdir()
    write_jsonl(folder / "newsmtsc_dev.jsonl", NEWSMTSC)
    (folder / "persent.csv").write_text(PERSENT_HEADER + "\n" + persent_row(
        1, "Anna Berg", ["Anna Berg won the award for her brilliant research.", "The ceremony was in Oslo."],
        "Positive", ["Positive", "Neutral"]) + persent_row(
        2, "Tom Hale", ["Tom Hale was convicted of fraud.", "Hale denied wrongdoing and was jailed."],
        "Negative", ["Negative", "Negative"]), encoding="utf-8")
    return folder


def test_newsmtsc_and_persent_are_scored_with_baselines(news_folder: Path, tmp_path: Path):
    result = CliRunner().invoke(app, ["eval", str(news_folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    table = ds.dataset(tmp_path / "out" / "evaluations", format="parquet", partitioning="hive").to_table()
    rows = table.to_pylist()
    scores = {(r["file"], r["system"], r["metric"]): (r["value"], r["n"]) for r in rows}
    model = "newsflow/news-stance-head@minilm-l6-v2"
    # NewsMTSC: per mention (3 mentions: 1 negative, 2 positive)
    assert scores[("newsmtsc_dev.jsonl", "majority (FAVOR)", "accuracy")] == (2 / 3, 3)
    assert ("newsmtsc_dev.jsonl", model, "macro_f1") in scores
    # PerSenT: per paragraph (4) and per document (2), through the pipeline's roll-up, with VADER
    assert scores[("persent.csv", "majority (AGAINST, paragraph)", "accuracy")] == (0.5, 4)
    assert scores[("persent.csv", f"{model} (document)", "macro_f1")][1] == 2
    assert ("persent.csv", "VADER (paragraph)", "macro_f1") in scores
    assert ("persent.csv", "VADER (document)", "f1_FAVOR") in scores


def test_a_bad_file_is_skipped_with_a_warning_and_never_loses_the_others(labelled: Path, tmp_path: Path):
    # FNC-1 headline/body pairs: another schema; and a file with a malformed second line
    write_jsonl(labelled / "fnc1.jsonl", [{"Headline": "h", "Body ID": 1, "Stance": "agree"}])
    (labelled / "broken.jsonl").write_text('{"text": "ok", "label": "neutral"}\n{"text": "oops", \n', encoding="utf-8")
    (labelled / "other.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["eval", str(labelled), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    out = " ".join(result.output.split())  # rich may wrap long warnings
    assert "Traceback" not in result.output
    assert "skipped" in out and "fnc1.jsonl" in out and "sentence_normalized+targets" in out
    assert "broken.jsonl:2: not valid JSON" in out
    assert "other.csv" in out and "TRUE_SENTIMENT" in out
    assert "3 file(s) skipped" in out
    table = ds.dataset(tmp_path / "out" / "evaluations", format="parquet", partitioning="hive").to_table()
    assert {r["file"] for r in table.to_pylist()} == {"summ.jsonl", "sent.jsonl", "stance.jsonl"}


def test_only_bad_files_is_an_error_without_traceback(tmp_path: Path):
    folder = tmp_path / "bad"
    folder.mkdir()
    write_jsonl(folder / "fnc1.jsonl", [{"Headline": "h", "Body ID": 1, "Stance": "agree"}])
    result = CliRunner().invoke(app, ["eval", str(folder), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and "could be scored" in result.output
