"""`newsflow compact` and `newsflow migrate`: rows unchanged (as a multiset), atomic, idempotent;
a folder mixing parts of the previous release and this one read by DuckDB, polars, pandas and
pyarrow the way outputs/README.md says."""

from __future__ import annotations

import glob
import threading
from collections import Counter
from pathlib import Path

import duckdb
import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsflow import history, maintenance, store
from newsflow.cli import app
from tests.test_current_history import Model, check, fake_run, fake_tables, source

FILES = {"a.txt": "A|a1", "b.txt": "B|b1|b2", "c.txt": "C", "d.txt": "D|d1"}


def rows(out: Path, where: str = "") -> dict[str, Counter]:
    """Every row of every table (current or history), as a multiset of its values."""
    out_rows = {}
    for table in store.SCHEMAS:
        root = out / where / table if where else out / table
        found: Counter = Counter()
        for part in sorted(root.rglob("part-*.parquet")) if root.is_dir() else []:
            for row in pq.read_table(part).to_pylist():
                found[repr(sorted(row.items()))] += 1
        out_rows[table] = found
    return out_rows


def n_parts(out: Path) -> int:
    return len(list(out.rglob("part-*.parquet")))


def test_compact_merges_small_parts_without_changing_a_row(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, FILES, "F1", per_batch=1)
    fake_run(out, {**FILES, "a.txt": "A edited"}, "F1", per_batch=1)
    fake_run(out, FILES, "F2", per_batch=1)
    before, history_before, parts_before = rows(out), rows(out, "history"), n_parts(out)
    result = maintenance.compact(out, target_bytes=2**20)
    assert n_parts(out) == parts_before - result.files_before + result.files_after < parts_before
    assert len(store.parts(out, "documents")) == 1  # one run date, one schema: one file
    assert rows(out) == before and rows(out, "history") == history_before  # the same rows, current and history
    assert maintenance.compact(out, target_bytes=2**20).files_before == 0  # again: nothing to merge
    check(out, Model({k: (v, "F2") for k, v in FILES.items()}))
    assert fake_run(out, {**FILES, "c.txt": "C edited"}, "F2") == {"analysed": 1, "edited": 1}  # the index reads merged parts
    check(out, Model({**{k: (v, "F2") for k, v in FILES.items()}, "c.txt": ("C edited", "F2")}))


def test_compact_leaves_parts_at_the_target_size_alone(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, FILES, "F1", per_batch=1)
    assert maintenance.compact(out, target_bytes=1).files_before == 0


def test_readers_holding_the_commit_lock_never_see_a_compaction_half_done(tmp_path: Path):
    """Concurrent readers that take the commit lock shared (as outputs/README.md says) see every row
    exactly once before, during and after compactions."""
    out = tmp_path / "out"
    fake_run(out, FILES, "F1", per_batch=1)
    expected = rows(out)["sections"]
    seen, stop = [], threading.Event()

    def reader():
        while not stop.is_set():
            with store.commit_lock(out, shared=True):
                seen.append(duckdb.sql(f"select count(*) from '{out}/sections/*/*.parquet'").fetchall()[0][0])

    thread = threading.Thread(target=reader)
    thread.start()
    for n in range(3):
        fake_run(out, {**FILES, f"n{n}.txt": f"N{n}|x"}, "F1", per_batch=1)
        maintenance.compact(out, target_bytes=2**20)
    stop.set()
    thread.join()
    totals = [sum(expected.values()) + 2 * n for n in range(4)]
    assert seen and set(seen) <= set(totals), sorted(set(seen))


def previous_release_folder(out: Path) -> None:
    """Parts as the previous release wrote them: documents without article_key/content_hash, runs
    without n_superseded, schema version 2; then one run of this release beside them."""
    tables = fake_tables([source("a.txt", "A|a1"), source("b.txt", "B")], "old-run", "F1")
    tables["documents"] = tables["documents"].drop_columns(["article_key", "content_hash"])
    store.write_batch(out, "2025-01-01", "oldrun00-00000", tables)
    run = store.to_table("runs", [{"run_id": "old-run", "n_processed": 2}], {}).drop_columns(["n_superseded"])
    store.write_single(out, "runs", "2025-01-01", "oldrun00-run", run)


