"""What a supersession costs: the commit protocol of newsflow.history on a folder of many parts,
with the deterministic fake analysis of tests/test_current_history.py (no models), so the
figures are the store's own.

    .venv/bin/python benchmarks/history_cost.py [--docs 5000] [--per-batch 25]

Prints, for each step: wall time, part files created, bytes written under outputs/ (new parts
and history), and how many existing parts were renamed whole vs rewritten.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsflow import history, maintenance  # noqa: E402
from tests.test_current_history import fake_run  # noqa: E402


def files(out: Path) -> dict[str, tuple[int, int]]:
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_size) for p in out.rglob("part-*.parquet")}


def step(name: str, out: Path, action) -> None:
    before = files(out)
    t0 = time.perf_counter()
    result = action()
    seconds = time.perf_counter() - t0
    after = files(out)
    inodes_before = {ino for ino, _ in before.values()}
    new = {p: s for p, (ino, s) in after.items() if ino not in inodes_before}
    renamed = sum(1 for p, (ino, _) in after.items() if ino in inodes_before and before.get(p, (None,))[0] != ino)
    print(f"{name:44s} {seconds:7.2f}s  new files {len(new):5d} ({sum(new.values()) / 2**20:7.2f} MiB)  "
          f"renamed whole {renamed:5d}  parts now {len(after):5d}  {result}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=5000)
    parser.add_argument("--per-batch", type=int, default=25)
    args = parser.parse_args()
    texts = {f"{i:05d}.txt": f"Article {i}|" + "|".join(f"section {j} of {i} " * 20 for j in range(4))
             for i in range(args.docs)}
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "out"
        n = args.per_batch
        step(f"first run ({args.docs} articles)", out, lambda: fake_run(out, texts, "F1", per_batch=n))
        step("unchanged rerun", out, lambda: fake_run(out, texts, "F1", per_batch=n))
        step("index only (open_output)", out, lambda: len(history.open_output(out, "x").index.documents()))
        edited = {**texts, "00007.txt": texts["00007.txt"] + " edited"}
        step("one article edited", out, lambda: fake_run(out, edited, "F1", per_batch=n))
        step("settings changed (all superseded)", out, lambda: fake_run(out, edited, "F2", per_batch=n))
        step("compact", out, lambda: maintenance.compact(out).files_before)


if __name__ == "__main__":
    main()
