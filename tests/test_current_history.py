"""Current and history (newsflow.history) without Prefect or models: a deterministic fake analysis
writes real Arrow tables through the same staging, planning and commit steps as the flow, and
hypothesis drives random sequences of runs (changed settings, edited, renamed, copied, removed
files, --prune, killed commits) checking after each: one current version per article, child rows
exactly those of the current analyses, every superseded row in history, no row lost or doubled."""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsflow import history, store
from newsflow.ingest import SourceDocument


# --- a deterministic fake analysis with the real row shapes --------------------------------------

def source(key: str, text: str) -> SourceDocument:
    h = hashlib.sha256(text.encode()).hexdigest()[:16]
    return SourceDocument(h, key, len(text.encode()), "utf-8", text)


def fake_tables(docs: list[SourceDocument], run_id: str, fingerprint: str) -> dict:
    """documents, sections (one per '|'-separated part), quotes (one) and stances (one per section)."""
    now = datetime(2026, 1, 1, tzinfo=timezone.utc)
    run = {"run_id": run_id, "processed_at": now, "config_fingerprint": fingerprint}
    rows: dict[str, list[dict]] = {t: [] for t in store.BATCH_TABLES}
    for d in docs:
        parts = d.text.split("|")
        rows["documents"].append({"doc_id": d.doc_id, "source_path": d.source_path, "encoding": d.encoding,
                                  "size_bytes": d.size_bytes, "title": parts[0], "n_sections": len(parts),
                                  "article_key": d.article_key, "content_hash": d.content_hash, **run})
        for i, part in enumerate(parts):
            rows["sections"].append({"doc_id": d.doc_id, "position": i, "text": part, **run})
            rows["stances"].append({"doc_id": d.doc_id, "section_position": i, "target": fingerprint, **run})
        rows["quotes"].append({"doc_id": d.doc_id, "section_position": 0, "position": 0, "text": parts[0], **run})
    return {t: store.to_table(t, r, {"fake": fingerprint}) for t, r in rows.items()}


def stage_batch(out: Path, tables: dict, run_date: str, key: str) -> list[history.Staged]:
    staged = []
    for name, table in tables.items():
        if table.num_rows:
            final = store.partition_dir(out, name, run_date) / f"part-{key}.parquet"
            staged.append(history.Staged(name, store.stage(table, final), final))
    return staged


def fake_run(out: Path, files: dict[str, str], fingerprint: str, *, prune: bool = False, per_batch: int = 2,
             run_date: str = "2026-01-01") -> dict[str, int]:
    """What flows/analyse_news.py does, with the fake analysis: open, skip done, commit each batch
    (links included), analyse copies left without an analysis, prune."""
    run_id = str(uuid.uuid4())
    opened = history.open_output(out, run_id)
    index, done = opened.index, opened.index.done()
    docs = [source(k, t) for k, t in sorted(files.items())]
    leftovers: list[SourceDocument] = []
    counts: Counter[str] = Counter()

    def land(batch_no: int, todo: list[SourceDocument], skipped: list[SourceDocument]) -> list[SourceDocument]:
        key = store.batch_key(run_id, batch_no)
        tables = fake_tables(todo, run_id, fingerprint) if todo else {}
        staged = stage_batch(out, tables, run_date, key)
        new_docs = history.doc_keys(tables["documents"]) if todo else []
        plan = history.plan_commit(index, new_docs, [history.Link.of(d, fingerprint) for d in skipped])
        committed = history.commit(out, index, plan, run_id=run_id, key=key, run_date=run_date, new_parts=staged,
                                   new_documents=tables.get("documents"))
        counts.update(committed.reasons)
        counts["analysed"] += len(todo)
        return [skipped[i] for i in plan.unlinked]

    batch_no = -1
    for batch_no, start in enumerate(range(0, len(docs), per_batch)):
        todo, skipped = [], []
        for d in docs[start:start + per_batch]:
            content = (d.doc_id, d.content_hash, fingerprint)
            (skipped if content in done else todo).append(d)
            done.add(content)
        leftovers += land(batch_no, todo, skipped)
    if leftovers:
        firsts = list({(d.doc_id, d.content_hash): d for d in reversed(leftovers)}.values())
        assert land(batch_no + 1, firsts, [d for d in leftovers if d not in firsts]) == []
    if prune and (gone := sorted(set(index.by_key) - set(files))):
        plan = history.plan_commit(index, prune_keys=gone)
        counts.update(history.commit(out, index, plan, run_id=run_id, key=f"{run_id[:8]}-prune").reasons)
    return dict(counts)


