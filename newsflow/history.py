"""Current and history: `<output>/<table>/` holds exactly the current analysis of each article,
superseded rows move to `<output>/history/<table>/`, and every change is one journaled commit.

The rules (checked by tests/test_current_history.py):
* `documents` holds one row per `article_key` (a null key, in parts of an older release, is the
  source path);
* a child row (sections, quotes, stances) is current iff a current `documents` row has its
  `(doc_id, run_id)`; every current `documents` row of one doc_id carries the same run_id (a copy
  or a renamed file gets its own `documents` row pointing at the one analysis of its text), so a
  join on `doc_id` never doubles a child row;
* a superseded row is moved, unchanged, to `history/<table>/run_date=D/superseded_by=RUN/reason=R/`
  (the part's own run date; the run that superseded it; why): a part whose rows all go for one
  reason is renamed there whole, a part that keeps some rows is rewritten (kept rows in place by an
  atomic replace, the others to history).

A commit stages every new file under a hidden name, writes its list of renames and deletes to
`<output>/.newsflow-journal.json` (atomically: the commit point), applies them, then removes the
journal. `recover` rolls a journal left by a killed run forward, so a crash at any moment leaves
the old or the new state once the next run (or `compact`/`migrate`) has started, never both.

Planning (`plan_commit`) is pure: it works on the `CurrentIndex` (the key columns of every current
part) and returns what to supersede and which `documents` rows to derive; `commit` does the I/O.
"""

from __future__ import annotations

import json
import os
from datetime import datetime, timezone
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Mapping, Sequence

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.parquet as pq

from newsflow import store
from newsflow.config import SCHEMA_VERSION
from newsflow.errors import OutputSchemaTooNewError
from newsflow.ingest import Rejected, SourceDocument

JOURNAL = ".newsflow-journal.json"
CHILD_TABLES = ("sections", "quotes", "stances")
SOURCE_FIELDS = ("article_key", "source_path", "encoding", "size_bytes")
DOC_COLUMNS = ("article_key", "doc_id", "content_hash", "config_fingerprint", "run_id", "source_path", "encoding",
               "size_bytes", "processed_at")
# why a row left the current state
EDITED, SETTINGS, REANALYSED, PRUNED, DUPLICATE, ORPHANED, INCOMPLETE, REPLACED = (
    "edited", "settings", "reanalysed", "pruned", "duplicate", "orphaned", "incomplete", "replaced")

Row = tuple[str, int]  # (part path relative to the output folder, row number)
Ref = tuple[str, str]  # (doc_id, run_id): one analysis of one text


@dataclass(frozen=True)
class DocKey:
    """The key columns of one `documents` row (older parts: article_key = source path, content_hash = doc_id)."""

    article_key: str
    doc_id: str
    content_hash: str
    config_fingerprint: str | None
    run_id: str
    source_path: str | None = None
    encoding: str | None = None
    size_bytes: int | None = None
    processed_at: object = None

    @property
    def ref(self) -> Ref:
        return (self.doc_id, self.run_id)

    @property
    def content(self) -> tuple[str, str, str | None]:
        return (self.doc_id, self.content_hash, self.config_fingerprint)

    def source_fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in SOURCE_FIELDS}


def doc_keys(table: pa.Table) -> list[DocKey]:
    """The DocKey of every row of a `documents` table (any schema version)."""
    cols = {c: table[c].to_pylist() if c in table.column_names else [None] * table.num_rows for c in DOC_COLUMNS}
    keys = []
    for i in range(table.num_rows):
        row = {c: cols[c][i] for c in DOC_COLUMNS}
        row["article_key"] = row["article_key"] or row["source_path"] or row["doc_id"]
        row["content_hash"] = row["content_hash"] or row["doc_id"]
        keys.append(DocKey(**row))
    return keys


def child_refs(table: pa.Table) -> list[Ref]:
    return list(zip(table["doc_id"].to_pylist(), table["run_id"].to_pylist()))


def part_keys(table_name: str, table: pa.Table) -> list:
    return doc_keys(table) if table_name == "documents" else child_refs(table)