def test_a_folder_mixing_old_and_new_parts_reads_with_duckdb_polars_pandas_and_pyarrow(tmp_path: Path):
    out = tmp_path / "out"
    previous_release_folder(out)
    fake_run(out, {"a.txt": "A|a1", "b.txt": "B", "c.txt": "C|c1"}, "F1")  # c.txt: a new part with article_key
    docs = f"{out}/documents"
    expected = [("a.txt", None), ("b.txt", None), ("c.txt", "c.txt")]  # old rows: null article_key
    # what outputs/README.md tells a consumer to write
    assert duckdb.sql(f"select source_path, article_key from read_parquet('{docs}/**/*.parquet', union_by_name=true) "
                      f"order by 1").fetchall() == expected
    files = sorted(glob.glob(f"{docs}/*/*.parquet"))
    frame = pl.concat([pl.read_parquet(f) for f in files], how="diagonal_relaxed").sort("source_path")
    assert list(zip(frame["source_path"], frame["article_key"])) == expected
    dataset = ds.dataset(docs, format="parquet", partitioning="hive")
    schema = pa.unify_schemas([f.physical_schema for f in dataset.get_fragments()] + [dataset.schema])
    table = pq.read_table(docs, schema=schema).sort_by("source_path")
    assert list(zip(table["source_path"].to_pylist(), table["article_key"].to_pylist())) == expected
    frame = pd.read_parquet(docs, schema=schema).sort_values("source_path")
    assert [(s, None if pd.isna(k) else k) for s, k in zip(frame["source_path"], frame["article_key"])] == expected
    # readers of the previous release, unchanged: their columns, every row
    assert sorted(pd.read_parquet(docs)["source_path"]) == ["a.txt", "b.txt", "c.txt"]
    assert duckdb.sql(f"select count(*) from '{docs}/*/*.parquet'").fetchall() == [(3,)]


def test_migrate_rewrites_old_parts_in_the_current_schema_once(tmp_path: Path):
    out = tmp_path / "out"
    previous_release_folder(out)
    fake_run(out, {"a.txt": "A|a1", "b.txt": "B", "c.txt": "C|c1"}, "F1")
    before = rows(out)
    result = maintenance.migrate(out)
    assert (result.files_before, result.rows) == (2, 3)  # the old documents part (2 rows) and runs part (1)
    for table in store.SCHEMAS:
        for part in store.parts(out, table):
            schema = pq.read_schema(part)
            assert schema.remove_metadata().equals(store.SCHEMAS[table]), part
            assert schema.metadata[b"newsflow.schema_version"] == b"2"
    # plain reads now see every column: no union_by_name, pandas without a schema
    assert duckdb.sql(f"select source_path, article_key, content_hash = doc_id from '{out}/documents/*/*.parquet' "
                      f"order by 1").fetchall() == [("a.txt", "a.txt", True), ("b.txt", "b.txt", True),
                                                    ("c.txt", "c.txt", True)]
    assert pd.read_parquet(out / "runs").columns.tolist()[:-1] == store.SCHEMAS["runs"].names  # + run_date
    assert sum(before["sections"].values()) == sum(rows(out)["sections"].values())
    assert maintenance.migrate(out).files_before == 0  # idempotent
    check(out, Model({"a.txt": ("A|a1", "F1"), "b.txt": ("B", "F1"), "c.txt": ("C|c1", "F1")}))


def test_migrate_killed_half_way_is_finished_by_the_next_start(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    previous_release_folder(out)
    real = history.apply_ops

    def killed(root, ops):
        real(root, ops[:1])
        raise KeyboardInterrupt

    monkeypatch.setattr(history, "apply_ops", killed)
    with pytest.raises(KeyboardInterrupt):
        maintenance.migrate(out)
    monkeypatch.undo()
    assert maintenance.migrate(out).files_before == 0  # the journal was rolled forward first
    assert all(not maintenance.needs_migration(t, pq.read_schema(p)) for t, p in maintenance.all_parts(out))


def test_cli_compact_and_migrate(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, FILES, "F1", per_batch=1)
    result = CliRunner().invoke(app, ["compact", "--out", str(out), "--target-mb", "1"])
    assert result.exit_code == 0, result.output
    assert " ".join(result.output.split()).startswith("compact: merged 16 file(s) into 4 (24 rows, unchanged)")
    result = CliRunner().invoke(app, ["migrate", "--out", str(out)])
    assert result.exit_code == 0 and "migrate: rewrote 0 file(s)" in result.output
    result = CliRunner().invoke(app, ["compact", "--out", str(tmp_path / "missing")])
    assert result.exit_code == 2 and "does not exist" in result.output