# --- reading back: current and history ----------------------------------------------------------

ROW_KEYS = {"documents": ["article_key", "doc_id", "run_id", "content_hash"], "sections": ["doc_id", "run_id", "position"],
            "quotes": ["doc_id", "run_id", "position"], "stances": ["doc_id", "run_id", "section_position"]}


def read_rows(out: Path, where: str, table: str) -> list[tuple]:
    root = out / where / table if where else out / table
    files = sorted(root.rglob("part-*.parquet")) if root.is_dir() else []
    rows = []
    for f in files:
        t = pq.read_table(f)
        if table == "documents":  # parts of the previous release have no article_key / content_hash
            rows += [(k.article_key, k.doc_id, k.run_id, k.content_hash) for k in history.doc_keys(t)]
        else:
            rows += list(zip(*[t[c].to_pylist() for c in ROW_KEYS[table]]))
    return rows


def snapshot(out: Path) -> dict[str, Counter]:
    return {f"{w or 'current'}/{t}": Counter(read_rows(out, w, t)) for w in ("", "history") for t in store.BATCH_TABLES}


@dataclass
class Model:
    """What the folder must hold: each article's latest text and settings, and every row ever written."""

    latest: dict[str, tuple[str, str]] = field(default_factory=dict)  # key → (text, fingerprint)


def check(out: Path, model: Model) -> None:
    docs = read_rows(out, "", "documents")
    keys = [d[0] for d in docs]
    assert sorted(keys) == sorted(set(keys)), "one current documents row per article"
    assert set(keys) == set(model.latest)
    table = [(k.article_key, k.content_hash, k.config_fingerprint, k.doc_id, k.run_id)
             for part in store.parts(out, "documents") for k in history.doc_keys(pq.read_table(part))]
    for key, content_hash, fingerprint, doc_id, run_id in table:
        text, fp = model.latest[key]
        assert (content_hash, fingerprint) == (source(key, text).content_hash, fp), key
    runs_of_doc: dict[str, set[str]] = {}
    for _, _, _, doc_id, run_id in table:
        runs_of_doc.setdefault(doc_id, set()).add(run_id)
    assert all(len(r) == 1 for r in runs_of_doc.values()), "one analysis per doc_id among current documents"
    refs = {(doc_id, run) for doc_id, runs in runs_of_doc.items() for run in runs}
    sections = read_rows(out, "", "sections")
    assert {(d, r) for d, r, _ in sections} == refs, "child rows are exactly those of current analyses"
    assert len(sections) == len(set(sections)), "no doubled child row"
    texts = {source(k, t).doc_id: t for k, (t, _) in model.latest.items()}
    assert Counter(d for d, _, _ in sections) == Counter({d: len(texts[d].split("|")) for d in runs_of_doc})
    for table_name in ("quotes", "stances"):
        assert {(d, r) for d, r, _ in read_rows(out, "", table_name)} == refs
    if not keys:
        return
    # a bare DuckDB join on doc_id: one section row per (article, section)
    [(n,)] = duckdb.sql(f"select count(*) from '{out}/documents/*/*.parquet' d "
                        f"join '{out}/sections/*/*.parquet' s using (doc_id)").fetchall()
    assert n == sum(len(model.latest[k][0].split("|")) for k in keys)


# --- scenario tests -----------------------------------------------------------------------------

