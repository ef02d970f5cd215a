"""The whole analysis path (parse → MiniLM encoder → summary, sentiment, stance → Parquet rows
and Arrow tables) on hypothesis-generated articles with the shapes real news pages have:
consecutive headings, a heading at the end, heading-only articles, quote-only sections, one-word
paragraphs, very long sentences, mixed scripts, emoji, zero-width characters. Every document
comes out analysed, with faithful sections, or rejected with a reason: never an exception.

Plus per-document isolation: a document that makes a model raise is rejected alone, naming the
stage, and the rest of its batch is analysed and written.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsflow.analysis import ANALYSIS_FAILED, analyse_batch, prepare_documents
from newsflow.config import RunConfig
from newsflow.ingest import SourceDocument, content_id
from newsflow.models.registry import ModelSet, load_models
from newsflow.rows import RunStamp, batch_tables
from newsflow.targets import Target

STAMP = RunStamp("test-run", datetime(2026, 1, 1, tzinfo=timezone.utc), "fp")
# small encoder batches: many batches per example, and fast
SMALL = {"token_budget": 256, "batch_size": 4}
CONFIGS = [RunConfig(analysis={"targets": (Target(name="Iceland", aliases=("Reykjavik",)),)}, execution=SMALL),
           RunConfig(execution=SMALL)]  # targets discovered per article

_words = st.sampled_from(["the", "council", "Iceland", "vote", "said", "on", "Monday", "new", "plan", "Reykjavik",
                          "budget", "страна", "Αθήνα", "東京", "🙂", "👨\u200d👩\u200d👧", "co\u200bop", "\ufeffnews",
                          "U.S.", "Dr.", "42", "—", "“quoted”", "a"])
_heading = st.lists(_words, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize().rstrip(".!?…:;,"))
_sentence = st.lists(_words, min_size=1, max_size=20).map(lambda ws: " ".join(ws).capitalize() + ".")
_paragraph = st.lists(_sentence, min_size=1, max_size=4).map(" ".join)
_block = st.one_of(
    _heading.map(lambda h: ("heading", h)),
    _heading.map(lambda h: ("markdown", "## " + h)),
    _paragraph.map(lambda p: ("paragraph", p)),
    st.sampled_from(["Yes.", "Update", "👍", "\u200b", "[Video]"]).map(lambda p: ("paragraph", p)),
    _paragraph.map(lambda p: ("quote", f"“{p[:-1]},” said Jane Doe, the union's president.")),
    st.integers(130, 400).map(lambda n: ("paragraph", " ".join(["word"] * n))),  # no full stop at all
)
_article = st.tuples(_heading, st.lists(_block, min_size=0, max_size=10),
                     st.sampled_from(["\n", "\n\n"])).map(lambda a: a[0] + a[2] + a[2].join(b for _, b in a[1]) + "\n")


@pytest.fixture(scope="module")
def models() -> ModelSet:
    return load_models()


def source(text: str, name: str) -> SourceDocument:
    return SourceDocument(content_id(text), name, len(text.encode()), "utf-8", text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(articles=st.lists(_article, min_size=1, max_size=3), which=st.sampled_from([0, 1]))
def test_generated_articles_go_through_the_whole_analysis_path(models, articles, which):
    config = CONFIGS[which]
    sources = [source(text, f"{i}.txt") for i, text in enumerate(articles)]
    prepared, parse_failed = prepare_documents(sources)
    analysis = analyse_batch(prepared, models, config)
    tables, documents, rows_failed = batch_tables(analysis.documents, models.ids(), {}, STAMP)

    assert parse_failed == analysis.failed == rows_failed == []  # these shapes are all analysable
    assert sorted(d["source_path"] for d in documents) == sorted(s.source_path for s in sources)
    assert tables["documents"].num_rows == len(sources)
    sections = tables["sections"].to_pylist()
    assert len(sections) == sum(len(d.article.sections) for d in prepared)
    stances = {(s["doc_id"], s["section_position"]) for s in tables["stances"].to_pylist()}
    for doc in analysis.documents:
        assert [s.section.position for s in doc.sections] == list(range(len(doc.article.sections)))
        if doc.note is not None:  # mixed scripts detected as a language the models do not read: sectioned only
            assert doc.language not in (None, "en") and doc.summary is None and doc.sentiment is None
            assert [(s.summary, s.sentiment, s.stances) for s in doc.sections] == [(None, None, ())] * len(doc.sections)
            assert doc.source.doc_id not in {doc_id for doc_id, _ in stances}
            continue
        for s in doc.sections:
            if not s.sentences:  # a heading alone: kept, nothing analysed
                assert (s.summary.text, s.sentiment, s.stances) == ("", None, ())
                assert (doc.source.doc_id, s.section.position) not in stances
            else:
                assert s.summary.text and s.sentiment is not None
                assert [r.target for r in s.stances] == [c.target.name for c in doc.targets]
        assert (doc.sentiment is None) == (doc.n_sentences == 0)
        for q in doc.quotes:
            assert q.sentiment is not None


class _Exploding:
    """A real model wrapped so that it raises on one marked document, as a model bug would."""

    def __init__(self, inner, method: str):
        self.inner, self.method, self.model_id = inner, method, inner.model_id

    def __getattr__(self, name):
        attr = getattr(self.inner, name)
        if name != self.method:
            return attr

        def call(units, *args, **kwargs):
            # units, or (units, targets) per document for predict_documents
            flat = [u for item in units for u in (item[0] if isinstance(item, tuple) else [item])]
            if any("EXPLODE" in s for u in flat for s in u.sentences):
                raise ValueError("boom on a marked sentence")
            return attr(units, *args, **kwargs)
        return call


@pytest.mark.parametrize("task, method, stage", [("summarizer", "summarize", "summarize"),
                                                 ("sentiment", "predict", "sentiment"),
                                                 ("stance", "predict_documents", "stance")])
def test_one_failing_document_is_rejected_alone_with_its_stage(models, task, method, stage):
    broken = ModelSet(**{**models.__dict__, task: _Exploding(getattr(models, task), method)})
    texts = ["Calm title\n\nIceland voted on Monday. The plan passed.\n",
             "Bad title\n\nThis sentence will EXPLODE in the model. Iceland said so.\n",
             "Third title\n\nReykjavik council met. Nothing else happened.\n"]
    prepared, _ = prepare_documents([source(t, f"{i}.txt") for i, t in enumerate(texts)])
    analysis = analyse_batch(prepared, broken, CONFIGS[0])

    assert [d.source.source_path for d in analysis.documents] == ["0.txt", "2.txt"]
    [failed] = analysis.failed
    assert (failed.source_path, failed.reason) == ("1.txt", ANALYSIS_FAILED)
    assert failed.message == f"failed in stage {stage!r}: ValueError: boom on a marked sentence"
    # the survivors get what a batch without the bad document gives them (labels and texts; the
    # encoder's floats may differ in the last bits with the batch's composition)
    clean = analyse_batch([prepared[0], prepared[2]], models, CONFIGS[0])

    def labels(docs):
        return [(d.summary.text, d.sentiment.label, [[(r.target, r.label) for r in s.stances] for s in d.sections])
                for d in docs]
    assert labels(analysis.documents) == labels(clean.documents)
