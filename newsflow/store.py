"""Parquet schemas and write primitives: explicit schemas, atomic writes, the locks. Built on them:
`newsflow.history` (the current index = skip index, journaled commits, history) and `newsflow.maintenance`.

Layout: `<output>/<table>/run_date=YYYY-MM-DD/part-<run>-<batch>.parquet` (Hive partitions). A file
is written completely under a hidden temporary name (`stage`) and renamed into place, so readers
never see half a file. Which files a batch adds, rewrites or moves to history is decided and
committed by `newsflow.history` (a journal written before the renames). `remove_uncommitted`
deletes temporary files a killed run left, and, in a folder of a release without the journal,
batch files whose `documents` part (then the commit record) never landed.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Mapping

import pyarrow as pa
import pyarrow.parquet as pq

from newsflow import __version__
from newsflow.config import SCHEMA_VERSION
from newsflow.errors import DiskFullError, OutputLockedError, OutputNotWritableError

_SENTIMENT = [
    pa.field("sentiment", pa.string()),
    pa.field("sentiment_negative", pa.float64()),
    pa.field("sentiment_neutral", pa.float64()),
    pa.field("sentiment_positive", pa.float64()),
]
_RUN = [
    pa.field("run_id", pa.string(), nullable=False),
    pa.field("processed_at", pa.timestamp("us", tz="UTC")),
    pa.field("config_fingerprint", pa.string()),
]

SCHEMAS: dict[str, pa.Schema] = {
    "documents": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("source_path", pa.string()),
        pa.field("encoding", pa.string()),
        pa.field("size_bytes", pa.int64()),
        pa.field("title", pa.string()),
        pa.field("n_sections", pa.int32()),
        pa.field("n_paragraphs", pa.int32()),
        pa.field("n_sentences", pa.int32()),
        pa.field("n_words", pa.int32()),
        pa.field("n_quotes", pa.int32()),
        pa.field("photo_credits", pa.list_(pa.string())),
        pa.field("summary", pa.string()),
        pa.field("summary_model", pa.string()),
        *_SENTIMENT,
        pa.field("sentiment_model", pa.string()),
        pa.field("targets", pa.list_(pa.string())),
        pa.field("article_key", pa.string()),
        pa.field("content_hash", pa.string()),
        pa.field("language", pa.string()),  # ISO 639-1 (py3langid); null: too little text to tell
        pa.field("analysis_note", pa.string()),  # why no model ran on it (its language); null: analysed
        pa.field("metadata", pa.map_(pa.string(), pa.string())),  # --keep-column values / front-matter fields
        *_RUN,
    ]),
    "sections": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("position", pa.int32(), nullable=False),
        pa.field("heading", pa.string()),
        pa.field("kind", pa.string()),
        pa.field("text", pa.string()),
        pa.field("paragraphs", pa.list_(pa.string())),
        pa.field("n_paragraphs", pa.int32()),
        pa.field("n_sentences", pa.int32()),
        pa.field("n_words", pa.int32()),
        pa.field("summary", pa.string()),
        pa.field("summary_sentences", pa.list_(pa.int32())),
        pa.field("summary_chunks", pa.int32()),
        pa.field("summary_model", pa.string()),
        *_SENTIMENT,
        pa.field("sentiment_model", pa.string()),
        pa.field("model_versions", pa.string()),
        *_RUN,
    ]),
    "quotes": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("section_position", pa.int32()),
        pa.field("position", pa.int32()),
        pa.field("text", pa.string()),
        pa.field("speaker", pa.string()),
        pa.field("role", pa.string()),
        *_SENTIMENT,
        *_RUN,
    ]),
    "stances": pa.schema([
        pa.field("doc_id", pa.string(), nullable=False),
        pa.field("section_position", pa.int32()),
        pa.field("target", pa.string()),
        pa.field("target_source", pa.string()),
        pa.field("label", pa.string()),
        pa.field("score", pa.float64()),
        pa.field("favor", pa.float64()),
        pa.field("against", pa.float64()),
        pa.field("none", pa.float64()),
        pa.field("evidence", pa.list_(pa.string())),
        pa.field("mentions", pa.int32()),
        pa.field("stance_model", pa.string()),
        *_RUN,
    ]),
    "rejects": pa.schema([
        pa.field("source_path", pa.string()),
        pa.field("size_bytes", pa.int64()),
        pa.field("reason", pa.string()),
        pa.field("message", pa.string()),
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("rejected_at", pa.timestamp("us", tz="UTC")),
    ]),
    "runs": pa.schema([
        pa.field("run_id", pa.string(), nullable=False),
        pa.field("flow_run_name", pa.string()),
        pa.field("started_at", pa.timestamp("us", tz="UTC")),
        pa.field("finished_at", pa.timestamp("us", tz="UTC")),
        pa.field("state", pa.string()),
        pa.field("n_discovered", pa.int32()),
        pa.field("n_processed", pa.int32()),
        pa.field("n_skipped", pa.int32()),
        pa.field("n_rejected", pa.int32()),
        pa.field("n_sections", pa.int32()),
        pa.field("n_superseded", pa.int32()),
        pa.field("seconds", pa.float64()),
        pa.field("config", pa.string()),
        pa.field("models", pa.string()),
        pa.field("config_fingerprint", pa.string()),
    ]),
    "evaluations": pa.schema([
        pa.field("eval_id", pa.string(), nullable=False),
        pa.field("file", pa.string()),
        pa.field("task", pa.string()),
        pa.field("system", pa.string()),
        pa.field("metric", pa.string()),
        pa.field("value", pa.float64()),
        pa.field("n", pa.int32()),
        pa.field("config", pa.string()),
        pa.field("evaluated_at", pa.timestamp("us", tz="UTC")),
    ]),
}
BATCH_TABLES = ("sections", "quotes", "stances", "documents")  # documents last: the commit record


def schema_with_metadata(table: str, models: Mapping[str, str]) -> pa.Schema:
    return SCHEMAS[table].with_metadata({
        "newsflow.schema_version": SCHEMA_VERSION,
        "newsflow.version": __version__,
        "newsflow.table": table,
        "newsflow.models": json.dumps(dict(models), sort_keys=True),
    })


def to_table(table: str, rows: list[dict], models: Mapping[str, str]) -> pa.Table:
    return pa.Table.from_pylist(rows, schema=schema_with_metadata(table, models))


def batch_key(run_id: str, batch_no: int) -> str:
    """The name of a batch's part in every batch table: `part-<run id prefix>-<batch no>.parquet`."""
    return f"{run_id[:8]}-{batch_no:05d}"


