"""Rows for Parquet, built from the analysis tree: one function per table, one document at a time.

Plain Python values only (str/int/float/list/None); `store` owns the schemas they are checked
against. A document whose rows cannot be built or converted is rejected (stage `rows`), never
the batch.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Mapping, Sequence

import pyarrow as pa

from newsflow import store
from newsflow.analysis import AnalysedDocument, per_document, stage
from newsflow.ingest import Rejected
from newsflow.models.base import SentimentResult, SummaryResult

Rows = dict[str, list[dict]]


@dataclass(frozen=True)
class RunStamp:
    """What every analysis row carries about the run that wrote it."""

    run_id: str
    processed_at: datetime
    config_fingerprint: str

    def columns(self) -> dict[str, object]:
        return {"run_id": self.run_id, "processed_at": self.processed_at, "config_fingerprint": self.config_fingerprint}


def sentiment_columns(result: SentimentResult | None) -> dict[str, object]:
    if result is None:  # no sentences, no sentiment: null, not "neutral"
        return {"sentiment": None, "sentiment_negative": None, "sentiment_neutral": None, "sentiment_positive": None}
    return {"sentiment": result.label, "sentiment_negative": result.negative,
            "sentiment_neutral": result.neutral, "sentiment_positive": result.positive}


def summary_columns(result: SummaryResult | None, model_id: str) -> dict[str, object]:
    if result is None:  # not analysed (its language): every model column null
        return {"summary": None, "summary_sentences": None, "summary_chunks": None, "summary_model": None}
    return {"summary": result.text, "summary_sentences": result.sentence_indices, "summary_chunks": result.chunks,
            "summary_model": model_id}


def document_rows(doc: AnalysedDocument, model_ids: Mapping[str, str], versions: Mapping[str, str],
                  stamp: RunStamp) -> Rows:
    """The rows of one document in every batch table."""
    run = stamp.columns()
    doc_id = doc.source.doc_id
    versions_json = json.dumps(dict(versions), sort_keys=True)
    sentiment_model = None if doc.note else model_ids["sentiment"]
    rows: Rows = {"documents": [], "sections": [], "quotes": [], "stances": []}
    for analysed in doc.sections:
        section = analysed.section
        rows["sections"].append({
            "doc_id": doc_id, "position": section.position, "heading": section.heading,
            "kind": section.kind, "text": section.text, "paragraphs": list(section.paragraphs),
            "n_paragraphs": len(section.paragraphs), "n_sentences": len(analysed.sentences),
            "n_words": len(section.text.split()), **summary_columns(analysed.summary, model_ids["summarizer"]),
            **sentiment_columns(analysed.sentiment), "sentiment_model": sentiment_model,
            "model_versions": versions_json, **run,
        })
        for stance, chosen in zip(analysed.stances, doc.targets):
            rows["stances"].append({
                "doc_id": doc_id, "section_position": section.position, "target": stance.target,
                "target_source": chosen.source, "label": stance.label, "score": stance.score,
                "favor": stance.favor, "against": stance.against, "none": stance.none,
                "evidence": list(stance.evidence), "mentions": stance.mentions, "stance_model": model_ids["stance"], **run,
            })
    for q, analysed_quote in enumerate(doc.quotes):
        quote = analysed_quote.quote
        rows["quotes"].append({
            "doc_id": doc_id, "section_position": quote.section_position, "position": q, "text": quote.text,
            "speaker": quote.speaker, "role": quote.role, **sentiment_columns(analysed_quote.sentiment), **run,
        })
    article = doc.article
    rows["documents"].append({
        "doc_id": doc_id, "source_path": doc.source.source_path, "encoding": doc.source.encoding,
        "size_bytes": doc.source.size_bytes, "title": article.title, "n_sections": len(article.sections),
        "n_paragraphs": article.n_paragraphs, "n_sentences": doc.n_sentences,
        "n_words": sum(len(s.text.split()) for s in article.sections), "n_quotes": len(article.quotes),
        "photo_credits": list(article.photo_credits),
        **{k: v for k, v in summary_columns(doc.summary, model_ids["summarizer"]).items() if k in ("summary", "summary_model")},
        **sentiment_columns(doc.sentiment), "sentiment_model": sentiment_model,
        "targets": [c.target.name for c in doc.targets], "language": doc.language, "analysis_note": doc.note,
        "metadata": list(doc.source.metadata.items()),
        "article_key": doc.source.article_key, "content_hash": doc.source.content_hash, **run,
    })
    return rows


def batch_tables(docs: Sequence[AnalysedDocument], model_ids: Mapping[str, str], versions: Mapping[str, str],
                 stamp: RunStamp) -> tuple[dict[str, pa.Table], list[dict], list[Rejected]]:
    """Arrow tables of the batch, its `documents` rows, and the documents rejected at this stage."""
    models = {**model_ids, **{f"{k}_version": v for k, v in versions.items()}}

    def convert(batch: Sequence[AnalysedDocument]) -> list[tuple[dict[str, pa.Table], list[dict]]]:
        with stage("rows"):
            merged: Rows = {name: [] for name in store.BATCH_TABLES}
            for doc in batch:
                for name, table_rows in document_rows(doc, model_ids, versions, stamp).items():
                    merged[name] += table_rows
            return [({name: store.to_table(name, r, models) for name, r in merged.items()}, merged["documents"])]

    converted, failed = per_document(docs, convert, lambda d: d.source)
    if len(converted) == 1:
        tables, documents = converted[0]
    else:  # converted one document at a time: concatenate
        tables = {name: pa.concat_tables([t[name] for t, _ in converted]) if converted else
                  store.to_table(name, [], models) for name in store.BATCH_TABLES}
        documents = [row for _, rows in converted for row in rows]
    return tables, documents, failed
