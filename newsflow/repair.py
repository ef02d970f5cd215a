"""Repair words glued together by web extraction ("notedthat", "PutinPresident").

A token is split in two only when the glued form is not a word and both halves are frequent
words, by the word frequencies of `wordfreq` (its large English list, shipped in the wheel; Zipf
scale: log10 of occurrences per billion words):

- not a word: the lowercased token is absent from the list (Zipf 0);
- frequent halves: each half has Zipf >= 4.0 (once per 100,000 words); a two-letter half needs
  >= 6.0 ("in", "of", "to", not the fragments "re", "co", "de" that the list also counts);
  one-letter halves are never used;
- a likely pair: the Zipf the two words would have side by side if independent,
  Zipf(a) + Zipf(b) - 9, is >= 2.5, and >= 3.0 for a capitalised token (which may be a name).
  Glue across a function word passes ("noted|that" 2.7, "In|leader" 3.2); compounds the list
  lacks do not ("photo|sharing" 0.6, "over|drew" 1.5, "Salt|are" 2.3, the place "Me|dog" 2.6);
- camelCase ("PutinPresident"): frequent halves, and both halves also stand on their own, with
  the same capitals, elsewhere in the document: extraction glues words the text also writes
  apart, while brand names ("ParkingEye", "MindCandy") are written the same way every time.

Tokens considered: runs of ASCII letters that are all lowercase, capitalised, or two capitalised
words. Chunks holding a URL, a domain, an e-mail address, a hashtag or an @-handle, runs touching
a digit or an underscore, and all-capitals runs are left as they are. Of several possible cuts
the likeliest pair wins. Only the one space is inserted; everything else is kept as it was.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from functools import lru_cache


MIN_PART_ZIPF = 4.0
MIN_SHORT_PART_ZIPF = 6.0  # two-letter halves
MIN_PAIR_ZIPF = 2.5
MIN_PAIR_ZIPF_CAPITALISED = 3.0
MIN_GLUED_LETTERS = 5

_CHUNK = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")
_LOWER_OR_CAPITALISED = re.compile(r"[a-z]+|[A-Z][a-z]+")
_CAMEL = re.compile(r"([A-Z][a-z]+)([A-Z][a-z]+)")
_LEAVE_CHUNK = re.compile(r"://|^www\.|@|^#|[A-Za-z]\.[A-Za-z]{2,}")


@lru_cache(maxsize=65536)
def word_zipf(word: str) -> float:
    """The word's Zipf frequency in wordfreq's large English list (0 when absent; case-folded).
    wordfreq is imported here, at the first look-up (0.3 s; most texts have no glued-word candidate)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en", wordlist="large")


def _frequent(part: str) -> bool:
    if len(part) < 2:
        return False
    return word_zipf(part) >= (MIN_SHORT_PART_ZIPF if len(part) == 2 else MIN_PART_ZIPF)


def _split(word: str, standalone: Callable[[], Counter[str]]) -> str:
    """`word` with one space inserted where it is two glued words, else `word` unchanged.
    `standalone()`: the document's letter runs, counted (asked only for a camelCase token)."""
    if len(word) < MIN_GLUED_LETTERS or not word.isascii() or word_zipf(word.lower()) > 0:
        return word
    camel = _CAMEL.fullmatch(word)
    if camel:
        left, right = camel.groups()
        if (_frequent(left.lower()) and _frequent(right.lower())
                and standalone()[left] > 0 and standalone()[right] > 0):
            return f"{left} {right}"
        return word
    if not _LOWER_OR_CAPITALISED.fullmatch(word):
        return word
    lower = word.lower()
    needed = MIN_PAIR_ZIPF_CAPITALISED if word[0].isupper() else MIN_PAIR_ZIPF
    best, best_pair = word, needed
    for cut in range(2, len(word) - 1):
        left, right = lower[:cut], lower[cut:]
        if _frequent(left) and _frequent(right):
            pair = word_zipf(left) + word_zipf(right) - 9
            if pair >= best_pair:
                best, best_pair = f"{word[:cut]} {word[cut:]}", pair
    return best


def _may_be_glued(run: str) -> bool:
    """False when `_split` returns `run` unchanged whatever the document: too short, not ASCII, or
    a word of the list (the same first test as `_split`)."""
    return len(run) >= MIN_GLUED_LETTERS and run.isascii() and word_zipf(run.lower()) <= 0


def _letter_runs(chunk: str) -> list[re.Match[str]]:
    """The chunk's letter runs that may be repaired (none in a URL-like chunk)."""
    if _LEAVE_CHUNK.search(chunk):
        return []
    runs = []
    for m in _LETTERS.finditer(chunk):
        before = chunk[m.start() - 1] if m.start() > 0 else ""
        after = chunk[m.end()] if m.end() < len(chunk) else ""
        if not (before.isdigit() or after.isdigit() or "_" in (before, after)):
            runs.append(m)
    return runs


@lru_cache(maxsize=4)  # one document's paragraphs are repaired one after another
def _standalone_words(document: str) -> Counter[str]:
    return Counter(m.group() for c in _CHUNK.finditer(document) for m in _letter_runs(c.group()))


def repair_glued_words(text: str, document: str | None = None) -> str:
    """`text` with glued words split ("Putin notedthat" → "Putin noted that"); see the module.
    `document`: the whole text `text` comes from (default: `text`), where the halves of a camelCase
    token must also stand on their own."""
    if not any(_may_be_glued(m.group()) for m in _LETTERS.finditer(text)):
        return text  # the common case, decided in one scan: no letter run `_split` could cut

    def standalone() -> Counter[str]:
        return _standalone_words(text if document is None else document)

    def repair_chunk(chunk: str) -> str:
        pieces, pos = [], 0
        for m in _letter_runs(chunk):
            pieces += [chunk[pos:m.start()], _split(m.group(), standalone)]
            pos = m.end()
        return "".join(pieces) + chunk[pos:]

    return _CHUNK.sub(lambda m: repair_chunk(m.group()), text)


# what UTF-8 read as Latin-1 or Windows-1252 looks like: a C1 control character, or a lead byte's
# character (Â … ô) before a continuation byte's (U+0080–U+00BF, or its Windows-1252 letter: € ‚ ƒ „ … † ‡ ˆ
# ‰ Š ‹ Œ Ž ‘ ’ “ ” • – — ˜ ™ š › œ ž Ÿ); a text without one is left to no further check
_MAYBE_MOJIBAKE = re.compile("[\x80-\x9f]|[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
                             "\u017e\u0192\u02c6\u02dc\u2013\u2014\u2018-\u201a\u201c-\u201e\u2020-\u2022"
                             "\u2026\u2030\u2039\u203a\u20ac\u2122]")


def fix_mojibake(text: str) -> str:
    """The text with mis-decoded UTF-8 repaired ("Jones â\x80\x94 who said" → "Jones — who
    said", "2Â½" → "2½"), by ftfy's encoding fixes only (`ftfy.fix_encoding`: no quote
    straightening, no HTML unescaping, no width or ligature changes); text without such
    sequences comes back unchanged. A sequence whose bytes were lost ("wasnât") stays as it is.
    ftfy runs only on a text `_MAYBE_MOJIBAKE` flags (0.02 ms instead of 0.3 ms an article): on
    10,879 texts (PerSenT, NewsMTSC, the eval files) it changed 584, all of them flagged."""
    if not _MAYBE_MOJIBAKE.search(text):
        return text
    from ftfy import fix_encoding

    return fix_encoding(text)
