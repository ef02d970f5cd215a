"""Analyse a batch of documents: one typed tree per document, used by the flow, the benchmark and
`newsflow eval` alike.

parse → one shared encoder pass over every sentence of the batch → summaries, sentiment and
stance per section → `AnalysedDocument` (sections with their summary, sentiment and stances;
quotes with their sentiment; the document's own summary and sentiment).

Language gate: each document's language is detected when it is parsed; one the configured models
do not read (`AnalysisSettings.languages`, English for the embedded models) is sectioned and
stored, but gets no summary, sentiment or stance (null), with the reason in `note`: no English
model output on Russian text.

One document never sinks its batch: when a stage raises, the batch is analysed again one
document at a time, and each document that fails on its own becomes a `Rejected` with reason
`analysis_failed`, naming the stage and the exception. Analysis is deterministic, so it is
never retried beyond that.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Literal, Sequence, TypeVar

import numpy as np

from newsflow.config import AnalysisSettings, Execution, RunConfig
from newsflow.ingest import Rejected, SourceDocument
from newsflow.models.encoder import KeepStates
from newsflow.language import detect_language
from newsflow.models.base import SentimentResult, StanceResult, SummaryResult, TextUnit
from newsflow.models.registry import ModelSet
from newsflow.models.sentiment import rollup_sentiment
from newsflow.repair import fix_mojibake, repair_glued_words
from newsflow.sectioning import (ParsedArticle, Quote, Section, is_furniture, parse_article, split_sentences,
                                 strip_wire_dateline)
from newsflow.targets import Target, discover_targets

T = TypeVar("T")
D = TypeVar("D")
R = TypeVar("R")
Stage = Literal["parse", "encode", "summarize", "sentiment", "stance", "rows"]
ANALYSIS_FAILED = "analysis_failed"


@dataclass(frozen=True)
class PreparedDocument:
    """A parsed article and its sentences, ready for the models."""

    source: SourceDocument
    article: ParsedArticle
    section_sentences: tuple[tuple[str, ...], ...]  # per section, its sentences in order
    paragraph_spans: tuple[tuple[tuple[int, int], ...], ...]  # per section, per paragraph: [start, end) sentences
    language: str | None = None  # ISO 639-1; None: too little text to tell

    @property
    def sentences(self) -> list[str]:
        return [s for section in self.section_sentences for s in section]


@dataclass(frozen=True)
class ChosenTarget:
    target: Target
    source: Literal["config", "article", "discovered"]  # run-level -t, the article's own, or found in it


@dataclass(frozen=True)
class AnalysedSection:
    section: Section
    sentences: tuple[str, ...]
    summary: SummaryResult | None  # None: not analysed (a language the models do not read)
    sentiment: SentimentResult | None  # None: no sentences (a heading alone), or not analysed
    stances: tuple[StanceResult, ...]  # one per target, in the document's target order; () without sentences


@dataclass(frozen=True)
class AnalysedQuote:
    quote: Quote
    sentiment: SentimentResult | None


@dataclass(frozen=True)
class AnalysedDocument:
    source: SourceDocument
    article: ParsedArticle
    sections: tuple[AnalysedSection, ...]
    quotes: tuple[AnalysedQuote, ...]
    summary: SummaryResult | None  # None: not analysed (see `note`)
    sentiment: SentimentResult | None  # None: the document has no sentences, or was not analysed
    targets: tuple[ChosenTarget, ...]
    language: str | None = None
    note: str | None = None  # why the models did not run on it (its language); None: analysed

    @property
    def n_sentences(self) -> int:
        return sum(len(s.sentences) for s in self.sections)


@dataclass(frozen=True)
class BatchAnalysis:
    documents: list[AnalysedDocument]
    failed: list[Rejected]  # reason `analysis_failed`, one per document that could not be analysed


class StageFailed(Exception):
    """An exception raised inside one stage of the analysis, with the stage's name."""

    def __init__(self, stage: Stage, cause: BaseException):
        super().__init__(f"failed in stage {stage!r}: {type(cause).__name__}: {cause}")
        self.stage = stage


@contextmanager
def stage(name: Stage) -> Iterator[None]:
    try:
        yield
    except StageFailed:
        raise
    except Exception as exc:
        raise StageFailed(name, exc) from exc


def analysis_failure(source: SourceDocument, exc: StageFailed) -> Rejected:
    return Rejected(source.source_path, source.size_bytes, ANALYSIS_FAILED, str(exc))