class CurrentIndex:
    """The key columns of every current part, with the look-ups the planner needs."""

    def __init__(self) -> None:
        self.parts: dict[str, dict[str, list]] = {t: {} for t in store.BATCH_TABLES}
        self.by_key: dict[str, set[Row]] = defaultdict(set)
        self.by_doc: dict[str, set[Row]] = defaultdict(set)
        self.by_content: dict[tuple, set[Row]] = defaultdict(set)
        self.child_parts: dict[Ref, set[tuple[str, str]]] = defaultdict(set)

    def add(self, table: str, path: str, keys: list) -> None:
        self.parts[table][path] = keys
        for i, k in enumerate(keys):
            if table == "documents":
                self.by_key[k.article_key].add((path, i))
                self.by_doc[k.doc_id].add((path, i))
                self.by_content[k.content].add((path, i))
            else:
                self.child_parts[k].add((table, path))

    def remove(self, table: str, path: str) -> None:
        for i, k in enumerate(self.parts[table].pop(path, [])):
            if table == "documents":
                for index, value in ((self.by_key, k.article_key), (self.by_doc, k.doc_id), (self.by_content, k.content)):
                    index[value].discard((path, i))
                    if not index[value]:
                        del index[value]
            else:
                self.child_parts[k].discard((table, path))
                if not self.child_parts[k]:
                    del self.child_parts[k]

    def doc(self, row: Row) -> DocKey:
        return self.parts["documents"][row[0]][row[1]]

    def documents(self) -> list[DocKey]:
        return [k for keys in self.parts["documents"].values() for k in keys]

    def done(self) -> set[tuple[str, str, str | None]]:
        """(doc_id, content_hash, config_fingerprint) of the current documents: what a run may skip."""
        return set(self.by_content)


# --- planning (pure) --------------------------------------------------------------------------

@dataclass(frozen=True)
class Link:
    """A document of this run that needs no analysis (its text was analysed with these settings,
    maybe under another key): it gets a `documents` row unless its key already has that one."""

    article_key: str
    doc_id: str
    content_hash: str
    config_fingerprint: str
    source_path: str
    encoding: str | None
    size_bytes: int | None

    @property
    def content(self) -> tuple[str, str, str]:
        return (self.doc_id, self.content_hash, self.config_fingerprint)

    def source_fields(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in SOURCE_FIELDS}

    @classmethod
    def of(cls, source: SourceDocument, fingerprint: str) -> "Link":
        return cls(source.article_key, source.doc_id, source.content_hash, fingerprint, source.source_path,
                   source.encoding, source.size_bytes)


@dataclass(frozen=True)
class Derived:
    """A `documents` row to write: the analysis columns of `source` (a new row's number, or a current
    row) with another article's source columns."""

    source: int | Row
    fields: Mapping[str, object]


@dataclass
class Plan:
    superseded: dict[tuple[str, str], dict[int, str]] = field(default_factory=dict)  # (table, path) → row → reason
    derived: list[Derived] = field(default_factory=list)
    unlinked: list[int] = field(default_factory=list)  # links with no analysis to point at

    def count(self, table: str) -> int:
        return sum(len(rows) for (t, _), rows in self.superseded.items() if t == table)

    def reasons(self) -> dict[str, int]:
        out: dict[str, int] = defaultdict(int)
        for (t, _), rows in self.superseded.items():
            if t == "documents":
                for reason in rows.values():
                    out[reason] += 1
        return dict(out)

    @property
    def empty(self) -> bool:
        return not self.superseded and not self.derived


def _change(old: DocKey, content_hash: str, fingerprint: str | None) -> str:
    if old.content_hash != content_hash:
        return EDITED
    return SETTINGS if old.config_fingerprint != fingerprint else REPLACED


