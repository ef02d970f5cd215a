"""Compare HTML article extractors on saved pages (`source.html` + `expected.html` +
`expected-metadata.json` per folder, as in mozilla/readability's test pages).

    python benchmarks/html_extractors.py ../shared/eval/html

Body: token precision / recall / F1 of the extracted text against the text of expected.html
(multiset overlap of lower-cased word tokens), micro-averaged over pages and as a per-page mean.
Title: exact match (whitespace-normalised) with the metadata's title. Reads the pages by path;
nothing is copied. Needs `pip install trafilatura justext` besides the project (readability-lxml is a dependency).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections import Counter
from pathlib import Path

import lxml.html

TOKEN = re.compile(r"\w+", re.UNICODE)


def tokens(text: str) -> Counter[str]:
    return Counter(t.lower() for t in TOKEN.findall(text))


def html_text(html: str) -> str:
    return lxml.html.fromstring(html).text_content() if html.strip() else ""


def trafilatura_extract(html: str) -> tuple[str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, favor_precision=False,
                                      with_metadata=True)
    if doc is None:
        return "", ""
    return doc.title or "", doc.text or ""


def trafilatura_precision(html: str) -> tuple[str, str]:
    import trafilatura

    doc = trafilatura.bare_extraction(html, include_comments=False, include_tables=False, favor_precision=True,
                                      with_metadata=True)
    return ("", "") if doc is None else (doc.title or "", doc.text or "")


def readability_extract(html: str) -> tuple[str, str]:
    from readability import Document

    doc = Document(html)
    return doc.short_title() or "", html_text(doc.summary(html_partial=True))


def justext_extract(html: str) -> tuple[str, str]:
    import justext

    paragraphs = justext.justext(html.encode("utf-8"), justext.get_stoplist("English"))
    title = lxml.html.fromstring(html).findtext(".//title") or ""
    return title.strip(), "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


EXTRACTORS = {"trafilatura": trafilatura_extract, "trafilatura-precision": trafilatura_precision,
              "readability-lxml": readability_extract, "justext": justext_extract}


def main(root: Path) -> None:
    pages = sorted(p for p in root.iterdir() if (p / "source.html").is_file())
    for name, extract in EXTRACTORS.items():
        tp = fp = fn = 0
        f1s, titles, seconds = [], 0, 0.0
        for page in pages:
            source = (page / "source.html").read_text(encoding="utf-8")
            expected = tokens(html_text((page / "expected.html").read_text(encoding="utf-8")))
            meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
            t0 = time.perf_counter()
            try:
                title, text = extract(source)
            except Exception as exc:  # an extractor that fails on a page scores 0 there
                print(f"  {name} failed on {page.name}: {exc}", file=sys.stderr)
                title, text = "", ""
            seconds += time.perf_counter() - t0
            got = tokens(text)
            overlap = sum((got & expected).values())
            tp, fp, fn = tp + overlap, fp + sum(got.values()) - overlap, fn + sum(expected.values()) - overlap
            p = overlap / max(1, sum(got.values()))
            r = overlap / max(1, sum(expected.values()))
            f1s.append(0.0 if p + r == 0 else 2 * p * r / (p + r))
            titles += " ".join(title.split()) == " ".join((meta.get("title") or "").split())
        precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
        f1 = 2 * precision * recall / max(1e-9, precision + recall)
        print(f"{name:22s} P {precision:.3f} R {recall:.3f} F1 {f1:.3f} | mean page F1 {sum(f1s) / len(f1s):.3f} "
              f"min {min(f1s):.3f} | title exact {titles}/{len(pages)} | {seconds / len(pages) * 1000:.0f} ms/page")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/html"))