def test_an_article_taking_over_anothers_old_text_keeps_that_analysis_current(tmp_path: Path):
    # found by the property below: in one batch a.txt takes b.txt's old text while b.txt takes
    # c.txt's; a's new row is linked to b's old analysis, whose child rows had gone to history
    out = tmp_path / "out"
    files = {"a.txt": "A|a1|a2", "b.txt": "A|a1", "c.txt": "B"}
    assert fake_run(out, files, "F1", per_batch=1) == {"analysed": 3}
    files.update({"a.txt": "A|a1", "b.txt": "B"})
    assert fake_run(out, files, "F1") == {"analysed": 0, "edited": 2}
    check(out, Model({k: (v, "F1") for k, v in files.items()}))
    assert Counter(d for d, _, _ in read_rows(out, "history", "sections")) == {source("a.txt", "A|a1|a2").doc_id: 3}


def test_changed_settings_move_the_old_analysis_to_history_whole(tmp_path: Path):
    out = tmp_path / "out"
    files = {"a.txt": "A|a1", "b.txt": "B|b1|b2", "c.txt": "C"}
    assert fake_run(out, files, "F1") == {"analysed": 3}
    before = snapshot(out)
    assert fake_run(out, files, "F1") == {"analysed": 0}  # unchanged: nothing written or moved
    assert snapshot(out) == before
    assert fake_run(out, files, "F2") == {"analysed": 3, "settings": 3}
    after = snapshot(out)
    for t in store.BATCH_TABLES:  # the first run's rows, unchanged, now all in history
        assert after[f"history/{t}"] == before[f"current/{t}"]
        assert not after[f"current/{t}"] & before[f"current/{t}"]
    check(out, Model({k: (v, "F2") for k, v in files.items()}))
    moved = sorted(p.relative_to(out).as_posix() for p in (out / "history" / "documents").rglob("*.parquet"))
    assert len(moved) == 2 and all("/superseded_by=" in m and "/reason=settings/" in m for m in moved)
    assert all(Path(m).name.count("-") == 2 for m in moved)  # part-<run>-<batch>: renamed, not rewritten


def test_an_edited_article_rewrites_only_its_part_and_history_keeps_the_old_version(tmp_path: Path):
    out = tmp_path / "out"
    files = {"a.txt": "A|a1", "b.txt": "B|b1|b2", "c.txt": "C"}
    fake_run(out, files, "F1", per_batch=3)
    [part] = store.parts(out, "documents")
    files["b.txt"] = "B|b1 edited"
    assert fake_run(out, files, "F1", per_batch=3) == {"analysed": 1, "edited": 1}
    check(out, Model({k: (v, "F1") for k, v in files.items()}))
    assert pq.read_table(part)["article_key"].to_pylist() == ["a.txt", "c.txt"]  # rewritten in place
    hist = duckdb.sql(f"select article_key, title, superseded_by, reason from read_parquet("
                      f"'{out}/history/documents/**/*.parquet', hive_partitioning=true)").fetchall()
    assert [(k, t, r) for k, t, _, r in hist] == [("b.txt", "B", "edited")]
    assert sorted(read_rows(out, "history", "sections"))[0][2] == 0 and len(read_rows(out, "history", "sections")) == 3


def test_a_renamed_or_copied_file_gets_its_own_row_without_doubling_child_rows(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, {"a.txt": "A|a1|a2", "b.txt": "B"}, "F1")
    sections = snapshot(out)["current/sections"]
    # renamed (a → z) and copied (b → b2): no analysis, a row for each new key; a.txt stays (no --prune)
    files = {"z.txt": "A|a1|a2", "b.txt": "B", "b2.txt": "B"}
    assert fake_run(out, files, "F1") == {"analysed": 0}
    assert snapshot(out)["current/sections"] == sections
    check(out, Model({"a.txt": ("A|a1|a2", "F1"), **{k: (v, "F1") for k, v in files.items()}}))
    # --prune: a.txt's source is gone: its documents row goes to history, the analysis stays (z.txt uses it)
    assert fake_run(out, files, "F1", prune=True) == {"analysed": 0, "pruned": 1}
    check(out, Model({k: (v, "F1") for k, v in files.items()}))
    assert snapshot(out)["current/sections"] == sections
    # new settings: the shared text is analysed once, both rows point at it
    assert fake_run(out, files, "F2") == {"analysed": 2, "settings": 3}
    check(out, Model({k: (v, "F2") for k, v in files.items()}))