def regroup(flat: Sequence[T], sizes: Iterable[int]) -> list[list[T]]:
    """Flat model outputs back into their groups (documents, sections), in order."""
    out, pos = [], 0
    for n in sizes:
        out.append(list(flat[pos:pos + n]))
        pos += n
    if pos != len(flat):
        raise ValueError(f"regroup: {len(flat)} results for {pos} inputs")
    return out


def per_document(items: Sequence[D], work: Callable[[Sequence[D]], list[R]],
                 source: Callable[[D], SourceDocument]) -> tuple[list[R], list[Rejected]]:
    """`work(items)`; if a stage fails, `work` on each item alone, the failing ones rejected."""
    try:
        return work(items), []
    except StageFailed as exc:
        if len(items) == 1:
            return [], [analysis_failure(source(items[0]), exc)]
    done: list[R] = []
    failed: list[Rejected] = []
    for item in items:
        try:
            done += work([item])
        except StageFailed as exc:
            failed.append(analysis_failure(source(item), exc))
    return done, failed


# -- parse -------------------------------------------------------------------------------------
def prepare_document(source: SourceDocument) -> PreparedDocument:
    with stage("parse"):
        text = fix_mojibake(source.text)  # a decoding error, not the article's words: every column gets the repair
        article = parse_article(text)
        sections, spans = [], []
        for section in article.sections:
            sentences: list[str] = []
            paragraph_spans = []
            for paragraph in section.paragraphs:
                start = len(sentences)
                sentences += split_sentences(repair_glued_words(paragraph, text))  # text column keeps the original
                paragraph_spans.append((start, len(sentences)))
            sections.append(tuple(sentences))
            spans.append(tuple(paragraph_spans))
        return PreparedDocument(source, article, tuple(sections), tuple(spans), detect_language(text))


def prepare_documents(sources: Sequence[SourceDocument]) -> tuple[list[PreparedDocument], list[Rejected]]:
    return per_document(sources, lambda batch: [prepare_document(s) for s in batch], lambda s: s)


# -- analyse -----------------------------------------------------------------------------------
def choose_targets(doc: PreparedDocument, config: RunConfig) -> tuple[ChosenTarget, ...]:
    """The run's targets (-t) and then the article's own (its targets column or front matter),
    a name given by both once; when there are none, the entities the article is most about."""
    settings = config.analysis
    chosen = [ChosenTarget(t, "config") for t in settings.targets]
    given = {t.name.casefold() for t in settings.targets}
    chosen += [ChosenTarget(t, "article") for t in doc.source.targets if t.name.casefold() not in given]
    if chosen:
        return tuple(chosen)
    # discovered from the prose: page furniture (captions, bylines, datelines, teasers) and a wire
    # story's place line ("WASHINGTON (AP) —") say where and by whom, not what the article is about
    prose = [strip_wire_dateline(s, first=i == 0) for i, s in enumerate(doc.sentences) if not is_furniture(s)]
    return tuple(ChosenTarget(t, "discovered") for t in discover_targets(prose, k=settings.discovered_targets))


def language_note(language: str | None, settings: AnalysisSettings) -> str | None:
    """Why a document in this language is not analysed; None when the models read it (or its
    language could not be told: too little text to withhold the analysis for)."""
    if language is None or language in settings.languages:
        return None
    return (f"language {language!r}: the models read {', '.join(settings.languages)} only, so the document is "
            f"sectioned without summary, sentiment or stance (choose Hub models that read it and pass "
            f"--language {language})")


def unanalysed_document(doc: PreparedDocument, config: RunConfig, note: str) -> AnalysedDocument:
    """A document the models do not run on: its sections and quotes, every model output null."""
    sections = tuple(AnalysedSection(section, sentences, None, None, ())
                     for section, sentences in zip(doc.article.sections, doc.section_sentences))
    quotes = tuple(AnalysedQuote(q, None) for q in doc.article.quotes)
    return AnalysedDocument(doc.source, doc.article, sections, quotes, None, None, choose_targets(doc, config),
                            doc.language, note)


def encode_units(sentence_lists: Sequence[Sequence[str]], models: ModelSet, execution: Execution,
                 keep: KeepStates | None = None) -> list[TextUnit]:
    """One encoder pass over every sentence of every list, one TextUnit per list (without vectors
    when no task runs on the embedded encoder: Hub models bring their own). `keep`: token states
    the stance model asked the same pass to keep (carried by every unit)."""
    flat = [s for sentences in sentence_lists for s in sentences]
    vectors = None
    if models.encoder is not None:
        sizes = execution.sizes(models.encoder.device.type)
        vectors = models.encoder.encode(flat, token_budget=sizes.token_budget, max_batch=sizes.batch_size, keep=keep)
    sizes = [len(sentences) for sentences in sentence_lists]
    if vectors is None:
        return [TextUnit(list(sentences)) for sentences in sentence_lists]
    states = keep.states if keep is not None else None
    return [TextUnit(list(sentences), v, states) for sentences, v in zip(sentence_lists, _slices(vectors, sizes))]


