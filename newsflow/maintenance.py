"""`newsflow compact` and `newsflow migrate`: rewrite part files without changing a row, as one
journaled commit each (see newsflow.history), under the output lock.

* compact: per folder (a table's partition, current or history) and per schema, small parts are
  merged into files of about `target_bytes`; a file is never split and rows are never reordered
  across files' boundaries in a way that changes the multiset of rows.
* migrate: every part whose columns differ from the current schema (an older release's) is
  rewritten in place with the current columns (the new ones null, except `documents.article_key` =
  source_path and `content_hash` = doc_id, which is what they mean for those rows); running it
  again finds nothing to do.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from newsflow import history, store
from newsflow.config import SCHEMA_VERSION
from newsflow.ingest import Rejected


@dataclass
class Rewritten:
    files_before: int = 0
    files_after: int = 0
    rows: int = 0
    quarantined: list[Rejected] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def all_parts(root: Path) -> list[tuple[str, Path]]:
    """(table, part) for every part, current and history; quarantine is left alone."""
    out = []
    for table in store.SCHEMAS:
        out += [(table, p) for p in sorted((root / table).glob("run_date=*/part-*.parquet"))]
        out += [(table, p) for p in sorted((root / "history" / table).rglob("part-*.parquet"))]
    return out


def _prepare(root: Path) -> tuple[list[str], list[Rejected], list[tuple[str, Path, pa.Schema]]]:
    history.check_schema_version(root)
    notes = history.recover(root)
    quarantined, readable = [], []
    for table, part in all_parts(root):
        try:
            readable.append((table, part, pq.read_schema(part)))
        except (OSError, pa.ArrowException) as exc:
            quarantined.append(history.quarantine(root, part, exc))
    return notes, quarantined, readable


def compact(root: Path, target_bytes: int = 64 * 2**20) -> Rewritten:
    """Merge small parts; the caller holds the output lock."""
    root = Path(root)
    notes, quarantined, readable = _prepare(root)
    result = Rewritten(quarantined=quarantined, notes=notes)
    groups: dict[tuple, list[Path]] = defaultdict(list)
    for table, part, schema in readable:
        if part.stat().st_size < target_bytes:
            groups[(part.parent, schema.to_string(show_schema_metadata=True))].append(part)
    ops: list[tuple[str, str | None]] = []
    try:
        for (folder, _), small in sorted(groups.items()):
            bins: list[list[Path]] = [[]]
            size = 0
            for part in sorted(small):
                n = part.stat().st_size
                if bins[-1] and size + n > target_bytes:
                    bins.append([])
                    size = 0
                bins[-1].append(part)
                size += n
            for merged in (b for b in bins if len(b) > 1):
                table = pa.concat_tables([pq.read_table(p) for p in merged])
                final = folder / f"part-c{uuid.uuid4().hex[:8]}.parquet"
                ops.append((_rel(root, store.stage(table, final)), _rel(root, final)))  # merged file first …
                ops += [(_rel(root, p), None) for p in merged]  # … then the small ones go
                result.files_before += len(merged)
                result.files_after += 1
                result.rows += table.num_rows
        history.run_journal(root, ops)
    except BaseException:
        history.discard_uncommitted(root, [src for src, dst in ops if dst is not None])
        raise
    return result


def current_table(table_name: str, table: pa.Table) -> pa.Table:
    """`table` in the current schema; documents rows of an older release get their article key and hash."""
    out = store.to_current_schema(table_name, table)
    if table_name == "documents" and table.num_rows:
        key = pc.coalesce(out["article_key"], out["source_path"], out["doc_id"])
        content = pc.coalesce(out["content_hash"], out["doc_id"])
        out = out.set_column(out.schema.get_field_index("article_key"), out.schema.field("article_key"), key)
        out = out.set_column(out.schema.get_field_index("content_hash"), out.schema.field("content_hash"), content)
    return out


def needs_migration(table_name: str, schema: pa.Schema) -> bool:
    metadata = schema.metadata or {}
    return (not schema.remove_metadata().equals(store.SCHEMAS[table_name])
            or metadata.get(b"newsflow.schema_version") != SCHEMA_VERSION.encode())


def migrate(root: Path) -> Rewritten:
    """Rewrite every part of an older schema in the current one; the caller holds the output lock."""
    root = Path(root)
    notes, quarantined, readable = _prepare(root)
    result = Rewritten(quarantined=quarantined, notes=notes)
    ops: list[tuple[str, str | None]] = []
    try:
        for table_name, part, schema in readable:
            if not needs_migration(table_name, schema):
                continue
            table = current_table(table_name, pq.read_table(part))
            ops.append((_rel(root, store.stage(table, part)), _rel(root, part)))
            result.files_before += 1
            result.files_after += 1
            result.rows += table.num_rows
        history.run_journal(root, ops)
    except BaseException:
        history.discard_uncommitted(root, [src for src, dst in ops if dst is not None])
        raise
    return result


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()
