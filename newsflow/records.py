"""Record files: JSONL, CSV and Parquet (one file, or one file of a Hive-partitioned dataset),
read one record at a time, in bounded memory, as plain Python values.

A record is `Record(row, values)`: `row` counts from 1 in the file's own terms (JSONL: the line;
CSV: the data row after the header; Parquet: the row), `values` the requested columns. A line
or row that cannot be read is a `BadRecord` with a reason code, and the file reads on; a file
that cannot be read (or lacks a requested column) is one `BadRecord` with `row=None`. Nothing
raises out of `read_records`.

Parquet streams through a pyarrow dataset scanner in record batches of `batch_rows` rows, pulled one
at a time, never the whole file (memory holds about one row group); only the requested columns
are read. Hive partition values (`source=bbc/part-0.parquet`) are columns like any other.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Iterator, Sequence

RECORD_SUFFIXES = (".jsonl", ".ndjson", ".csv", ".parquet")
_BAD_BYTE = re.compile("[\udc80-\udcff]")  # a non-UTF-8 byte under errors="surrogateescape"


@dataclass(frozen=True)
class Record:
    row: int
    values: dict[str, object]


@dataclass(frozen=True)
class BadRecord:
    row: int | None  # None: the whole file, or the rest of it from where reading stopped
    reason: str  # unparseable, wrong_type, undecodable, missing_column, unreadable
    message: str


def missing_columns(columns: Sequence[str], names: Sequence[str], where: str = "") -> BadRecord | None:
    """The file-level reject when a named column is not in the file; None when all are there."""
    missing = [c for c in columns if c not in names]
    if not missing:
        return None
    return BadRecord(None, "missing_column", f"no column {', '.join(map(repr, missing))}{where} "
                                             f"(it has {', '.join(map(repr, names))}); pass the right --*-column")


def is_record_file(path: Path) -> bool:
    return path.name.lower().endswith(RECORD_SUFFIXES)


def read_records(path: Path, columns: Sequence[str], root: Path | None = None,
                 batch_rows: int = 256) -> Iterator[Record | BadRecord]:
    """Every record of the file with the requested columns (absent JSONL keys are None); `root`
    is the folder Hive partitions are counted from (Parquet)."""
    suffix = path.suffix.lower()
    reader = (_jsonl if suffix in (".jsonl", ".ndjson") else _csv if suffix == ".csv"
              else _parquet)
    read = 0
    try:
        for item in reader(path, list(dict.fromkeys(columns)), root, batch_rows):
            read += 1
            yield item
    except Exception as exc:  # anything the readers did not foresee: the rest of the file is one reject
        where = f"after {read} record(s)" if read else "before any record"
        yield BadRecord(None, "unreadable", f"reading stopped {where}: {type(exc).__name__}: {exc}")


def _jsonl(path: Path, columns: list[str], _root: Path | None, _batch: int) -> Iterator[Record | BadRecord]:
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if line_no == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                yield BadRecord(line_no, "undecodable", f"line {line_no} is not UTF-8 ({exc.reason})")
                continue
            try:
                value = json.loads(line)
            except json.JSONDecodeError as exc:
                yield BadRecord(line_no, "unparseable", f"line {line_no} is not JSON: {exc.msg} (column {exc.colno})")
                continue
            if not isinstance(value, dict):
                yield BadRecord(line_no, "wrong_type",
                                f"line {line_no} is a JSON {type(value).__name__}, not an object")
                continue
            yield Record(line_no, {c: value.get(c) for c in columns})


def _csv(path: Path, columns: list[str], _root: Path | None, _batch: int) -> Iterator[Record | BadRecord]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))  # article bodies are long fields
    # surrogateescape: a byte that is not UTF-8 is kept as a lone surrogate, so one damaged row is
    # rejected alone instead of the decoder stopping the whole file
    with open(path, encoding="utf-8-sig", errors="surrogateescape", newline="") as fh:
        reader = csv.reader(fh, strict=True)  # a malformed quote is an error, not silently part of a field
        header = next(reader, None)
        if header is None:
            yield BadRecord(None, "empty", "the CSV file is empty (no header row)")
            return
        if (bad := missing_columns(columns, header, " in the header")) is not None:
            yield bad
            return
        index = {c: header.index(c) for c in columns}
        row_no = 0
        while True:
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield BadRecord(None, "unparseable", f"CSV error after data row {row_no}: {exc}; "
                                                     "the rows before it were read")
                return
            row_no += 1
            if not fields:
                continue
            if any(_BAD_BYTE.search(f) for f in fields):
                yield BadRecord(row_no, "undecodable", f"data row {row_no} is not UTF-8")
                continue
            if len(fields) != len(header):
                yield BadRecord(row_no, "unparseable",
                                f"data row {row_no} has {len(fields)} fields, the header {len(header)}")
                continue
            yield Record(row_no, {c: fields[i] for c, i in index.items()})


def _parquet(path: Path, columns: list[str], root: Path | None, batch_rows: int) -> Iterator[Record | BadRecord]:
    import pyarrow.dataset as ds

    try:
        if root is not None and path.parent != root:  # partition folders between root and file
            dataset = ds.dataset([str(path)], format="parquet", partitioning="hive", partition_base_dir=str(root))
        else:
            dataset = ds.dataset(str(path), format="parquet")
        names = dataset.schema.names
    except Exception as exc:
        yield BadRecord(None, "unreadable", f"not a readable Parquet file: {exc}")
        return
    if (bad := missing_columns(columns, names)) is not None:
        yield bad
        return
    # pre_buffer=False and use_threads=False: with pyarrow's defaults the scan runs ahead of a slow
    # consumer and pre-buffers column chunks (a 287 MiB file: 186-313 MiB in Arrow's pool); with
    # them it is pulled one batch at a time: pool ≤ 28 MiB, process peak 215 MiB whether 5,000 or
    # 60,000 of its rows were read
    scanner = dataset.scanner(columns=columns, batch_size=batch_rows, batch_readahead=1, fragment_readahead=1,
                              fragment_scan_options=ds.ParquetFragmentScanOptions(pre_buffer=False), use_threads=False)
    row_no = 0
    for batch in scanner.to_batches():
        for values in batch.to_pylist():
            row_no += 1
            yield Record(row_no, values)


def plain_value(value: object) -> str | None:
    """A kept column's value as text for documents.metadata (dates in ISO 8601, lists as JSON)."""
    if value is None:
        return None
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)
