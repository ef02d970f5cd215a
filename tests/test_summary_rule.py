"""The extractive scoring rule: a lead prior (0.9 ** rank) plus 0.2 × centroid centrality, taken
by relevance within the word budget. Tiny hand-made unit vectors, exact expected picks."""

import numpy as np

from newsflow.models.summarization import centroid_centrality, relevance_scores, select_sentences


def unit_rows(*rows: list[float]) -> np.ndarray:
    m = np.array(rows, dtype=np.float64)
    return m / np.linalg.norm(m, axis=1, keepdims=True)


def test_equally_central_sentences_give_lead_k_within_the_budget():
    emb = np.eye(5)  # orthogonal: every sentence is as close to the mean as any other
    np.testing.assert_allclose(centroid_centrality(emb), np.ones(5))
    np.testing.assert_allclose(relevance_scores(emb), [1.2, 1.1, 1.01, 0.929, 0.8561])
    sentences = ["one two three", "four five", "six seven eight", "nine", "ten eleven"]
    assert select_sentences(sentences, emb, max_words=8) == [0, 1, 2]  # LEAD-3: 3 + 2 + 3 words
    assert select_sentences(sentences, emb, max_words=6) == [0, 1, 3]  # the third does not fit


def test_a_central_sentence_passes_an_off_topic_neighbour():
    # sentence 2 is off topic, sentence 3 restates the story: 0.81 + 0 < 0.729 + 0.2
    emb = unit_rows([1, 0.1, 0], [1, -0.1, 0], [0, 0, 1], [1, 0, 0])
    np.testing.assert_allclose(centroid_centrality(emb)[[2, 3]], [0.0, 1.0])
    assert select_sentences(["a b", "c d", "e f", "g h"], emb, max_words=6) == [0, 1, 3]


def test_centrality_cannot_pull_a_late_sentence_over_the_lead():
    # the most central sentence at rank 5 scores at most 0.59 + 0.2 < 0.81 for rank 2
    emb = unit_rows([1, 0, 0], [0, 1, 0], [0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1])
    assert int(np.argmax(centroid_centrality(emb))) == 5
    assert select_sentences(["a", "b", "c", "d", "e", "f"], emb, max_words=3) == [0, 1, 2]


def test_the_best_sentence_is_kept_even_over_budget_and_nothing_for_no_sentences():
    emb = unit_rows([1, 0], [0, 1])
    assert select_sentences(["one two three four five", "six"], emb, max_words=2) == [0]
    assert select_sentences([], np.zeros((0, 2)), max_words=10) == []
    np.testing.assert_allclose(relevance_scores(unit_rows([3, 4])), [1.2])


def test_no_sentence_is_added_once_the_summary_holds_the_stop_length():
    from newsflow.models.summarization import STOP_WORDS, keep_by_score

    assert STOP_WORDS == 65
    long_lead = [" ".join(["w"] * 40), " ".join(["w"] * 30), "w w w", "w w"]  # 40 + 30 = 70 ≥ 65: stop
    assert select_sentences(long_lead, np.eye(4), max_words=100) == [0, 1]
    short_lead = [" ".join(["w"] * 30), " ".join(["w"] * 30), "w w w", "w w"]  # 60, then 63, then 65
    assert select_sentences(short_lead, np.eye(4), max_words=100) == [0, 1, 2, 3]
    assert select_sentences(short_lead, np.eye(4), max_words=62) == [0, 1, 3]  # the budget caps: 63 > 62, 62 fits
    assert keep_by_score(np.array([4.0, 3.0, 2.0, 1.0]), long_lead, max_words=100) == [0, 1, 2, 3]  # no stop length
    assert keep_by_score(np.array([4.0, 3.0, 2.0, 1.0]), long_lead, 100, stop_words=40) == [0]


def test_page_furniture_is_never_a_summary_sentence_unless_there_is_nothing_else():
    from newsflow.sectioning import is_furniture

    sentences = ["Caroline Hawley, BBC diplomatic correspondent", "One chapter is over.", "Another has barely begun.",
                 "Read more: the saga", "The prospects are good here"]  # the last: prose, its full stop lost
    assert [is_furniture(s) for s in sentences] == [True, False, False, True, False]
    assert select_sentences(sentences, np.eye(5), max_words=8) == [1, 2]  # ranks count prose only
    assert select_sentences(sentences, np.eye(5), max_words=13) == [1, 2, 4]
    assert is_furniture("Sept. 25, 2018") and is_furniture("Protesters gather on Sunday. (Getty Images)")
    assert is_furniture("[What you need to know to start the day: Get New York Today in your inbox.]")
    assert not is_furniture("He said [the budget] was fine.")  # an insertion inside a quote: prose
    reporter = "Jane Doe, a BBC reporter, said she left."  # names a reporter, but ends as a sentence: prose
    assert not is_furniture(reporter)
    assert select_sentences([reporter, "It rained."], np.eye(2), max_words=9) == [0]
    assert select_sentences(sentences[:1], np.eye(1), max_words=5) == [0]  # nothing else: kept


def test_the_rules_version_keys_the_embedded_summarizer_and_a_hub_model_its_id():
    from newsflow.config import ModelChoice
    from newsflow.models.registry import model_versions
    from newsflow.models.summarization import SUMMARY_RULE_VERSION

    assert model_versions(ModelChoice())["summarizer"] == f"rule-{SUMMARY_RULE_VERSION}" == "rule-4"
    assert model_versions(ModelChoice(summarizer="sshleifer/distilbart-cnn-12-6"))["summarizer"] == \
        "sshleifer/distilbart-cnn-12-6"
