"""Compare offline language detectors (model inside the wheel): lingua-language-detector and
py3langid, on the article text of saved HTML pages and on short sentences in several languages.

    python benchmarks/language_detectors.py ../shared/eval/html

Accuracy: the ISO 639-1 code predicted vs the page's `lang` (its primary subtag; pages whose
metadata has no `lang` use the language of the page, listed in PAGE_LANG below). Speed: texts per
second over the same texts (after a warm-up call), one process. Needs `pip install lingua-language-detector`.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import lxml.html

PAGE_LANG = {"cnn": "en", "la-nacion": "es", "qq": "zh", "salon-1": "en", "tmz-1": "en", "wapo-1": "en",
             "wapo-2": "en"}  # pages whose expected-metadata.json gives no lang
SHORT = [  # (language, text): written for this comparison, one or two sentences each
    ("en", "The minister resigned on Tuesday after the report was published."),
    ("en", "Shares fell sharply in early trading."),
    ("de", "Der Minister trat am Dienstag nach der Veröffentlichung des Berichts zurück."),
    ("de", "Die Aktien fielen im frühen Handel deutlich."),
    ("fr", "Le ministre a démissionné mardi après la publication du rapport."),
    ("fr", "Les actions ont fortement chuté en début de séance."),
    ("es", "El ministro dimitió el martes tras la publicación del informe."),
    ("es", "Las acciones cayeron con fuerza en las primeras operaciones."),
    ("it", "Il ministro si è dimesso martedì dopo la pubblicazione del rapporto."),
    ("pt", "O ministro renunciou na terça-feira após a publicação do relatório."),
    ("nl", "De minister trad dinsdag af nadat het rapport was gepubliceerd."),
    ("ru", "Министр подал в отставку во вторник после публикации доклада."),
    ("ru", "Акции резко упали в начале торгов."),
    ("uk", "Міністр подав у відставку у вівторок після публікації звіту."),
    ("pl", "Minister podał się do dymisji we wtorek po publikacji raportu."),
    ("cs", "Ministr ve čtvrtek rezignoval po zveřejnění zprávy."),
    ("tr", "Bakan, raporun yayımlanmasının ardından salı günü istifa etti."),
    ("zh", "部长在报告发表后于周二辞职。"),
    ("ja", "大臣は報告書の公表後、火曜日に辞任した。"),
    ("ar", "استقال الوزير يوم الثلاثاء بعد نشر التقرير."),
]


def page_texts(root: Path) -> list[tuple[str, str]]:
    from readability import Document

    out = []
    for page in sorted(p for p in root.iterdir() if (p / "source.html").is_file()):
        meta = json.loads((page / "expected-metadata.json").read_text(encoding="utf-8"))
        lang = (meta.get("lang") or PAGE_LANG[page.name]).split("-")[0].lower()
        html = Document((page / "source.html").read_text(encoding="utf-8")).summary(html_partial=True)
        out.append((lang, " ".join(lxml.html.fromstring(html).text_content().split())))
    return out


def lingua_detector():
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return None if found is None else found.iso_code_639_1.name.lower()
    return detect


def lingua_low_detector():
    from lingua import LanguageDetectorBuilder

    detector = LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().with_preloaded_language_models().build()

    def detect(text: str) -> str | None:
        found = detector.detect_language_of(text)
        return None if found is None else found.iso_code_639_1.name.lower()
    return detect


def langid_detector():
    import py3langid

    return lambda text: py3langid.classify(text)[0]


DETECTORS = {"py3langid": langid_detector, "lingua (low accuracy)": lingua_low_detector,
             "lingua (high accuracy)": lingua_detector}


def main(root: Path) -> None:
    pages = page_texts(root)
    for name, make in DETECTORS.items():
        t0 = time.perf_counter()
        detect = make()
        load = time.perf_counter() - t0
        detect("warm up")
        for label, texts in (("pages", pages), ("short", SHORT)):
            t0 = time.perf_counter()
            wrong = [(lang, got) for lang, text in texts if (got := detect(text)) != lang]
            seconds = time.perf_counter() - t0
            print(f"{name:22s} {label}: {len(texts) - len(wrong)}/{len(texts)} correct, "
                  f"{len(texts) / seconds:.0f} texts/s; wrong (expected, got): {wrong}")
        print(f"{name:22s} load {load:.1f}s")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/eval/html"))