def run_key(run_id: str) -> str:
    """The name of a run's `rejects` and `runs` parts."""
    return f"{run_id[:8]}-run"


def part_table(path: Path) -> str:
    """The table a part file belongs to (`<output>/<table>/run_date=…/part-….parquet`)."""
    return Path(path).parent.parent.name


def part_batch(path: Path) -> int | None:
    """The batch number of a batch part; None for a run's own parts."""
    tail = Path(path).stem.rsplit("-", 1)[-1]
    return int(tail) if tail.isdigit() else None


def partition_dir(output_dir: Path, table: str, run_date: str) -> Path:
    return Path(output_dir) / table / f"run_date={run_date}"


def write_atomic(table: pa.Table, path: Path) -> None:
    """Write fully under a hidden name in the same folder, fsync, then rename into place."""
    tmp = stage(table, path)
    try:
        os.replace(tmp, path)
        fsync_dir(path.parent)  # the rename itself survives a power cut, not only a killed process
    finally:
        tmp.unlink(missing_ok=True)


def staged_name(path: Path) -> Path:
    """Where `stage` writes `path`: a hidden `.tmp` beside it (no reader's `*.parquet` glob sees it)."""
    return path.parent / f".{path.name}.{os.getpid()}.tmp"


def stage(table: pa.Table, path: Path) -> Path:
    """Write `table` completely and durably under `staged_name(path)`; the caller renames it into place."""
    tmp = staged_name(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, tmp, compression="zstd")
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise user_error(exc, path) from None
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    return tmp


def user_error(exc: OSError, path: Path) -> Exception:
    """The named error for a file-system fault a user can fix (disk full, no permission); else `exc`."""
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return DiskFullError(path)
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return OutputNotWritableError(path, exc.strerror or str(exc))
    if exc.errno in (errno.ENOTDIR, errno.EEXIST):  # a file where the folder (or one above it) should be
        in_the_way = next((p for p in (Path(path), *Path(path).parents) if p.exists() and not p.is_dir()), None)
        if in_the_way is not None:
            return OutputNotWritableError(path, f"{in_the_way} is a file, not a folder")
    return exc


def fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot fsync a folder
        pass
    finally:
        os.close(fd)


def write_batch(output_dir: Path, run_date: str, batch_key: str, tables: Mapping[str, pa.Table]) -> list[Path]:
    """All of a batch's tables, each atomically, `documents` last."""
    written = []
    for name in BATCH_TABLES:
        table = tables.get(name)
        if table is None or table.num_rows == 0 and name != "documents":
            continue
        path = partition_dir(output_dir, name, run_date) / f"part-{batch_key}.parquet"
        write_atomic(table, path)
        written.append(path)
    return written


def write_single(output_dir: Path, table_name: str, run_date: str, key: str, table: pa.Table) -> Path:
    path = partition_dir(output_dir, table_name, run_date) / f"part-{key}.parquet"
    write_atomic(table, path)
    return path


def parts(output_dir: Path, table: str) -> list[Path]:
    """The current part files of a table (history and quarantine live elsewhere)."""
    root = Path(output_dir) / table
    return sorted(root.glob("run_date=*/part-*.parquet")) if root.is_dir() else []


JOURNALED = ".newsflow-journaled"  # marker: every part here was written through the journal


def remove_uncommitted(output_dir: Path) -> list[Path]:
    """Delete stale temp files (anywhere in the folder) and, in a folder written by a release without
    the journal, batch files whose `documents` part never landed (a crash mid-batch)."""
    root = Path(output_dir)
    removed = []
    if not (root / JOURNALED).exists():
        committed = {p.name for p in parts(output_dir, "documents")}
        for table in BATCH_TABLES[:-1]:
            for part in parts(output_dir, table):
                if part.name not in committed:
                    part.unlink(missing_ok=True)
                    removed.append(part)
    if root.is_dir():
        for tmp in root.rglob(".*.tmp"):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def part_schema_version(path: Path) -> int:
    """`newsflow.schema_version` of a part (0 when absent)."""
    metadata = pq.read_schema(path).metadata or {}
    value = metadata.get(b"newsflow.schema_version", b"0").decode()
    return int(value) if value.isdigit() else 0


def to_current_schema(table_name: str, table: pa.Table) -> pa.Table:
    """`table` with the columns of the current schema: additive columns it lacks are null; its own
    metadata is kept, with the current schema version."""
    target = SCHEMAS[table_name]
    columns = [table[f.name].cast(f.type) if f.name in table.column_names else pa.nulls(table.num_rows, f.type)
               for f in target]
    metadata = {**(table.schema.metadata or {}), b"newsflow.schema_version": SCHEMA_VERSION.encode()}
    return pa.Table.from_arrays(columns, schema=target.with_metadata(metadata))


def check_writable(output_dir: Path) -> None:
    """Create the output folder if needed and a file in it, or raise OutputNotWritableError/DiskFullError."""
    output_dir = Path(output_dir)
    probe = output_dir / f".newsflow-probe.{os.getpid()}.tmp"
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
        probe.touch()
        probe.unlink()
    except OSError as exc:
        raise user_error(exc, output_dir) from None


@contextmanager
def output_lock(output_dir: Path, wait_seconds: float = 0.0) -> Iterator[Path]:
    """An exclusive OS file lock on the output folder: two runs never write it at once. The lock
    dies with the process, so a killed run never leaves it stuck."""
    output_dir = Path(output_dir)
    lock_path = output_dir / ".newsflow.lock"
    check_writable(output_dir)
    try:
        fh = open(lock_path, "a+")
    except OSError as exc:
        raise user_error(exc, output_dir) from None
    deadline = time.monotonic() + wait_seconds
    try:
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OutputLockedError(output_dir) from None
                time.sleep(0.5)
        yield lock_path
    finally:
        fh.close()


@contextmanager
def commit_lock(output_dir: Path, shared: bool = False) -> Iterator[Path]:
    """Held exclusively while a commit renames files; a reader that holds it shared (`flock -s
    <output>/.newsflow-commit.lock …`) never sees a commit half done."""
    path = Path(output_dir) / ".newsflow-commit.lock"
    with open(path, "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield path
