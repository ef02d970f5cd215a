"""Record inputs (JSONL, CSV, Parquet, Hive-partitioned Parquet) and text front matter: tiny files
written here, every record a document or a reject with its reason; exact values."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from newsflow.analysis import choose_targets, prepare_document
from newsflow.config import InputSettings, RunConfig
from newsflow.ingest import (Rejected, SourceDocument, content_id, content_key, discover, read_document,
                             read_inputs, read_source, split_front_matter)
from newsflow.records import BadRecord, Record, read_records
from newsflow.runs import RunSummary
from newsflow.targets import Target

BODY_A = "Roy Moore spoke in Montgomery on Monday.\nHe said the race was close."
BODY_B = "Colin Kaepernick knelt during the anthem.\nFans cheered him."
OPTIONS = InputSettings(text_column="body", title_column="title", targets_column="who")


def docs_and_rejects(path: Path, root: Path, options: InputSettings = OPTIONS):
    items = list(read_source(path, root, options))
    return ([i for i in items if isinstance(i, SourceDocument)], [i for i in items if isinstance(i, Rejected)])


def reasons(rejects: list[Rejected]) -> list[tuple[str, str]]:
    return [(r.source_path, r.reason) for r in rejects]


def test_jsonl_records_and_every_bad_line_rejected_with_its_reason(tmp_path: Path):
    lines = [
        json.dumps({"title": "Moore speaks", "body": BODY_A, "who": "Roy Moore"}),
        "",  # blank lines are skipped, and still counted
        "{not json",
        json.dumps(["a", "list"]),
        json.dumps({"title": "Numbers", "body": 42}),
        json.dumps({"title": "Nothing", "body": "   "}),
        json.dumps({"title": "No body"}),
        json.dumps({"title": "Kaepernick", "body": BODY_B, "who": ["Colin Kaepernick=Kaepernick", "NFL"]}),
        json.dumps({"title": "Bad targets", "body": BODY_B, "who": 7}),
    ]
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, rejects = docs_and_rejects(path, tmp_path)
    assert [(d.source_path, d.text, d.targets) for d in docs] == [
        ("feed.jsonl#1", f"Moore speaks\n\n{BODY_A}", (Target(name="Roy Moore"),)),
        ("feed.jsonl#8", f"Kaepernick\n\n{BODY_B}",
         (Target(name="Colin Kaepernick", aliases=("Kaepernick",)), Target(name="NFL"))),
    ]
    assert reasons(rejects) == [("feed.jsonl#3", "unparseable"), ("feed.jsonl#4", "wrong_type"),
                                ("feed.jsonl#5", "wrong_type"), ("feed.jsonl#6", "blank"),
                                ("feed.jsonl#7", "empty"), ("feed.jsonl#9", "wrong_type")]
    assert rejects[0].message == "line 3 is not JSON: Expecting property name enclosed in double quotes (column 2)"
    # no id column: doc_id and article_key hash what the analysis reads: the text and the targets
    first = docs[0]
    assert first.doc_id == first.article_key == first.content_hash
    assert first.content_hash == content_key(first.text, (Target(name="Roy Moore"),), {}) != content_id(first.text)
    assert (first.encoding, first.size_bytes) == ("utf-8", len(first.text.encode()))


def test_csv_records_a_short_row_and_a_missing_column(tmp_path: Path):
    path = tmp_path / "export.csv"
    path.write_text('title,body,who\nMoore speaks,"Roy Moore spoke in Montgomery on Monday.\nHe said the race was '
                    'close.",Roy Moore\nShort row,only two\n,"Body without a title.",\n', encoding="utf-8")
    docs, rejects = docs_and_rejects(path, tmp_path)
    assert [(d.source_path, d.text, d.targets) for d in docs] == [
        ("export.csv#1", f"Moore speaks\n\n{BODY_A}", (Target(name="Roy Moore"),)),
        ("export.csv#3", "Body without a title.", ()),
    ]
    assert [(r.source_path, r.reason, r.message) for r in rejects] == [
        ("export.csv#2", "unparseable", "data row 2 has 2 fields, the header 3")]
    # a column the options name but the header lacks: the whole file is one reject
    docs, rejects = docs_and_rejects(path, tmp_path, InputSettings(text_column="DOCUMENT"))
    assert docs == []
    assert [(r.source_path, r.reason, r.message) for r in rejects] == [
        ("export.csv", "missing_column",
         "no column 'DOCUMENT' in the header (it has 'title', 'body', 'who'); pass the right --*-column")]


def parquet_rows(n: int) -> list[dict]:
    return [{"id": 100 + i, "title": f"Story {i}", "body": f"Roy Moore said thing number {i} on Monday.",
             "who": "Roy Moore;Alabama", "published": datetime(2024, 5, i + 1, 9, 30, tzinfo=timezone.utc)}
            for i in range(n)]


def test_parquet_streams_in_record_batches_with_ids_and_kept_columns(tmp_path: Path):
    rows = parquet_rows(5)
    rows[3]["body"] = None
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet", row_group_size=2)
    items = read_records(tmp_path / "a.parquet", ["body", "id"], tmp_path, batch_rows=2)
    assert next(items) == Record(1, {"body": "Roy Moore said thing number 0 on Monday.", "id": 100})  # lazy
    assert [r.row for r in items] == [2, 3, 4, 5]
    options = InputSettings(text_column="body", title_column="title", id_column="id", targets_column="who",
                            keep_columns=("published",))
    docs, rejects = docs_and_rejects(tmp_path / "a.parquet", tmp_path, options)
    assert [(d.doc_id, d.article_key, d.source_path) for d in docs] == [
        ("100", "100", "a.parquet#1"), ("101", "101", "a.parquet#2"), ("102", "102", "a.parquet#3"),
        ("104", "104", "a.parquet#5")]
    assert docs[0].text == "Story 0\n\nRoy Moore said thing number 0 on Monday."
    assert docs[0].targets == (Target(name="Roy Moore"), Target(name="Alabama"))
    assert docs[0].metadata == {"published": "2024-05-01T09:30:00+00:00"}
    assert reasons(rejects) == [("a.parquet#4", "empty")]


def test_an_edited_record_keeping_its_id_gets_a_new_skip_key(tmp_path: Path):
    options = InputSettings(text_column="body", id_column="id", targets_column="who")
    pq.write_table(pa.Table.from_pylist(parquet_rows(2)), tmp_path / "v1.parquet")
    edited = parquet_rows(2)
    edited[1]["who"] = "Roy Moore"  # same text, other targets
    pq.write_table(pa.Table.from_pylist(edited), tmp_path / "v2.parquet")
    v1, _ = docs_and_rejects(tmp_path / "v1.parquet", tmp_path, options)
    v2, _ = docs_and_rejects(tmp_path / "v2.parquet", tmp_path, options)
    assert [d.doc_id for d in v1] == [d.doc_id for d in v2] == ["100", "101"]
    assert v1[0].content_hash == v2[0].content_hash and v1[1].content_hash != v2[1].content_hash
    run = RunSummary(run_id="r", output_dir=str(tmp_path))
    done: set = set()
    todo, skipped = run.skip_done([prepare_document(d) for d in v1], done, "fp")
    assert (len(todo), skipped) == (2, [])
    todo, skipped = run.skip_done([prepare_document(d) for d in v2], done, "fp")
    assert [p.source.doc_id for p in todo] == ["101"] and [p.source.doc_id for p in skipped] == ["100"]


def test_bad_parquet_and_missing_column_are_one_reject_per_file(tmp_path: Path):
    (tmp_path / "broken.parquet").write_bytes(b"PAR1 not really parquet")
    pq.write_table(pa.Table.from_pylist(parquet_rows(2)), tmp_path / "ok.parquet")
    found, _ = discover(tmp_path)
    items = [item for _, item in read_inputs(found, tmp_path, InputSettings(text_column="text"))]
    assert [(r.source_path, r.reason) for r in items] == [("broken.parquet", "unreadable"),
                                                          ("ok.parquet", "missing_column")]
    assert items[1].message.startswith("no column 'text' (it has 'id', 'title', 'body', 'who', 'published')")


def test_hive_partitioned_folder_gives_partition_values_as_columns(tmp_path: Path):
    for source in ("bbc", "cnn"):
        folder = tmp_path / "corpus" / f"source={source}"
        folder.mkdir(parents=True)
        pq.write_table(pa.Table.from_pylist(parquet_rows(1)), folder / "part-0.parquet")
    found, rejected = discover(tmp_path / "corpus")
    options = InputSettings(text_column="body", keep_columns=("source",))
    docs = [item for _, item in read_inputs(found, tmp_path / "corpus", options)]
    assert [(d.source_path, d.metadata) for d in docs] == [
        ("source=bbc/part-0.parquet#1", {"source": "bbc"}), ("source=cnn/part-0.parquet#1", {"source": "cnn"})]
    assert rejected == []


def test_one_record_file_as_the_input(tmp_path: Path):
    path = tmp_path / "one.jsonl"
    path.write_text(json.dumps({"text": BODY_A}) + "\n", encoding="utf-8")
    found, _ = discover(path)
    assert [(n, d.source_path, d.text) for n, d in read_inputs(found, path.parent)] == [(0, "one.jsonl#1", BODY_A)]


def test_front_matter_gives_targets_and_metadata(tmp_path: Path):
    text = "---\ntargets: Roy Moore; Alabama=AL\nsource: AP\npublished: 2024-05-01\n---\nMoore speaks\n\nBody.\n"
    assert split_front_matter(text) == ("Moore speaks\n\nBody.\n",
                                        (Target(name="Roy Moore"), Target(name="Alabama", aliases=("AL",))),
                                        {"source": "AP", "published": "2024-05-01"})
    assert split_front_matter("---\n\nA rule, not front matter.\n") == ("---\n\nA rule, not front matter.\n", (), {})
    (tmp_path / "a.md").write_text(text, encoding="utf-8")
    (tmp_path / "bad.md").write_text("---\ntargets: [unclosed\n---\nTitle\n\nBody.\n", encoding="utf-8")
    (tmp_path / "list.md").write_text("---\n- a\n---\nTitle\n\nBody.\n", encoding="utf-8")
    doc = read_document(tmp_path / "a.md", tmp_path)
    assert (doc.text, doc.doc_id) == ("Moore speaks\n\nBody.\n", doc.content_hash)  # text + its own targets
    assert doc.doc_id == content_key(doc.text, doc.targets, doc.metadata) != content_id(doc.text)
    assert doc.article_key == "a.md"
    assert doc.metadata == {"source": "AP", "published": "2024-05-01"}
    assert read_document(tmp_path / "bad.md", tmp_path).reason == "bad_front_matter"
    assert read_document(tmp_path / "list.md", tmp_path).message == (
        "the --- front matter block must be a YAML mapping (targets: [...], key: value)")


def test_run_targets_then_the_articles_own_each_name_once():
    source = SourceDocument("d", "a.jsonl#1", 10, "utf-8", "Title\n\nRoy Moore met Doug Jones.",
                            targets=(Target(name="roy moore"), Target(name="Doug Jones")))
    doc = prepare_document(source)
    config = RunConfig(analysis={"targets": (Target(name="Roy Moore"),)})
    assert [(c.target.name, c.source) for c in choose_targets(doc, config)] == [
        ("Roy Moore", "config"), ("Doug Jones", "article")]
    assert [(c.target.name, c.source) for c in choose_targets(doc, RunConfig())] == [
        ("roy moore", "article"), ("Doug Jones", "article")]


def test_reading_options_that_change_what_is_analysed_enter_the_fingerprint():
    base = RunConfig().fingerprint({})
    assert RunConfig(input={"id_column": "id"}).fingerprint({}) == base  # names documents, changes no value
    assert RunConfig(input={"text_column": "DOCUMENT"}).fingerprint({}) != base
    assert RunConfig(input={"targets_column": "T"}).fingerprint({}) != base
    assert RunConfig(input={"keep_columns": ("url",)}).fingerprint({}) != base
    # unchanged by record inputs (no forced rerun of text folders); DISCOVERY_VERSION 2 changed it once
    # from "0e4bea4641eb0e98" (a run without targets discovers them, and the rules changed), then
    # DISCOVERY_VERSION 3 with MENTION_RULE_VERSION 2 from "1cdd356e93437587", then SECTIONING_VERSION 2
    # (captions out of the paragraphs) from "276d5165c3ac2f28", then SECTIONING_VERSION 3 (mojibake
    # repaired) from "1b9c123a9f5b7a0d", then DISCOVERY_VERSION 4 (the prose only) from "0c3740ab4176dc15"
    assert base == "d694b6c4376c14dc"


def test_nothing_raises_out_of_reading_a_file_that_breaks_midway(tmp_path: Path):
    path = tmp_path / "mixed.csv"
    path.write_bytes(b"text\nFirst article body here.\n\xff\xfe broken bytes\nThird article body.\n\"unclosed\n")
    docs, rejects = docs_and_rejects(path, tmp_path, InputSettings())
    assert [(d.source_path, d.text) for d in docs] == [("mixed.csv#1", "First article body here."),
                                                       ("mixed.csv#3", "Third article body.")]
    assert [(r.source_path, r.reason) for r in rejects] == [("mixed.csv#2", "undecodable"),
                                                           ("mixed.csv", "unparseable")]  # from row 4 on
    assert isinstance(next(read_records(tmp_path / "gone.jsonl", ["text"])), BadRecord)


def test_a_repeated_id_or_repeated_text_is_rejected_as_duplicate_once_read(tmp_path: Path):
    rows = parquet_rows(3)
    rows[2]["id"] = 100  # the first record's id again
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "a.parquet")
    (tmp_path / "b.jsonl").write_text(json.dumps({"title": "Story 1", "body": rows[1]["body"]}) + "\n")
    with_id = [item for _, item in read_inputs([tmp_path / "a.parquet"], tmp_path,
                                                  InputSettings(text_column="body", id_column="id"))]
    assert [getattr(i, "reason", "ok") for i in with_id] == ["ok", "ok", "duplicate"]
    assert with_id[2].source_path == "a.parquet#3"
    assert with_id[2].message.startswith("id '100' was already read from a.parquet#1 in this run")
    options = InputSettings(text_column="body", title_column="title")  # no id column: the text is the key
    items = [item for _, item in read_inputs([tmp_path / "a.parquet", tmp_path / "b.jsonl"], tmp_path, options)]
    assert [(i.source_path, getattr(i, "reason", "ok")) for i in items] == [
        ("a.parquet#1", "ok"), ("a.parquet#2", "ok"), ("a.parquet#3", "ok"), ("b.jsonl#1", "duplicate")]
    assert "the same text (content hash" in items[3].message and "a.parquet#2" in items[3].message