def _slices(vectors: np.ndarray, sizes: Iterable[int]) -> Iterator[np.ndarray]:
    pos = 0
    for n in sizes:
        yield vectors[pos:pos + n]
        pos += n


def encode(docs: Sequence[PreparedDocument], models: ModelSet, config: RunConfig,
           targets: Sequence[Sequence[ChosenTarget]] | None = None) -> tuple[list[list[TextUnit]], list[TextUnit]]:
    """Per document its sections' units and its whole-body unit, from one encoder pass (which
    also keeps what the stance model needs for each document's `targets`)."""
    keep = None if models.encoder is None or not targets else models.stance.states_to_keep(
        [doc.sentences for doc in docs], [[c.target for c in chosen] for chosen in targets])
    bodies = encode_units([doc.sentences for doc in docs], models, config.execution, keep)
    sections = []
    for doc, body in zip(docs, bodies):
        sizes = [len(s) for s in doc.section_sentences]
        vectors = [None] * len(sizes) if body.embeddings is None else list(_slices(body.embeddings, sizes))
        sections.append([TextUnit(list(s), v, body.token_states) for s, v in zip(doc.section_sentences, vectors)])
    return sections, bodies


def _analyse(docs: Sequence[PreparedDocument], models: ModelSet, config: RunConfig) -> list[AnalysedDocument]:
    with stage("stance"):
        targets = [choose_targets(doc, config) for doc in docs]
    with stage("encode"):
        doc_units, body_units = encode(docs, models, config, targets)
    units = [u for doc in doc_units for u in doc]
    sizes = [len(doc) for doc in doc_units]
    with stage("summarize"):
        section_summaries = regroup(models.summarizer.summarize(units, config.analysis.summary_words), sizes)
        document_summaries = models.summarizer.summarize(body_units, config.analysis.document_summary_words)
    with stage("sentiment"):
        sentence_sentiment = regroup(models.sentiment.predict(units), sizes)
    with stage("stance"):
        stances = models.stance.predict_documents(
            [(units_of_doc, [c.target for c in chosen]) for units_of_doc, chosen in zip(doc_units, targets)])
    return [
        _document(doc, section_summaries[d], document_summaries[d], sentence_sentiment[d], stances[d], targets[d])
        for d, doc in enumerate(docs)
    ]


def _document(doc: PreparedDocument, summaries: list[SummaryResult], summary: SummaryResult,
              sentiment: list[list[SentimentResult]], stances: list[list[StanceResult]],
              targets: tuple[ChosenTarget, ...]) -> AnalysedDocument:
    sections = tuple(
        AnalysedSection(section, sentences, summaries[s], rollup_sentiment(sentiment[s]),
                        tuple(stances[s]) if sentences else ())
        for s, (section, sentences) in enumerate(zip(doc.article.sections, doc.section_sentences))
    )
    quotes = []
    for quote in doc.article.quotes:
        start, end = doc.paragraph_spans[quote.section_position][quote.paragraph]
        quotes.append(AnalysedQuote(quote, rollup_sentiment(sentiment[quote.section_position][start:end])))
    return AnalysedDocument(doc.source, doc.article, sections, tuple(quotes), summary,
                            rollup_sentiment([r for section in sentiment for r in section]), targets, doc.language)


def analyse_batch(docs: Sequence[PreparedDocument], models: ModelSet, config: RunConfig) -> BatchAnalysis:
    """Every document analysed, or rejected with the stage that failed; never an exception for
    one bad document."""
    notes = {id(doc): language_note(doc.language, config.analysis) for doc in docs}
    analysable = [doc for doc in docs if notes[id(doc)] is None]
    analysed, failed = (per_document(analysable, lambda batch: _analyse(batch, models, config), lambda d: d.source)
                        if analysable else ([], []))
    by_source = {id(a.source): a for a in analysed}
    for doc in docs:
        if notes[id(doc)] is not None:
            by_source[id(doc.source)] = unanalysed_document(doc, config, notes[id(doc)])
    return BatchAnalysis([by_source[id(d.source)] for d in docs if id(d.source) in by_source], failed)
