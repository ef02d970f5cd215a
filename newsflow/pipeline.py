"""The pipeline's logic as plain functions over batches of documents; `tasks/` wraps them.

prepare → encode (one shared MiniLM pass) → summarize / sentiment / stance → rows for Parquet.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from models.base import SentimentResult, StanceResult, SummaryResult, Target, TextUnit
from models.encoder import SentenceEncoder
from models.registry import ModelSet
from newsflow.config import RunConfig
from newsflow.ingest import SourceDocument
from newsflow.sectioning import ParsedArticle, parse_article, split_sentences


@dataclass(frozen=True)
class PreparedDocument:
    source: SourceDocument
    article: ParsedArticle
    section_sentences: tuple[tuple[str, ...], ...]  # per section, its sentences in order

    @property
    def sentences(self) -> list[str]:
        return [s for section in self.section_sentences for s in section]


@dataclass(frozen=True)
class EncodedBatch:
    docs: list[PreparedDocument]
    sections: list[list[TextUnit]]  # per document, per section
    documents: list[TextUnit]  # per document: every body sentence


@dataclass(frozen=True)
class BatchResults:
    section_summaries: list[list[SummaryResult]]
    document_summaries: list[SummaryResult]
    sentence_sentiment: list[list[list[SentimentResult]]]  # doc → section → sentence
    targets: list[list[tuple[Target, str]]]  # doc → (target, "config" | "discovered")
    stances: list[list[list[StanceResult]]]  # doc → section → target


def prepare_document(source: SourceDocument) -> PreparedDocument:
    article = parse_article(source.text)
    sentences = tuple(
        tuple(s for paragraph in section.paragraphs for s in split_sentences(paragraph))
        for section in article.sections
    )
    return PreparedDocument(source, article, sentences)


def encode_batch(docs: Sequence[PreparedDocument], encoder: SentenceEncoder | None,
                 token_budget: int, max_batch: int) -> EncodedBatch:
    """One encoder pass over every sentence of the batch, shared by all three tasks."""
    flat = [s for doc in docs for s in doc.sentences]
    vectors = encoder.encode(flat, token_budget=token_budget, max_batch=max_batch) if encoder is not None else None
    sections: list[list[TextUnit]] = []
    documents: list[TextUnit] = []
    offset = 0
    for doc in docs:
        doc_start = offset
        units = []
        for sentences in doc.section_sentences:
            emb = vectors[offset:offset + len(sentences)] if vectors is not None else None
            units.append(TextUnit(list(sentences), emb))
            offset += len(sentences)
        sections.append(units)
        documents.append(TextUnit(doc.sentences, vectors[doc_start:offset] if vectors is not None else None))
    return EncodedBatch(list(docs), sections, documents)


def summarize(batch: EncodedBatch, models: ModelSet, config: RunConfig) -> tuple[list[list[SummaryResult]], list[SummaryResult]]:
    flat = [u for units in batch.sections for u in units]
    flat_results = models.summarizer.summarize(flat, config.summary_words)
    per_doc, i = [], 0
    for units in batch.sections:
        per_doc.append(flat_results[i:i + len(units)])
        i += len(units)
    return per_doc, models.summarizer.summarize(batch.documents, config.document_summary_words)


def score_sentiment(batch: EncodedBatch, models: ModelSet) -> list[list[list[SentimentResult]]]:
    flat = [u for units in batch.sections for u in units]
    flat_results = models.sentiment.predict(flat)
    per_doc, i = [], 0
    for units in batch.sections:
        per_doc.append(flat_results[i:i + len(units)])
        i += len(units)
    return per_doc


def choose_targets(batch: EncodedBatch, config: RunConfig) -> list[list[tuple[Target, str]]]:
    if config.targets:
        return [[(t, "config") for t in config.targets] for _ in batch.docs]
    from models.stance import discover_targets

    return [[(t, "discovered") for t in discover_targets(doc.sentences, k=config.discovered_targets)]
            for doc in batch.docs]


def score_stance(batch: EncodedBatch, models: ModelSet, targets: list[list[tuple[Target, str]]]) -> list[list[list[StanceResult]]]:
    return [models.stance.predict(units, [t for t, _ in doc_targets]) if doc_targets else [[] for _ in units]
            for units, doc_targets in zip(batch.sections, targets)]


def _sentiment_columns(result: SentimentResult) -> dict[str, object]:
    return {"sentiment": result.label, "sentiment_negative": result.negative,
            "sentiment_neutral": result.neutral, "sentiment_positive": result.positive}


def build_rows(batch: EncodedBatch, results: BatchResults, model_ids: dict[str, str], versions: dict[str, str],
               *, run_id: str, processed_at: datetime, fingerprint: str) -> dict[str, list[dict]]:
    from models.sentiment import rollup_sentiment

    ids = model_ids
    run = {"run_id": run_id, "processed_at": processed_at, "config_fingerprint": fingerprint}
    versions_json = json.dumps(versions, sort_keys=True)
    rows: dict[str, list[dict]] = {"documents": [], "sections": [], "quotes": [], "stances": []}
    for d, doc in enumerate(batch.docs):
        article = doc.article
        doc_sentiments = [r for section in results.sentence_sentiment[d] for r in section]
        for s, section in enumerate(article.sections):
            sentences = doc.section_sentences[s]
            summary = results.section_summaries[d][s]
            rows["sections"].append({
                "doc_id": doc.source.doc_id, "position": section.position, "heading": section.heading,
                "kind": section.kind, "text": section.text, "paragraphs": list(section.paragraphs),
                "n_paragraphs": len(section.paragraphs), "n_sentences": len(sentences),
                "n_words": len(section.text.split()), "summary": summary.text,
                "summary_sentences": summary.sentence_indices, "summary_chunks": summary.chunks,
                "summary_model": ids["summarizer"],
                **_sentiment_columns(rollup_sentiment(results.sentence_sentiment[d][s])),
                "sentiment_model": ids["sentiment"], "model_versions": versions_json, **run,
            })
            for stance in results.stances[d][s]:
                source = next(src for t, src in results.targets[d] if t.name == stance.target)
                rows["stances"].append({
                    "doc_id": doc.source.doc_id, "section_position": section.position,
                    "target": stance.target, "target_source": source, "label": stance.label,
                    "score": stance.score, "favor": stance.favor, "against": stance.against,
                    "none": stance.none, "evidence": list(stance.evidence), "stance_model": ids["stance"], **run,
                })
        for q, quote in enumerate(article.quotes):
            by_sentence = dict(zip(doc.section_sentences[quote.section_position],
                                   results.sentence_sentiment[d][quote.section_position]))
            quote_results = [by_sentence[s] for s in split_sentences(quote.text) if s in by_sentence]
            rows["quotes"].append({
                "doc_id": doc.source.doc_id, "section_position": quote.section_position, "position": q,
                "text": quote.text, "speaker": quote.speaker, "role": quote.role,
                **_sentiment_columns(rollup_sentiment(quote_results)), **run,
            })
        rows["documents"].append({
            "doc_id": doc.source.doc_id, "source_path": doc.source.source_path,
            "encoding": doc.source.encoding, "size_bytes": doc.source.size_bytes, "title": article.title,
            "n_sections": len(article.sections), "n_paragraphs": article.n_paragraphs,
            "n_sentences": len(doc.sentences), "n_words": sum(len(s.text.split()) for s in article.sections),
            "n_quotes": len(article.quotes), "photo_credits": list(article.photo_credits),
            "summary": results.document_summaries[d].text, "summary_model": ids["summarizer"],
            **_sentiment_columns(rollup_sentiment(doc_sentiments)), "sentiment_model": ids["sentiment"],
            "targets": [t.name for t, _ in results.targets[d]], **run,
        })
    return rows