def plan_commit(index: CurrentIndex, new_docs: Sequence[DocKey] = (), links: Sequence[Link] = (),
                prune_keys: Iterable[str] = (), drop: Mapping[Row, str] | None = None,
                drop_refs: Mapping[Ref, str] | None = None) -> Plan:
    """What a commit of `new_docs` (freshly analysed rows), `links`, pruned keys and explicit drops
    supersedes, and the `documents` rows it derives, so that the rules in the module doc hold after it."""
    gone: dict[Row, str] = dict(drop or {})
    derived: list[Derived] = []
    plan = Plan()
    new_by_key = {d.article_key: i for i, d in enumerate(new_docs)}
    new_by_content = {d.content: i for i, d in enumerate(new_docs)}
    new_by_doc = {d.doc_id: i for i, d in enumerate(new_docs)}
    new_refs = {d.ref for d in new_docs}
    for d in new_docs:  # the article's earlier version(s)
        for row in index.by_key.get(d.article_key, ()):
            gone.setdefault(row, _change(index.doc(row), d.content_hash, d.config_fingerprint))
    for key in prune_keys:
        for row in index.by_key.get(key, ()):
            gone.setdefault(row, PRUNED)
    linked: set[str] = set()
    for n, link in enumerate(links):
        if link.article_key in new_by_key or link.article_key in linked:
            continue
        live = [r for r in index.by_key.get(link.article_key, ()) if r not in gone]
        if any(index.doc(r).content == link.content for r in live):
            continue  # unchanged
        source: int | Row | None = new_by_content.get(link.content)
        if source is None:
            source = next((r for r in sorted(index.by_content.get(link.content, ())) if r not in gone), None)
        if source is None:
            plan.unlinked.append(n)
            continue
        for r in live:
            gone[r] = _change(index.doc(r), link.content_hash, link.config_fingerprint)
        derived.append(Derived(source, link.source_fields()))
        linked.add(link.article_key)
    for doc_id, i in new_by_doc.items():  # other articles with the same text follow its new analysis
        for row in sorted(index.by_doc.get(doc_id, ())):
            old = index.doc(row)
            if row in gone or old.ref in new_refs or old.article_key in linked:
                continue
            gone[row] = REANALYSED
            derived.append(Derived(i, old.source_fields()))
    plan.derived = derived
    for (path, i), reason in gone.items():
        plan.superseded.setdefault(("documents", path), {})[i] = reason
    # child rows follow: an analysis no current documents row points at any more leaves with it;
    # a row derived in this commit points at its source's analysis too (an article that takes over
    # another's old text while that one moves on to a third text keeps the analysis current)
    kept = new_refs | {index.doc(d.source).ref for d in derived if not isinstance(d.source, int)}
    lost: dict[Ref, str] = dict(drop_refs or {})
    for row, reason in gone.items():
        lost.setdefault(index.doc(row).ref, reason)
    for ref, reason in lost.items():
        if ref in kept or any(r not in gone and index.doc(r).run_id == ref[1] for r in index.by_doc.get(ref[0], ())):
            continue
        for table, path in sorted(index.child_parts.get(ref, ())):
            rows = plan.superseded.setdefault((table, path), {})
            for i, k in enumerate(index.parts[table][path]):
                if k == ref:
                    rows[i] = reason
    return plan


def normalize_plan(index: CurrentIndex, incomplete: Iterable[Ref] = ()) -> Plan:
    """Bring a folder written by an older release to the rules: the newest row of each article stays
    (the others: `duplicate`), child rows no documents row points at leave (`orphaned`). The
    `incomplete` analyses (a child part of theirs was quarantined) leave too: they are redone."""
    refs = set(incomplete)
    drop: dict[Row, str] = {r: INCOMPLETE for rows in index.by_key.values() for r in rows if index.doc(r).ref in refs}
    for rows in index.by_key.values():
        if len(rows) > 1:
            newest = max(rows, key=lambda r: (str(index.doc(r).processed_at), r))
            drop.update({r: DUPLICATE for r in rows if r != newest and r not in drop})
    kept_refs = {index.doc(r).ref for rows in index.by_key.values() for r in rows if r not in drop}
    orphans = {ref: ORPHANED for ref in index.child_parts if ref not in kept_refs}
    return plan_commit(index, drop=drop, drop_refs=orphans)


# --- the journal ------------------------------------------------------------------------------

def _rel(root: Path, path: Path) -> str:
    return Path(path).relative_to(root).as_posix()


def write_journal(root: Path, ops: list[tuple[str, str | None]]) -> None:
    path = root / JOURNAL
    tmp = root / f".{JOURNAL}.{os.getpid()}.tmp"
    try:
        tmp.write_text(json.dumps({"ops": ops}))
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        store.fsync_dir(root)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise store.user_error(exc, path) from None