def test_an_undiscovered_copy_follows_its_texts_new_analysis(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, {"a.txt": "A|a1", "b.txt": "A|a1"}, "F1")
    assert fake_run(out, {"b.txt": "A|a1"}, "F2") == {"analysed": 1, "settings": 1, "reanalysed": 1}
    check(out, Model({"a.txt": ("A|a1", "F2"), "b.txt": ("A|a1", "F2")}))


def test_a_copy_whose_original_was_edited_in_the_same_run_is_analysed(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, {"a.txt": "A|a1"}, "F1")
    files = {"a.txt": "A edited", "b.txt": "A|a1"}  # b has a's old text; a's analysis leaves in batch 0
    assert fake_run(out, files, "F1", per_batch=1) == {"analysed": 2, "edited": 1}
    check(out, Model({k: (v, "F1") for k, v in files.items()}))


def test_a_folder_of_the_previous_release_is_brought_to_one_current_row_per_article(tmp_path: Path):
    """The previous release appended: both runs' rows for a changed setting, and no article_key."""
    out = tmp_path / "out"
    for n, fp in enumerate(("F1", "F2")):
        tables = fake_tables([source("a.txt", "A|a1"), source("b.txt", "B")], f"run{n}", fp)
        tables["documents"] = tables["documents"].drop_columns(["article_key", "content_hash"])
        store.write_batch(out, f"2025-0{n + 1}-01", f"run{n}-00000", tables)
    assert duckdb.sql(f"select count(*) from '{out}/documents/*/*.parquet'").fetchall() == [(4,)]
    opened = history.open_output(out, "upgrade")
    assert opened.notes == [
        "moved to history: 2 document row(s) (2 duplicate) and 8 child row(s) of those or of no current document"]
    [(n, keys)] = duckdb.sql(f"select count(*), list(distinct source_path order by source_path) "
                             f"from read_parquet('{out}/documents/**/*.parquet', union_by_name=true)").fetchall()
    assert (n, keys) == (2, ["a.txt", "b.txt"])
    check(out, Model({"a.txt": ("A|a1", "F2"), "b.txt": ("B", "F2")}))


# --- crash safety of a commit -------------------------------------------------------------------

@pytest.mark.parametrize("stop_after", [0, 1, 2, 3, 5, 8])
def test_a_commit_killed_after_any_file_operation_recovers_to_the_new_state(tmp_path: Path, monkeypatch,
                                                                           stop_after: int):
    out = tmp_path / "out"
    files = {"a.txt": "A|a1", "b.txt": "B|b1", "c.txt": "C"}
    fake_run(out, files, "F1", per_batch=3)
    old = snapshot(out)
    files["b.txt"] = "B edited"
    real = history.apply_ops

    def killed(root, ops):
        real(root, ops[:stop_after])
        raise KeyboardInterrupt("SIGKILL")

    monkeypatch.setattr(history, "apply_ops", killed)
    with pytest.raises(KeyboardInterrupt):
        fake_run(out, files, "F2", per_batch=3)
    monkeypatch.setattr(history, "apply_ops", real)
    assert (out / history.JOURNAL).exists()
    history.open_output(out, "recovery")  # the next run's start rolls the commit forward
    assert not (out / history.JOURNAL).exists() and not list(out.rglob(".*.tmp"))
    new = snapshot(out)
    assert sum(new["current/documents"].values()) == 3
    for t in store.BATCH_TABLES:  # nothing lost, nothing doubled: every old row is current or history
        assert new[f"current/{t}"] + new[f"history/{t}"] - Counter() >= old[f"current/{t}"]
        assert not new[f"current/{t}"] & new[f"history/{t}"]
    check(out, Model({k: (v, "F2") for k, v in files.items()}))


