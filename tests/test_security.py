"""Security: no remote code, no pickle, safetensors only; outputs never escape the output folder;
pinned dependencies."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIRS = ("models", "newsflow", "flows", "tasks")
FORBIDDEN = {
    "trust_remote_code=True": re.compile(r"trust_remote_code\s*=\s*True"),
    "torch.load(": re.compile(r"torch\.load\s*\("),
    "pickle.load": re.compile(r"\bc?pickle\.loads?\b"),
    "use_safetensors=False": re.compile(r"use_safetensors\s*=\s*False"),
    "weights_only=False": re.compile(r"weights_only\s*=\s*False"),
}


def forbidden_uses(roots: list[Path]) -> list[str]:
    hits = []
    for root in roots:
        for path in sorted(root.rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                hits += [f"{path.relative_to(root.parent)}:{n}: {name}" for name, pattern in FORBIDDEN.items()
                         if pattern.search(line)]
    return hits


def test_no_remote_code_no_pickle_in_the_source():
    roots = [ROOT / d for d in SOURCE_DIRS]
    assert all(r.is_dir() for r in roots)
    assert sum(1 for r in roots for _ in r.rglob("*.py")) > 10  # the scan really reads the code
    assert forbidden_uses(roots) == []


def test_the_scan_finds_what_it_forbids(tmp_path: Path):
    planted = tmp_path / "pkg"
    planted.mkdir()
    (planted / "bad.py").write_text("m = f(x, trust_remote_code = True)\nw = torch.load(p)\nd = pickle.loads(b)\n")
    assert [h.split(": ")[1] for h in forbidden_uses([planted])] == ["trust_remote_code=True", "torch.load(", "pickle.load"]


def test_model_weights_in_the_repository_are_safetensors_only():
    weights = [p for p in (ROOT / "models").rglob("*") if p.suffix in (".bin", ".pt", ".pth", ".pkl", ".pickle", ".ckpt")]
    assert weights == []
    assert sorted(p.name for p in (ROOT / "models" / "artifacts").glob("*.safetensors"))


HOSTILE_NAMES = [
    "../../escape.txt",  # as a name: the nested `..`-named folders below make this path
    "x\\..\\..\\windows.txt",  # backslashes are plain characters (a name starting with "." is hidden: no input)
    "name\nwith\nnewlines.txt",
    "-rf --out=x.txt",
    "~root.md",
    "%2e%2e%2fencoded.txt",
    "/abs.txt",
]


def _write_hostile_inputs(src: Path) -> list[str]:
    written = []
    for i, name in enumerate(HOSTILE_NAMES):
        # `..` and `/` cannot be part of one file name: nest folders named `..._` instead
        parts = [p if p not in ("", ".", "..") else f"{p}_" for p in name.split("/")]
        path = src.joinpath(*parts)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Hostile name {i}\n\nA story with a hostile file name, number {i}. Nothing else happened.")
        written.append(path.relative_to(src).as_posix())
    deep = src.joinpath(*["..._"] * 12, "deep.txt")
    deep.parent.mkdir(parents=True)
    deep.write_text("Deep story\n\nIt sits twelve folders down. Officials said so.")
    written.append(deep.relative_to(src).as_posix())
    return written


def _snapshot(root: Path, skip: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if skip not in (p, *p.parents)}


@pytest.mark.slow
def test_hostile_file_names_never_write_outside_the_output_folder(prefect_harness, tmp_path: Path):
    from newsflow.flows.analyse_news import analyse_news
    from newsflow.config import RunConfig

    src, out = tmp_path / "in", tmp_path / "sandbox" / "out"
    src.mkdir(), out.parent.mkdir()
    sources = _write_hostile_inputs(src)
    before = _snapshot(tmp_path, out)
    summary = analyse_news(config=RunConfig(input_dir=src, output_dir=out))

    assert (summary.processed, summary.rejected) == (len(sources), 0)
    assert _snapshot(tmp_path, out) == before  # nothing new anywhere but the output folder
    out_real = out.resolve()
    written = [p for p in out.rglob("*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to(out_real) for p in written)
    assert all(Path(f).resolve().is_relative_to(out_real) for f in summary.files)
    # output names come from tables, dates and run ids, never from input names
    assert {p.relative_to(out).parts[0] for p in written} <= {
        "documents", "sections", "quotes", "stances", "rejects", "runs", ".newsflow.lock", ".newsflow-commit.lock",
        ".newsflow-journaled"}
    assert all(re.fullmatch(r"part-[0-9a-f-]+(-run|-\d{5})?\.parquet", p.name) for p in written if p.suffix == ".parquet")
    import duckdb

    paths = duckdb.sql(f"select source_path from '{out}/documents/*/*.parquet'").fetchall()
    assert sorted(p for (p,) in paths) == sorted(sources)  # names kept as data, exactly


def test_requirements_are_pinned_and_the_readme_says_how_to_update_them():
    lines = [ln.strip() for ln in (ROOT / "requirements.lock").read_text().splitlines()
             if ln.strip() and not ln.startswith("#")]
    assert len(lines) > 20
    unpinned = [ln for ln in lines if not re.fullmatch(r"[A-Za-z0-9_.\-\[\],]+==[A-Za-z0-9_.+!\-]+(\s*;.*)?", ln)]
    assert unpinned == []
    assert "lock:" in (ROOT / "Makefile").read_text()
    assert "make lock" in (ROOT / "README.md").read_text()


def test_output_lock_file_and_temp_names_stay_inside_the_output_folder(tmp_path: Path):
    import pyarrow.parquet as pq

    from newsflow import store

    out = tmp_path / "out"
    table = store.to_table("rejects", [], {})
    path = store.write_single(out, "rejects", "2024-01-01", "abc", table)
    assert path.resolve().is_relative_to(out.resolve()) and pq.read_table(path).num_rows == 0
    with store.output_lock(out) as lock_path:
        assert lock_path.parent == out
    assert os.listdir(tmp_path) == ["out"]