def apply_ops(root: Path, ops: list[tuple[str, str | None]]) -> None:
    """Rename `src` to `dst` (when `src` is still there) or delete `src` (dst None): idempotent, so a
    journal can be applied again after a crash."""
    folders = set()
    for src, dst in ops:
        source = root / src
        if dst is None:
            source.unlink(missing_ok=True)
            folders.add(source.parent)
        elif source.exists():
            target = root / dst
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(source, target)
            folders |= {source.parent, target.parent}
    for folder in folders:
        store.fsync_dir(folder)


def run_journal(root: Path, ops: list[tuple[str, str | None]]) -> None:
    """The commit: journal, apply (readers holding the commit lock shared wait), remove the journal."""
    if not ops:
        return
    write_journal(root, ops)
    with store.commit_lock(root):
        apply_ops(root, ops)
    (root / JOURNAL).unlink()
    store.fsync_dir(root)


def discard_uncommitted(root: Path, staged: Iterable[str | Path]) -> None:
    """After a failure before the journal landed (the commit point): delete the staged files (paths
    relative to `root`, or absolute), so nothing of the unfinished commit remains; once the journal
    exists, nothing is deleted: recovery rolls it forward."""
    if not (root / JOURNAL).exists():
        for path in staged:
            (root / path).unlink(missing_ok=True)


def recover(root: Path) -> list[str]:
    """Roll a killed commit forward, then remove what no commit refers to. Returns what was done."""
    done: list[str] = []
    journal = root / JOURNAL
    if journal.exists():
        ops = [tuple(op) for op in json.loads(journal.read_text())["ops"]]
        with store.commit_lock(root):
            apply_ops(root, ops)  # type: ignore[arg-type]
        journal.unlink()
        done.append(f"finished an interrupted commit ({len(ops)} file operations)")
    if removed := store.remove_uncommitted(root):
        done.append(f"removed {len(removed)} file(s) of a batch an earlier run did not finish")
    if root.is_dir() and not (root / store.JOURNALED).exists():
        (root / store.JOURNALED).write_text("every part in this folder was committed through the journal\n")
    return done


def check_schema_version(root: Path) -> None:
    """Refuse (before anything is written) a folder whose parts are newer than this newsflow."""
    ours = int(SCHEMA_VERSION)
    for table in store.SCHEMAS:
        for part in store.parts(root, table):
            try:
                version = store.part_schema_version(part)
            except (OSError, pa.ArrowException):
                continue  # corrupt: quarantined later
            if version > ours:
                raise OutputSchemaTooNewError(part, str(version), SCHEMA_VERSION)


# --- opening an output folder -----------------------------------------------------------------

def quarantine(root: Path, part: Path, error: Exception) -> Rejected:
    """Move a part that cannot be read to `<output>/quarantine/` (same relative path) with a JSON
    record beside it; the reject record says where it went."""
    rel = _rel(root, part)
    target = root / "quarantine" / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    size = part.stat().st_size
    message = f"unreadable Parquet part ({type(error).__name__}: {str(error)[:200]}); moved to quarantine/{rel}"
    os.replace(part, target)
    store.fsync_dir(part.parent)
    target.with_name(target.name + ".json").write_text(json.dumps(
        {"source_path": rel, "size_bytes": size, "reason": "corrupt_output", "message": message}, indent=1))
    return Rejected(rel, size, "corrupt_output", message)


def load_index(root: Path) -> tuple[CurrentIndex, list[Rejected]]:
    """The index of every current part; a part that cannot be read is quarantined."""
    index, rejected = CurrentIndex(), []
    for table in store.BATCH_TABLES:
        columns = DOC_COLUMNS if table == "documents" else ("doc_id", "run_id")
        paths = store.parts(root, table)
        for path, keys in _scan_keys(table, paths, columns).items():
            index.add(table, _rel(root, path), keys)
        for part in (p for p in paths if _rel(root, p) not in index.parts[table]):  # one by one: find the bad part
            try:
                names = pq.read_schema(part).names
                keys = part_keys(table, pq.read_table(part, columns=[c for c in columns if c in names]))
            except (OSError, pa.ArrowException) as exc:
                rejected.append(quarantine(root, part, exc))
                continue
            index.add(table, _rel(root, part), keys)
    return index, rejected


