#!/usr/bin/env python3
"""Precision and recall of `parse_article`'s subheadings against marked ones, per article.

    .venv/bin/python scripts/heading_scores.py ../shared/eval/articles        # add -v to list the errors

The folder holds plain-text articles and a `manifest.jsonl` with one object per article:
{"file": "<name>.txt", "headings": ["<marked subheading>", ...]}. A found heading counts as right
when it equals a marked one (whitespace normalised). Reads the folder by path; copies nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newsflow.sectioning import parse_article  # noqa: E402


def _norm(text: str) -> str:
    return " ".join(text.split())


def score(folder: Path, verbose: bool = False) -> tuple[float, float]:
    print(f"{'article':48} {'marked':>6} {'found':>5} {'TP':>3} {'FP':>3} {'FN':>3} {'P':>6} {'R':>6}")
    tp_all = fp_all = fn_all = 0
    for line in (folder / "manifest.jsonl").read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        entry = json.loads(line)
        found = [_norm(h) for h in parse_article((folder / entry["file"]).read_text(encoding="utf-8")).headings]
        marked = [_norm(h) for h in entry["headings"]]
        false_pos = [h for h in found if h not in marked]
        missed = [h for h in marked if h not in found]
        tp = len(found) - len(false_pos)
        tp_all, fp_all, fn_all = tp_all + tp, fp_all + len(false_pos), fn_all + len(missed)
        p = tp / len(found) if found else 1.0
        r = tp / len(marked) if marked else 1.0
        print(f"{entry['file'][:48]:48} {len(marked):6} {len(found):5} {tp:3} {len(false_pos):3} {len(missed):3} "
              f"{p:6.1%} {r:6.1%}")
        if verbose:
            for heading in false_pos:
                print(f"    false: {heading[:100]}")
            for heading in missed:
                print(f"   missed: {heading[:100]}")
    precision = tp_all / (tp_all + fp_all) if tp_all + fp_all else 1.0
    recall = tp_all / (tp_all + fn_all) if tp_all + fn_all else 1.0
    print(f"{'TOTAL':48} {tp_all + fn_all:6} {tp_all + fp_all:5} {tp_all:3} {fp_all:3} {fn_all:3} "
          f"{precision:6.1%} {recall:6.1%}")
    return precision, recall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="folder with the articles and manifest.jsonl")
    parser.add_argument("-v", "--verbose", action="store_true", help="list each false and missed heading")
    args = parser.parse_args()
    if not (args.folder / "manifest.jsonl").is_file():
        parser.error(f"{args.folder} has no manifest.jsonl: pass the folder that holds the articles and their manifest")
    score(args.folder, args.verbose)


if __name__ == "__main__":
    main()
