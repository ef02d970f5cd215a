"""The whole flow over every input kind: the same articles as a folder of text files (targets in
front matter), JSONL, CSV and Parquet (targets column), and HTML pages, write the same tables;
per-article targets reach `stances`; record inputs run incrementally (an edited record keeping its
id is redone, the others skipped)."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

from newsflow.config import RunConfig
from newsflow.targets import Target
from tests.test_html_input import EXPECTED_TEXT, PAGE

pytestmark = pytest.mark.slow

ARTICLES = [
    {"id": "a1", "TITLE": "Moore holds rally in Montgomery",
     "DOCUMENT": "Roy Moore held a rally in Montgomery on Monday.\nSupporters of Roy Moore praised his long record "
                 "and cheered.\nCritics said Moore had failed the state.",
     "TARGET_ENTITY": "Roy Moore"},
    {"id": "a2", "TITLE": "Kaepernick kneels again",
     "DOCUMENT": "Colin Kaepernick knelt during the anthem on Sunday.\nFans applauded Kaepernick for his courage.\n"
                 "The league said it would not punish him.",
     "TARGET_ENTITY": "Colin Kaepernick;NFL=league"},
    {"id": "a3", "TITLE": "Budget passes",
     "DOCUMENT": "The council passed the budget on Tuesday.\nThe mayor welcomed the vote.",
     "TARGET_ENTITY": None},  # no targets of its own: discovered
]
RUN_COLUMNS = {"run_id", "processed_at", "config_fingerprint"}
WHERE_FROM = {"source_path", "encoding", "size_bytes", "article_key"}  # differ by input kind, by design
RECORD_OPTIONS = {"text_column": "DOCUMENT", "title_column": "TITLE", "targets_column": "TARGET_ENTITY"}


def write_text_folder(folder: Path) -> Path:
    folder.mkdir()
    for a in ARTICLES:
        front = f"---\ntargets: {a['TARGET_ENTITY']}\n---\n" if a["TARGET_ENTITY"] else ""
        (folder / f"{a['id']}.txt").write_text(f"{front}{a['TITLE']}\n\n{a['DOCUMENT']}", encoding="utf-8")
    return folder


def write_records(folder: Path) -> dict[str, Path]:
    folder.mkdir()
    paths = {"jsonl": folder / "articles.jsonl", "csv": folder / "articles.csv", "parquet": folder / "articles.parquet"}
    paths["jsonl"].write_text("".join(json.dumps(a) + "\n" for a in ARTICLES), encoding="utf-8")
    with open(paths["csv"], "w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(ARTICLES[0]))
        writer.writeheader()
        writer.writerows({**a, "TARGET_ENTITY": a["TARGET_ENTITY"] or ""} for a in ARTICLES)
    pq.write_table(pa.Table.from_pylist(ARTICLES), paths["parquet"], row_group_size=2)
    return paths


def tables(out: Path) -> dict[str, list[dict]]:
    """Every batch table, rows sorted, without the columns that say where and when they came from."""
    read = {}
    for name in ("documents", "sections", "quotes", "stances"):
        folder = out / name
        rows = ds.dataset(folder, format="parquet").to_table().to_pylist() if folder.is_dir() else []
        rows = [{k: v for k, v in r.items() if k not in RUN_COLUMNS | WHERE_FROM} for r in rows]
        read[name] = sorted(rows, key=lambda r: json.dumps(r, sort_keys=True, default=str))
    return read


def run(input_path: Path, out: Path, **config) -> object:
    from newsflow.flows.analyse_news import analyse_news

    return analyse_news(config=RunConfig(input_dir=input_path, output_dir=out, execution={"docs_per_batch": 2},
                                         **config))


def test_every_record_kind_writes_the_tables_of_a_text_folder(prefect_harness, tmp_path: Path):
    text_run = run(write_text_folder(tmp_path / "txt"), tmp_path / "out-txt")
    assert (text_run.processed, text_run.rejected) == (3, 0)
    expected = tables(tmp_path / "out-txt")
    stances = {(r["target"], r["target_source"]) for r in expected["stances"]}
    assert stances == {("Roy Moore", "article"), ("Colin Kaepernick", "article"), ("NFL", "article")}
    for kind, path in write_records(tmp_path / "records").items():
        summary = run(path, tmp_path / f"out-{kind}", input=RECORD_OPTIONS)
        assert (kind, summary.processed, summary.rejected) == (kind, 3, 0)
        assert tables(tmp_path / f"out-{kind}") == expected, kind
    paths = ds.dataset(tmp_path / "out-parquet" / "documents", format="parquet").to_table().column("source_path")
    assert sorted(paths.to_pylist()) == ["articles.parquet#1", "articles.parquet#2", "articles.parquet#3"]


def test_a_folder_of_html_pages_writes_the_tables_of_its_text(prefect_harness, tmp_path: Path):
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "harbour.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "harbour.txt").write_text(EXPECTED_TEXT, encoding="utf-8")
    targets = {"targets": (Target(name="Reykjavik"),)}
    run(tmp_path / "txt", tmp_path / "out-txt", analysis=targets)
    html_run = run(tmp_path / "html", tmp_path / "out-html", analysis=targets)
    assert (html_run.processed, html_run.rejected) == (1, 0)
    html_tables = tables(tmp_path / "out-html")
    assert html_tables == tables(tmp_path / "out-txt")
    assert [(s["heading"], s["n_paragraphs"]) for s in sorted(html_tables["sections"], key=lambda s: s["position"])] \
        == [(None, 2), ("What happens next", 2)]  # the figure caption: a photo credit, not a paragraph
    [document] = html_tables["documents"]
    assert document["photo_credits"] == ["The old docks at dawn, seen from the harbour wall."]


def test_record_inputs_run_incrementally_by_id_and_content(prefect_harness, tmp_path: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    options = {**RECORD_OPTIONS, "id_column": "id", "keep_columns": ("id",)}
    pq.write_table(pa.Table.from_pylist(ARTICLES), folder / "articles.parquet")
    first = run(folder, tmp_path / "out", input=options)
    again = run(folder, tmp_path / "out", input=options)
    assert (first.n_discovered, first.processed, again.processed, again.skipped) == (3, 3, 0, 3)  # records, not files
    edited = [dict(a) for a in ARTICLES]
    edited[1]["DOCUMENT"] += "\nHe thanked his fans."
    pq.write_table(pa.Table.from_pylist(edited), folder / "articles.parquet")
    third = run(folder, tmp_path / "out", input=options)
    assert (third.processed, third.skipped) == (1, 2)
    docs = ds.dataset(tmp_path / "out" / "documents", format="parquet").to_table().to_pylist()
    assert sorted((d["doc_id"], d["article_key"]) for d in docs) == [("a1", "a1"), ("a2", "a2"), ("a3", "a3")]
    old = ds.dataset(tmp_path / "out" / "history" / "documents", format="parquet", partitioning="hive").to_table()
    assert list(zip(old["doc_id"].to_pylist(), old["reason"].to_pylist())) == [("a2", "edited")]
    assert old["run_id"].to_pylist() == [first.run_id] and old["superseded_by"].to_pylist() == [third.run_id]
    assert {d["doc_id"]: dict(d["metadata"]) for d in docs}["a3"] == {"id": "a3"}
