"""Language: detected per article (py3langid, offline), stored in documents.language; an article in
a language the models do not read is sectioned and stored with every model output null and the
reason in documents.analysis_note. Exact values on texts written here."""

from __future__ import annotations

import pydantic
import pytest

from newsflow.analysis import analyse_batch, prepare_documents
from newsflow.config import RunConfig
from newsflow.ingest import SourceDocument, content_id
from newsflow.language import detect_language
from newsflow.models.registry import load_models
from newsflow.rows import RunStamp, batch_tables
from newsflow.runs import utc_now
from newsflow.targets import Target

TEXTS = {
    "en": "The minister resigned on Tuesday after the report was published.",
    "de": "Der Minister trat am Dienstag nach der Veröffentlichung des Berichts zurück.",
    "fr": "Le ministre a démissionné mardi après la publication du rapport.",
    "es": "El ministro dimitió el martes tras la publicación del informe.",
    "ru": "Министр подал в отставку во вторник после публикации доклада.",
    "zh": "部长在报告发表后于周二辞职。这是一个重要的政治事件，引起了广泛关注。",
}
RUSSIAN = ("Путин выступил в Москве\n\nВладимир Путин заявил в понедельник, что переговоры продолжатся. "
           "Эксперты считают, что решение будет принято до конца года.\n")
ENGLISH = ("Putin speaks in Moscow\n\nVladimir Putin said on Monday that the talks would go on. Experts "
           "believe a decision will be taken before the end of the year.\n")


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_detects_the_language_of_a_sentence(code: str):
    assert detect_language(TEXTS[code]) == code


def test_too_little_text_or_no_language_is_none():
    assert detect_language("OK 👍") is None
    assert detect_language("2024-05-01 12:00 — 42 / 17") is None
    assert detect_language("Aaaa bbbb cccc dddd eeee ffff gggg hhhh") is None  # "zxx": no language
    assert detect_language("Iceland Reykjavik Monday budget council vote") is None  # unsure: below MIN_PROBABILITY


def source(text: str, name: str) -> SourceDocument:
    return SourceDocument(content_id(text), name, len(text.encode()), "utf-8", text)


def test_a_russian_article_is_sectioned_and_stored_without_english_model_output():
    config = RunConfig(analysis={"targets": (Target(name="Vladimir Putin", aliases=("Путин",)),)})
    prepared, failed = prepare_documents([source(RUSSIAN, "ru.txt"), source(ENGLISH, "en.txt")])
    assert failed == [] and [p.language for p in prepared] == ["ru", "en"]
    models = load_models()
    analysis = analyse_batch(prepared, models, config)
    stamp = RunStamp("run", utc_now(), "fp")
    tables, documents, failed = batch_tables(analysis.documents, models.ids(), {}, stamp)
    assert failed == []
    ru, en = documents
    assert (ru["language"], ru["summary"], ru["summary_model"], ru["sentiment"], ru["sentiment_model"]) == (
        "ru", None, None, None, None)
    assert ru["analysis_note"] == (
        "language 'ru': the models read en only, so the document is sectioned without summary, sentiment or "
        "stance (choose Hub models that read it and pass --language ru)")
    assert (ru["n_sections"], ru["n_sentences"], ru["title"]) == (1, 2, "Путин выступил в Москве")
    assert (en["language"], en["analysis_note"]) == ("en", None)
    assert en["summary"] and en["sentiment"] in ("positive", "neutral", "negative")
    sections = tables["sections"].to_pylist()
    assert [(s["doc_id"], s["summary"], s["sentiment"]) for s in sections if s["doc_id"] == ru["doc_id"]] == [
        (ru["doc_id"], None, None)]
    assert {s["doc_id"] for s in tables["stances"].to_pylist()} == {en["doc_id"]}  # no stance on the Russian one


def test_other_languages_need_hub_models():
    with pytest.raises(pydantic.ValidationError, match="the embedded models are English-only"):
        RunConfig(analysis={"languages": ("en", "de")})
    hub = {"summarizer": "org/mt5", "sentiment": "org/xlmr-sentiment", "stance": "org/xlmr-nli"}
    assert RunConfig(analysis={"languages": ("en", "de"), "models": hub}).analysis.languages == ("en", "de")
    assert (RunConfig(analysis={"languages": ("en", "de"), "models": hub}).fingerprint({})
            != RunConfig(analysis={"models": hub}).fingerprint({}))