def _scan_keys(table: str, paths: list[Path], columns: Sequence[str]) -> dict[Path, list]:
    """The key columns of every part, read as one dataset (a part lacking a column reads it as null);
    {} when any part cannot be read (the caller then reads them one by one)."""
    if not paths:
        return {}
    schema = pa.schema([store.SCHEMAS[table].field(c) for c in columns])
    out: dict[Path, list] = {}
    try:
        for fragment in ds.dataset([str(p) for p in paths], format="parquet", schema=schema).get_fragments():
            out[Path(fragment.path)] = part_keys(table, fragment.to_table(schema=schema, columns=list(columns)))
    except (OSError, pa.ArrowException):
        return {}
    return out if set(out) == set(paths) else {}


@dataclass
class Opened:
    index: CurrentIndex
    quarantined: list[Rejected]
    notes: list[str]


def open_output(root: Path, run_id: str) -> Opened:
    """Check the schema version, recover, index, quarantine and normalize an output folder (its lock held)."""
    root = Path(root)
    check_schema_version(root)
    notes = recover(root)
    index, quarantined = load_index(root)
    plan = normalize_plan(index, incomplete_analyses(root, index, quarantined))
    if not plan.empty:
        commit(root, index, plan, run_id=run_id, key=f"{run_id[:8]}-start")
        reasons = ", ".join(f"{n} {reason}" for reason, n in sorted(plan.reasons().items()))
        notes.append(f"moved to history: {plan.count('documents')} document row(s){f' ({reasons})' if reasons else ''}"
                     f" and {sum(plan.count(t) for t in CHILD_TABLES)} child row(s) of those or of no current document")
    return Opened(index, quarantined, notes)


def incomplete_analyses(root: Path, index: CurrentIndex, quarantined: Sequence[Rejected]) -> set[Ref]:
    """The analyses whose child rows may have been in a quarantined child part: those of the
    `documents` part of the same name (its batch), else of the run its name says
    (`part-<run id prefix>-…`), else of every run of its partition's date (a compacted part)."""
    refs: set[Ref] = set()
    current = {k.ref for k in index.documents()}
    for r in quarantined:
        table, partition, name = Path(r.source_path).parts[-3:]
        if table not in CHILD_TABLES:
            continue  # a documents part: its child rows are orphans, its articles are redone
        same_batch = index.parts["documents"].get(f"documents/{partition}/{name}")
        if same_batch:
            refs |= {k.ref for k in same_batch}
            continue
        prefix = name.removeprefix("part-").split("-")[0]
        by_name = {ref for ref in current if ref[1].startswith(prefix)} if len(prefix) == 8 else set()
        if by_name:
            refs |= by_name
            continue
        date_runs = set()
        for part in (root / "runs" / partition).glob("part-*.parquet"):
            try:
                date_runs |= set(pq.read_table(part, columns=["run_id"])["run_id"].to_pylist())
            except (OSError, pa.ArrowException):
                pass
        refs |= {ref for ref in current if ref[1] in date_runs} or current  # no run record: all are suspect
    return refs


# --- committing -------------------------------------------------------------------------------

def history_dir(root: Path, rel: str, run_id: str, reason: str) -> Path:
    """`history/<table>/run_date=D/superseded_by=RUN/reason=R/` for a current part `<table>/run_date=D/…`."""
    table, partition = Path(rel).parts[:2]
    return root / "history" / table / partition / f"superseded_by={run_id}" / f"reason={reason}"


@dataclass
class Staged:
    table: str
    staged: Path
    final: Path


@dataclass
class Committed:
    files: list[Path] = field(default_factory=list)  # new current parts
    superseded: dict[str, int] = field(default_factory=dict)  # table → rows moved to history
    reasons: dict[str, int] = field(default_factory=dict)  # documents rows by reason
    derived: int = 0