def test_a_commit_killed_before_its_journal_leaves_the_old_state(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    files = {"a.txt": "A|a1", "b.txt": "B|b1"}
    fake_run(out, files, "F1")
    old = snapshot(out)

    def killed(root, ops):
        raise KeyboardInterrupt("SIGKILL before the journal")

    monkeypatch.setattr(history, "write_journal", killed)
    with pytest.raises(KeyboardInterrupt):
        fake_run(out, {"a.txt": "A edited", "b.txt": "B|b1"}, "F1")
    monkeypatch.undo()
    history.open_output(out, "recovery")
    assert snapshot(out) == old and not list(out.rglob(".*.tmp"))


# --- the property -------------------------------------------------------------------------------

TEXTS = ["A|a1", "A|a1|a2", "B", "B|b1", "C|c1|c2|c3", "D"]
KEYS = ["a.txt", "b.txt", "c.txt", "d.txt"]
action = st.one_of(
    st.tuples(st.just("edit"), st.sampled_from(KEYS), st.sampled_from(TEXTS)),
    st.tuples(st.just("rename"), st.sampled_from(KEYS), st.sampled_from(KEYS)),
    st.tuples(st.just("copy"), st.sampled_from(KEYS), st.sampled_from(KEYS)),
    st.tuples(st.just("remove"), st.sampled_from(KEYS), st.just("")),
    st.tuples(st.just("settings"), st.sampled_from(["F1", "F2", "F3"]), st.just("")),
)
step = st.tuples(st.lists(action, max_size=3), st.booleans(), st.integers(1, 3), st.integers(-1, 6))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(steps=st.lists(step, min_size=1, max_size=6))
def test_any_sequence_of_runs_keeps_one_current_version_per_article_and_every_superseded_row(
        tmp_path_factory, steps):
    out = tmp_path_factory.mktemp("out")
    files = {"a.txt": "A|a1", "b.txt": "B"}
    fingerprint = "F1"
    model = Model()
    ever: dict[str, Counter] = {t: Counter() for t in store.BATCH_TABLES}
    for actions, prune, per_batch, kill_after in steps:
        for kind, x, y in actions:
            if kind == "edit":
                files[x] = y
            elif kind in ("rename", "copy") and x in files:
                files[y] = files[x] if kind == "copy" else files.pop(x)
            elif kind == "remove":
                files.pop(x, None)
            elif kind == "settings":
                fingerprint = x
        if kill_after >= 0:  # this run is killed after `kill_after` file operations of its first commit
            real = history.apply_ops

            def killed(root, ops, real=real, n=kill_after):
                history.apply_ops = real
                real(root, ops[:n])
                raise KeyboardInterrupt("SIGKILL")

            history.apply_ops = killed
            try:
                fake_run(out, files, fingerprint, prune=prune, per_batch=per_batch)
            except KeyboardInterrupt:
                pass
            finally:
                history.apply_ops = real
        fake_run(out, files, fingerprint, prune=prune, per_batch=per_batch)
        for key, text in files.items():
            model.latest[key] = (text, fingerprint)
        for key, (text, _) in model.latest.items():  # an undiscovered copy follows its text's analysis
            if text in files.values():
                model.latest[key] = (text, fingerprint)
        if prune:
            model.latest = {k: v for k, v in model.latest.items() if k in files}
        check(out, model)
        now = snapshot(out)
        for t in store.BATCH_TABLES:
            both = now[f"current/{t}"] + now[f"history/{t}"]
            # (a documents row can come back identical: a pruned key whose file returns is linked again)
            assert t == "documents" or not now[f"current/{t}"] & now[f"history/{t}"], "current and history at once"
            assert not ever[t] - both, "a row written earlier was lost"
            assert max(both.values(), default=1) == 1 or t == "documents", "a child row was doubled"
            ever[t] = both
