import numpy as np

from newsflow.models.base import TextUnit
from newsflow.models.batching import length_sorted_batches
from newsflow.models.summarization import ExtractiveSummarizer
from newsflow.analysis import prepare_document
from newsflow.ingest import SourceDocument, content_id


def test_length_sorted_batches_respect_the_token_budget():
    assert length_sorted_batches([5, 1, 3, 9, 2], token_budget=10) == [[1, 4, 2], [0], [3]]
    assert length_sorted_batches([2, 2, 2], token_budget=100, max_batch=2) == [[0, 1], [2]]


def test_encoder_batching_keeps_input_order(encoder):
    sentences = ["A short one.", "This sentence is quite a bit longer than the first one was.", "Mid length here."]
    batched = encoder.encode(sentences, token_budget=20)
    one_by_one = np.vstack([encoder.encode([s]) for s in sentences])
    np.testing.assert_allclose(batched, one_by_one, atol=1e-5)


def test_seed_section_summary_is_real_minilm_extract_within_budget(seed_text, encoder):
    doc = prepare_document(SourceDocument(content_id(seed_text), "seed.txt", len(seed_text), "utf-8", seed_text))
    sentences = list(doc.section_sentences[2])  # "The leaders of Russia and the DPRK discussed economic ..."
    unit = TextUnit(sentences, encoder.encode(sentences))
    [result] = ExtractiveSummarizer().summarize([unit], max_words=60)
    assert result.sentence_indices == sorted(result.sentence_indices)
    assert result.text == " ".join(sentences[i] for i in result.sentence_indices)
    assert 0 < len(result.text.split()) <= 60
    assert result.sentence_indices == [0, 4]  # 41 + 15 words; sentences 1-3 do not fit after the first
