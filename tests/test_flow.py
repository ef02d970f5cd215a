"""The whole flow under a real (ephemeral) Prefect API, read back with DuckDB and pyarrow."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsflow.config import RunConfig
from newsflow.repair import repair_glued_words
from newsflow.sectioning import split_sentences
from tests.test_sectioning import SEED_HEADINGS

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def first_run(prefect_harness, tmp_path_factory):
    from newsflow.flows.analyse_news import analyse_news
    from tests.conftest import ARTICLES, SEED

    input_dir = tmp_path_factory.mktemp("in")
    shutil.copy(SEED, input_dir / SEED.name)
    for article in ARTICLES.iterdir():
        shutil.copy(article, input_dir / article.name)
    out = tmp_path_factory.mktemp("out")
    config = RunConfig(input_dir=input_dir, output_dir=out, execution={"docs_per_batch": 2})
    return config, analyse_news(config=config)


def config_run_date(config: RunConfig) -> str:
    [partition] = {p.parent.name for p in (config.output_dir / "documents").glob("run_date=*/*.parquet")}
    return partition.removeprefix("run_date=")


def sql(out: Path, query: str) -> list[tuple]:
    return duckdb.sql(query.replace("{out}", str(out))).fetchall()


def test_every_article_is_processed(first_run):
    config, summary = first_run
    assert (summary.processed, summary.skipped, summary.rejected) == (5, 0, 0)
    assert sql(config.output_dir, "select count(*) from '{out}/documents/*/*.parquet'") == [(5,)]


def test_seed_sections_and_summaries_read_back_with_duckdb(first_run, seed_text):
    config, _ = first_run
    rows = sql(config.output_dir, """
        select s.position, s.heading, s.kind, s.text, s.summary, s.summary_sentences, s.run_date
        from read_parquet('{out}/sections/*/*.parquet', hive_partitioning=true) s
        join read_parquet('{out}/documents/*/*.parquet') d using (doc_id)
        where d.source_path = '000_65e9eab6453260be.txt' order by s.position""")
    assert [r[1] for r in rows] == [None, *SEED_HEADINGS]
    assert [r[2] for r in rows] == ["lead"] + ["body"] * 7
    for position, heading, kind, text, summary, kept, run_date in rows:
        sentences = [s for p in text.split("\n\n") for s in split_sentences(repair_glued_words(p, seed_text))]
        assert summary == " ".join(sentences[i] for i in kept)  # from the repaired text; `text` is the original
        assert repair_glued_words(summary, seed_text) == summary  # no glued word left
        assert 0 < len(summary.split()) <= 60 or len(kept) == 1
        assert str(run_date) == config_run_date(config)  # the Hive partition, read from the path


def test_document_row_and_schema_metadata(first_run):
    config, _ = first_run
    [part] = list((config.output_dir / "documents").glob("run_date=*/*.parquet"))[:1]
    metadata = pq.read_schema(part).metadata
    assert metadata[b"newsflow.schema_version"] == b"2"
    assert json.loads(metadata[b"newsflow.models"])["encoder"] == "sentence-transformers/all-MiniLM-L6-v2"
    [(title, n_sections, n_quotes, credits, summary)] = sql(config.output_dir, """
        select title, n_sections, n_quotes, photo_credits, summary from '{out}/documents/*/*.parquet'
        where source_path = '000_65e9eab6453260be.txt'""")
    assert (title, n_sections, n_quotes) == (
        "Putin and Kim Jong-un completed six-hour talks at the Vostochny Cosmodrome", 8, 3)
    assert credits == ["Photo: Artem Geodakyan / Sputnik / Reuters", "Photo: Mikhail Metzel / Kremlin / Sputnik / Reuters"]
    assert 0 < len(summary.split()) <= 100


def test_quotes_table_keeps_speaker_and_role(first_run):
    config, _ = first_run
    assert sql(config.output_dir, "select speaker, role, section_position from '{out}/quotes/*/*.parquet' order by position") == [
        ("Kim Chen In", "leader of the DPRK", 1), ("Vladimir Putin", "President of Russia", 2),
        ("Kim Chen In", "leader of the DPRK", 5)]


def test_rerun_and_rename_add_no_rows(first_run):
    """A renamed file: no analysis, no child row added; its own documents row (pointing at the same
    analysis) beside the old name's, which stays current until a run with --prune."""
    from newsflow.flows.analyse_news import analyse_news

    config, _ = first_run
    before = sql(config.output_dir, "select count(*) from '{out}/sections/*/*.parquet'")
    (config.input_dir / "no_headings.txt").rename(config.input_dir / "renamed.txt")
    again = analyse_news(config=config)
    assert (again.processed, again.skipped, again.rejected, again.linked) == (0, 5, 0, 1)
    assert sql(config.output_dir, "select count(*) from '{out}/sections/*/*.parquet'") == before
    docs = "read_parquet('{out}/documents/*/*.parquet', union_by_name=true)"
    assert sql(config.output_dir, f"select count(*), count(distinct doc_id), count(distinct article_key) from {docs}") == [
        (6, 5, 6)]
    assert sql(config.output_dir, f"select a.run_id = b.run_id, a.doc_id = b.doc_id from {docs} a, {docs} b "
                                  "where a.article_key = 'no_headings.txt' and b.article_key = 'renamed.txt'") == [(True, True)]
    pruned = analyse_news(config=config, prune=True)
    assert (pruned.processed, pruned.skipped, pruned.superseded) == (0, 5, {"pruned": 1})
    assert sql(config.output_dir, f"select count(*) from {docs}") == [(5,)]
    assert sql(config.output_dir, "select article_key, reason from read_parquet('{out}/history/documents/**/*.parquet', "
                                  "hive_partitioning=true)") == [("no_headings.txt", "pruned")]
    assert sql(config.output_dir, "select n_processed, n_skipped, n_superseded from "
                                  "read_parquet('{out}/runs/*/*.parquet', union_by_name=true) order by started_at") == [
        (5, 0, 0), (0, 5, 0), (0, 5, 1)]
