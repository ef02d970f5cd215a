"""The language an article is written in, as an ISO 639-1 code, detected offline.

py3langid (its model ships inside the wheel: no download, works air-gapped): on the 23 saved news
pages of ../shared/eval/html and 20 short sentences in 16 languages it was right on all 43, as was
lingua-language-detector, at 196 pages/s against lingua's 60-74 and with a 0.1 s load against
lingua's 7 s and 1.2 GB in its high-accuracy mode (benchmarks/language_detectors.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

MIN_LETTERS = 20  # below this a guess is noise: "OK", "Reuters", a bare name
MIN_PROBABILITY = 0.5  # a guess the model gives less than this (normalised over its 142 classes) is None
_LETTER = re.compile(r"[^\W\d_]", re.UNICODE)


@lru_cache(maxsize=1)
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect_language(text: str, max_chars: int = 5000) -> str | None:
    """ISO 639-1 code of the text's language ("en", "ru", "zh"; ISO 639-3 for the few languages
    without one, such as "yue"); None when the text has too few letters to tell or the detector
    is unsure (below MIN_PROBABILITY: word lists, boilerplate, a mix). Only the first `max_chars` characters are read (the lead decides it, and
    cost stays flat for long articles)."""
    sample = text[:max_chars]
    if len(_LETTER.findall(sample)) < MIN_LETTERS:
        return None
    code, probability = _identifier().classify(sample)
    if code == "zxx" or probability < MIN_PROBABILITY:  # zxx: "no linguistic content"
        return None
    return code
