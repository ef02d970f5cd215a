"""A real-news benchmark corpus: the 1,405 PerSenT articles as JSONL and Parquet, one article per
record with its stance target, built at run time from the copy in this repository.

    python benchmarks/persent_corpus.py --out /tmp/persent        # persent.jsonl, persent.parquet
    newsflow run /tmp/persent/persent.parquet --text-column DOCUMENT --title-column TITLE \\
        --id-column DOCUMENT_INDEX --targets-column TARGET_ENTITY --keep-column TRUE_SENTIMENT

Source: PerSenT (Bastan et al., "Author's Sentiment Prediction", COLING 2020), CC BY 4.0, from
github.com/MHDBST/PerSenT at commit 7e29e0f5b5a23a9b2269b8d37b788fd32ac94aea, as copied
unchanged under models/training/data/persent/ (see the README there). Columns written:
DOCUMENT_INDEX, TITLE, TARGET_ENTITY, DOCUMENT (paragraphs separated by newlines, as published),
TRUE_SENTIMENT (the author's sentiment toward the target) and SPLIT (dev / fixed_test).
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "models" / "training" / "data" / "persent"
SPLITS = ("dev", "fixed_test")
COLUMNS = ("DOCUMENT_INDEX", "TITLE", "TARGET_ENTITY", "DOCUMENT", "TRUE_SENTIMENT")
SCHEMA = pa.schema([("DOCUMENT_INDEX", pa.int64()), ("TITLE", pa.string()), ("TARGET_ENTITY", pa.string()),
                    ("DOCUMENT", pa.string()), ("TRUE_SENTIMENT", pa.string()), ("SPLIT", pa.string())])


def persent_records(source: Path = SOURCE, limit: int | None = None) -> list[dict[str, object]]:
    csv.field_size_limit(2**31 - 1)
    rows: list[dict[str, object]] = []
    for split in SPLITS:
        with open(source / f"{split}.csv", encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                record: dict[str, object] = {c: row[c] for c in COLUMNS}
                record["DOCUMENT_INDEX"] = int(row["DOCUMENT_INDEX"])
                record["SPLIT"] = split
                rows.append(record)
    return rows[:limit] if limit else rows


def write_corpus(out: Path, records: list[dict[str, object]], row_group_rows: int = 256) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    jsonl, parquet = out / "persent.jsonl", out / "persent.parquet"
    with open(jsonl, "w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    pq.write_table(pa.Table.from_pylist(records, schema=SCHEMA), parquet, row_group_size=row_group_rows,
                   compression="zstd")
    return [jsonl, parquet]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True, help="folder to write persent.jsonl and persent.parquet to")
    parser.add_argument("--source", type=Path, default=SOURCE, help="folder with PerSenT's dev.csv and fixed_test.csv")
    parser.add_argument("--limit", type=int, default=None, help="only the first N articles (a quick subset)")
    args = parser.parse_args(argv)
    records = persent_records(args.source, args.limit)
    for path in write_corpus(args.out, records):
        print(f"{path}: {len(records)} articles, {path.stat().st_size:,} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