def _derived_tables(root: Path, index: CurrentIndex, derived: Sequence[Derived],
                    new_documents: pa.Table | None) -> list[pa.Table]:
    """The derived `documents` rows, one table per source schema (its metadata kept)."""
    groups: dict[str, tuple[pa.Schema, list[dict]]] = {}
    cache: dict[str, pa.Table] = {}
    now = datetime.now(timezone.utc)
    for d in derived:
        if isinstance(d.source, int):
            assert new_documents is not None
            source = new_documents
            row = new_documents.slice(d.source, 1).to_pylist()[0]
        else:
            path, i = d.source
            source = cache.setdefault(path, pq.read_table(root / path))
            row = source.slice(i, 1).to_pylist()[0]
        row.update(d.fields, processed_at=now)  # the row's time is when it was linked; run_id: the analysis
        metadata = {**(source.schema.metadata or {}), b"newsflow.schema_version": SCHEMA_VERSION.encode()}
        schema = store.SCHEMAS["documents"].with_metadata(metadata)
        groups.setdefault(str(sorted(metadata.items())), (schema, []))[1].append(row)
    return [pa.Table.from_pylist(rows, schema=schema) for schema, rows in groups.values()]


def commit(root: Path, index: CurrentIndex, plan: Plan, *, run_id: str, key: str, run_date: str | None = None,
           new_parts: Sequence[Staged] = (), new_documents: pa.Table | None = None) -> Committed:
    """Apply `plan` and land `new_parts` as one journaled commit; update `index` to match."""
    root = Path(root)
    result = Committed(derived=len(plan.derived), reasons=plan.reasons())
    staged: list[tuple[str, str | None]] = []  # staged file → its place (history, rewritten parts)
    moves: list[tuple[str, str | None]] = []  # whole parts → history; parts emptied → deleted
    after: list[tuple[str, str, list | None]] = []  # index updates: (table, path, new keys or None)
    landing: list[tuple[str, str | None]] = []  # new parts (staged) → their place; documents last
    try:
        for (table, rel), rows in sorted(plan.superseded.items()):
            keys = index.parts[table][rel]
            result.superseded[table] = result.superseded.get(table, 0) + len(rows)
            name = Path(rel).name
            if len(rows) == len(keys) and len(set(rows.values())) == 1:
                target = history_dir(root, rel, run_id, next(iter(rows.values()))) / name
                moves.append((rel, _rel(root, target)))
                after.append((table, rel, None))
                continue
            data = pq.read_table(root / rel)
            by_reason: dict[str, list[int]] = defaultdict(list)
            for i, reason in sorted(rows.items()):
                by_reason[reason].append(i)
            for reason, numbers in sorted(by_reason.items()):
                target = history_dir(root, rel, run_id, reason) / f"{Path(name).stem}-{key}.parquet"
                staged.append((_rel(root, store.stage(data.take(numbers), target)), _rel(root, target)))
            kept = [i for i in range(len(keys)) if i not in rows]
            if kept:
                staged.append((_rel(root, store.stage(data.take(kept), root / rel)), rel))
                after.append((table, rel, [keys[i] for i in kept]))
            else:
                moves.append((rel, None))
                after.append((table, rel, None))
        for part in sorted(new_parts, key=lambda p: p.table == "documents"):  # documents last
            landing.append((_rel(root, part.staged), _rel(root, part.final)))
        if plan.derived:
            date = run_date or _date_of(new_parts) or "unknown"
            for n, table in enumerate(_derived_tables(root, index, plan.derived, new_documents)):
                final = store.partition_dir(root, "documents", date) / f"part-{key}-linked{n}.parquet"
                landing.insert(len(landing) - any(p.table == "documents" for p in new_parts),
                               (_rel(root, store.stage(table, final)), _rel(root, final)))
        run_journal(root, staged + moves + landing)
    except BaseException:
        discard_uncommitted(root, [src for src, _ in staged + landing] + [part.staged for part in new_parts])
        raise
    for table, rel, keys in after:
        index.remove(table, rel)
        if keys is not None:
            index.add(table, rel, keys)
    for _, dst in landing:
        assert dst is not None
        table = Path(dst).parts[0]
        index.add(table, dst, part_keys(table, _read_keys(root / dst, table)))
        result.files.append(root / dst)
    return result


def _date_of(parts: Sequence[Staged]) -> str | None:
    for part in parts:
        return part.final.parent.name.removeprefix("run_date=")
    return None


def _read_keys(path: Path, table: str) -> pa.Table:
    names = pq.read_schema(path).names
    wanted = DOC_COLUMNS if table == "documents" else ("doc_id", "run_id")
    return pq.read_table(path, columns=[c for c in wanted if c in names])
