"""Embedded sentiment / stance heads and target discovery, on the real MiniLM encoder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsflow.models.base import SentimentResult, TextUnit
from newsflow.targets import Target, discover_targets
from newsflow.models.heads import SENTIMENT_HEAD as SENTIMENT_ARTIFACT
from newsflow.models.sentiment import EmbeddedSentiment, load_embedded_sentiment, rollup_sentiment
from newsflow.models.heads import STANCE_HEAD as STANCE_ARTIFACT
from newsflow.models.stance import EmbeddedStance, rollup

ROOT = Path(__file__).resolve().parents[1]
SEED_ARTICLE = ROOT / "seeds" / "000_65e9eab6453260be.txt"


@pytest.fixture(scope="module")
def encoder():
    from newsflow.models.encoder import load_encoder

    return load_encoder()


@pytest.fixture(scope="module")
def sentiment():
    return load_embedded_sentiment()


@pytest.fixture(scope="module")
def stance(encoder):
    return EmbeddedStance(encoder)


def unit(encoder, sentences):
    return TextUnit(list(sentences), encoder.encode(list(sentences)))


def res(label, neg, neu, pos):
    return SentimentResult(label=label, negative=neg, neutral=neu, positive=pos)


# ---------------------------------------------------------------------------------- sentiment
def test_sentence_sentiment_labels(encoder, sentiment):
    sentences = [
        "Profits soared to a record and the company raised its dividend.",
        "The company cut 2,000 jobs after sales collapsed.",
        "The annual report will be published on the company's website in March.",
    ]
    [results] = sentiment.predict([unit(encoder, sentences)])
    assert [r.label for r in results] == ["positive", "negative", "neutral"]
    for r in results:
        assert abs(r.negative + r.neutral + r.positive - 1.0) < 1e-5
        assert all(type(v) is float for v in (r.negative, r.neutral, r.positive))


def test_predict_keeps_unit_boundaries_and_order(encoder, sentiment):
    a = unit(encoder, ["Net sales fell sharply and the company swung to a loss."])
    # "Orders hit an all-time high." reads negative since the head learnt news ("hit by sanctions"):
    # models/cards/sentiment_head.md, Limitations
    b = unit(encoder, ["The meeting will take place in Helsinki.", "Orders reached an all-time high."])
    out = sentiment.predict([a, b])
    assert [[r.label for r in u] for u in out] == [["negative"], ["neutral", "positive"]]
    # the same results whether a unit is predicted alone or in a batch (the tanh layer's matrix
    # product may round differently for another batch shape: within 1e-6)
    alone = sentiment.predict([b])[0]
    assert [r.label for r in alone] == [r.label for r in out[1]]
    assert [(r.negative, r.neutral, r.positive) for r in alone] == [
        pytest.approx((r.negative, r.neutral, r.positive), abs=1e-6) for r in out[1]]


def test_predict_without_embeddings_is_a_clear_error(encoder):
    with pytest.raises(ValueError, match="encode the unit's sentences first"):
        EmbeddedSentiment().predict([TextUnit(["Sales rose."])])
    positive = unit(encoder, ["Profits soared to a record and the company raised its dividend."])
    assert EmbeddedSentiment().predict([positive])[0][0].label == "positive"


def test_rollup_one_mildly_negative_sentence_stays_neutral():
    sentences = [res("neutral", 0.05, 0.9, 0.05)] * 5 + [res("negative", 0.6, 0.3, 0.1)]
    out = rollup_sentiment(sentences)
    assert out.label == "neutral"
    assert out.negative == pytest.approx((5 * 0.05 + 0.6) / 6)
    assert out.neutral == pytest.approx((5 * 0.9 + 0.3) / 6)


def test_rollup_dominant_polarity_and_mixed_sections():
    negative = [res("negative", 0.85, 0.1, 0.05)] * 3 + [res("neutral", 0.1, 0.8, 0.1)]
    assert rollup_sentiment(negative).label == "negative"
    mixed = [res("negative", 0.9, 0.05, 0.05), res("positive", 0.05, 0.05, 0.9)]
    assert rollup_sentiment(mixed).label == "neutral"  # good and bad news cancel out
    # weights shift the balance: the long positive sentence dominates
    assert rollup_sentiment(mixed, weights=[1, 4]).label == "positive"


def test_rollup_empty_and_bad_weights():
    assert rollup_sentiment([]) is None  # a section without sentences has no sentiment
    with pytest.raises(ValueError):
        rollup_sentiment([res("neutral", 0.1, 0.8, 0.1)], weights=[1, 2])


# ---------------------------------------------------------------------------------- stance
def test_unit_not_about_target_is_none_without_evidence(encoder, stance):
    u = unit(encoder, ["The football season starts in August.",
                       "Tickets for the final sold out within minutes."])
    [[r]] = stance.predict([u], [Target(name="Russia", aliases=("Moscow",))])
    assert (r.label, r.score, r.none, r.evidence, r.mentions) == ("NONE", 1.0, 1.0, [], 0)


def test_positive_portrayal_is_favor_with_that_sentence_as_evidence(encoder, stance):
    praise = "Critics and supporters alike praised Russia for its generous and effective aid to the flood victims."
    u = unit(encoder, ["Leaders met in Vladivostok on Wednesday.", praise, "The talks lasted six hours."])
    [[r, other]] = stance.predict([u], [Target(name="Russia"), Target(name="Tesla")])
    assert r.target == "Russia" and r.label == "FAVOR" and r.mentions == 1
    assert r.evidence == [praise]
    assert r.score == r.favor > 0.5
    assert other.target == "Tesla" and (other.label, other.evidence, other.mentions) == ("NONE", [], 0)


def test_negative_portrayal_is_against(encoder, stance):
    against = "Moscow's brutal invasion has killed thousands of civilians and was condemned worldwide."
    u = unit(encoder, ["The talks lasted six hours.", against])
    [[r]] = stance.predict([u], [Target(name="Russia", aliases=("Moscow",))])
    assert r.label == "AGAINST" and r.evidence == [against] and r.mentions == 1


def test_neutral_mention_is_none_with_the_mention_as_evidence(encoder, stance):
    mention = "Russia's delegation arrived in Vladivostok on Wednesday."
    [[r]] = stance.predict([unit(encoder, [mention, "The talks lasted six hours."])], [Target(name="Russia")])
    assert (r.label, r.evidence, r.mentions) == ("NONE", [mention], 1)


def test_surnames_count_as_mentions(encoder, stance):
    sentences = ["Vladimir Putin arrived on Tuesday.", "Putin met Kim at the cosmodrome.",
                 "Later Putin and Kim Jong-un toured the site."]
    [[putin, kim]] = stance.predict([unit(encoder, sentences)],
                                    [Target(name="Vladimir Putin"), Target(name="Kim Jong-un")])
    assert (putin.mentions, kim.mentions) == (3, 2)


def test_mention_level_and_section_level_read_the_same_pooled_mention(encoder, stance):
    # eval's per-mention reading (NewsMTSC spans) and the pipeline's (names found in the text) agree
    sentence = "The court praised Smith for her honesty, while Jones was convicted of fraud."
    smith, jones = stance.predict_mentions([(sentence, [(18, 23)]), (sentence, [(47, 52)])])
    assert (smith.target, jones.target, smith.mentions) == ("Smith", "Jones", 1)
    assert (smith.favor, smith.against) != (jones.favor, jones.against)  # each pools its own tokens
    [[s_unit, j_unit]] = stance.predict([unit(encoder, [sentence])], [Target(name="Smith"), Target(name="Jones")])
    assert s_unit.favor == pytest.approx(smith.favor, abs=1e-5)
    assert j_unit.against == pytest.approx(jones.against, abs=1e-5)
    assert s_unit.evidence == [sentence] and s_unit.mentions == 1


def test_shared_pass_keeps_lower_states_only_for_mentioning_sentences_and_stance_matches(encoder, stance):
    # the stance model asks the shared pass for the mentioning sentences' layer-2 states and runs
    # only its fine-tuned layers 3-6 on them: the same results as its own second pass
    sentences = ["Critics praised Russia for its generous aid to the flood victims.",
                 "The talks lasted six hours.",
                 "Moscow's brutal invasion was condemned worldwide, and Beijing stayed silent."]
    targets = [Target(name="Russia", aliases=("Moscow",)), Target(name="China", aliases=("Beijing",))]
    keep = stance.states_to_keep([sentences], [targets])
    assert (sorted(keep.sentences), keep.layers) == (sorted([sentences[0], sentences[2]]), 2)
    vectors = encoder.encode(sentences, keep=keep)
    assert sorted(keep.states) == sorted(keep.sentences)
    n_tokens = encoder.count_tokens([sentences[0]])[0]
    assert tuple(keep.states[sentences[0]].hidden.shape) == (n_tokens, 384)
    assert abs(vectors - encoder.encode(sentences)).max() < 1e-6  # keeping states changes no vector
    reused = stance.predict([TextUnit(sentences, vectors, keep.states)], targets)
    second_pass = stance.predict([TextUnit(sentences, vectors)], targets)
    for a, b in zip(reused[0], second_pass[0]):
        assert (a.label, a.evidence, a.mentions) == (b.label, b.evidence, b.mentions)
        assert (a.favor, a.against, a.none) == pytest.approx((b.favor, b.against, b.none), abs=1e-5)
    assert [r.mentions for r in reused[0]] == [2, 1]
    assert stance.states_to_keep([["The talks lasted six hours."]], [targets]) is None


def test_stance_for_several_documents_at_once_equals_stance_per_document(encoder, stance):
    # the pipeline scores a batch's documents in one call (full batches for the fine-tuned layers)
    docs = [["Critics praised Russia for its generous aid.", "The talks lasted six hours."],
            ["Moscow's brutal invasion was condemned worldwide.", "Critics praised Russia for its generous aid.",
             "Beijing stayed silent."],
            ["Nothing here names anyone."]]
    targets = [[Target(name="Russia", aliases=("Moscow",))],
               [Target(name="Russia", aliases=("Moscow",)), Target(name="China", aliases=("Beijing",))],
               []]
    keep = stance.states_to_keep(docs, targets)
    units = [[TextUnit(d[:1], None, keep.states), TextUnit(d[1:], None, keep.states)] for d in docs]
    encoder.encode([s for d in docs for s in d], keep=keep)
    together = stance.predict_documents(list(zip(units, targets)))
    alone = [stance.predict(u, t) for u, t in zip(units, targets)]
    assert [[[r.label for r in unit] for unit in doc] for doc in together] == [
        [[r.label for r in unit] for unit in doc] for doc in alone]
    for doc_a, doc_b in zip(together, alone):
        for unit_a, unit_b in zip(doc_a, doc_b):
            for a, b in zip(unit_a, unit_b):
                assert (a.evidence, a.mentions) == (b.evidence, b.mentions)
                assert (a.favor, a.against, a.none) == pytest.approx((b.favor, b.against, b.none), abs=1e-5)
    assert together[2] == [[], []] and [len(u) for u in together[1]] == [2, 2]
    assert [r.mentions for r in together[1][0]] == [1, 0]


def test_evaluation_judges_each_record_for_its_target():
    from newsflow.models.registry import ModelSet
    from newsflow.evaluation import evaluate_stance

    seen = []

    class Spy:
        model_id = "spy"

        def predict(self, units, targets, assume_relevant=False):
            seen.append(assume_relevant)
            return [[rollup(t.name, u.sentences, [], [], []) for t in targets] for u in units]

    records = [{"target": "X", "text": "Some text.", "label": "AGAINST"}]
    scores = evaluate_stance("f.jsonl", records, ModelSet(None, None, Spy(), None))
    assert seen == [True, False]  # judged for its target, then gated as in the pipeline
    assert sorted({s.system for s in scores}) == ["majority (AGAINST)", "spy", "spy (gated)"]


def test_rollup_weighs_mentions_and_stance_bearing_sentences():
    sents = [f"s{i}" for i in range(6)]
    probs = [{"FAVOR": 0.05, "AGAINST": 0.05, "NONE": 0.9}] * 5 + [{"FAVOR": 0.85, "AGAINST": 0.05, "NONE": 0.1}]
    r = rollup("X", sents, list(range(6)), [1] * 6, probs, gamma=1.0)
    # weights 0.1 ×5 and 0.9: favor = (5·0.1·0.05 + 0.9·0.85) / 1.4
    assert r.label == "FAVOR" and r.evidence == ["s5"] and r.mentions == 6
    assert r.favor == pytest.approx((5 * 0.1 * 0.05 + 0.9 * 0.85) / 1.4)
    assert r.favor + r.against + r.none == pytest.approx(1.0)
    # without weighting (gamma 0) the five neutral mentions win; a NONE offset of -1 does not flip it,
    # a FAVOR offset of +2 does
    assert rollup("X", sents, list(range(6)), [1] * 6, probs, gamma=0.0).label == "NONE"
    assert rollup("X", sents, list(range(6)), [1] * 6, probs, gamma=0.0,
                  offsets={"FAVOR": 2.0}).label == "FAVOR"
    # a sentence naming the target three times weighs three times
    two = [{"FAVOR": 0.6, "AGAINST": 0.3, "NONE": 0.1}, {"FAVOR": 0.1, "AGAINST": 0.8, "NONE": 0.1}]
    assert rollup("X", ["a", "b"], [0, 1], [1, 3], two, gamma=1.0).label == "AGAINST"
    assert rollup("X", ["a", "b"], [0, 1], [3, 1], two, gamma=1.0).label == "FAVOR"


# ---------------------------------------------------------------------------------- discovery
def test_discovery_on_seed_article():
    from newsflow.analysis import prepare_document
    from newsflow.ingest import SourceDocument, content_id

    text = SEED_ARTICLE.read_text(encoding="utf-8")  # the pipeline's sentences: glued words repaired
    sentences = prepare_document(SourceDocument(content_id(text), "seed.txt", len(text), "utf-8", text)).sentences
    targets = discover_targets(sentences, k=5)
    # North Korea in 13 sentences ("North Korean" included), DPRK 12, Putin 10 + Vladimir Putin, Russia 10
    assert [(t.name, t.aliases) for t in targets] == [
        ("North Korea", ()), ("Vladimir Putin", ("Putin",)), ("DPRK", ()), ("Russia", ()), ("Kim Jong-un", ("Kim",))]


def test_discovery_skips_sentence_initial_stopwords():
    sentences = ["The Bank of England raised rates.", "According to Acme Corp, sales rose.",
                 "Acme Corp said the Bank of England was right.", "However, Acme Corp stayed cautious."]
    targets = discover_targets(sentences, k=3)
    assert [t.name for t in targets] == ["Acme Corp", "Bank of England"]
    assert discover_targets([], k=3) == []


# ---------------------------------------------------------------------------------- artifacts
def test_sentiment_artifact_metadata_matches_shipped_training_data():
    import hashlib

    from newsflow.models.heads import load_head

    from newsflow.models.training.train_heads import TEMPLATED_REPEAT, newsmtsc_sentences

    _, meta = load_head(SENTIMENT_ARTIFACT)
    training = ROOT / "models" / "training"
    templated, news = training / "sentiment_train.jsonl", training / "data" / "newsmtsc" / "train.jsonl"
    assert json.loads(meta["train_data_sha256"]) == {
        "sentiment_train.jsonl": hashlib.sha256(templated.read_bytes()).hexdigest(),
        "newsmtsc/train.jsonl": hashlib.sha256(news.read_bytes()).hexdigest()}
    assert meta["encoder"] == "sentence-transformers/all-MiniLM-L6-v2"
    rows = [json.loads(line) for line in templated.read_text(encoding="utf-8").splitlines()]
    assert (len(rows), len(newsmtsc_sentences(news))) == (998, 7336)  # NewsMTSC: single-polarity sentences
    assert int(meta["train_rows"]) == 998 * TEMPLATED_REPEAT + 7336
    assert json.loads(meta["dev_macro_f1"]) == {"dev_mt": 0.749, "dev_rw": 0.7014}


def test_stance_artifact_metadata_matches_shipped_news_data():
    import hashlib

    from newsflow.models.heads import load_head

    _, meta = load_head(STANCE_ARTIFACT)
    data = ROOT / "models" / "training" / "data"
    assert meta["train_data_sha256"] == hashlib.sha256((data / "newsmtsc" / "train.jsonl").read_bytes()).hexdigest()
    assert json.loads(meta["persent_sha256"]) == {
        n: hashlib.sha256((data / "persent" / n).read_bytes()).hexdigest() for n in ("dev.csv", "fixed_test.csv")}
    assert int(meta["train_rows"]) == 8739  # NewsMTSC train mentions
    assert json.loads(meta["labels"]) == ["AGAINST", "FAVOR", "NONE"]
    rollup_settings = json.loads(meta["rollup"])
    assert set(rollup_settings) == {"gamma", "offsets"}
    assert meta["top_layers"] == "4"
    assert STANCE_ARTIFACT.stat().st_size < 30_000_000  # head + MiniLM's four fine-tuned top layers (float32)
    assert (data / "newsmtsc" / "LICENSE").exists() and (data / "README.md").exists()


def test_stance_selection_holds_whole_newsmtsc_articles_apart():
    from newsflow.models.training.stance_selection import split_train

    fit, tune = split_train()
    assert (len(fit), len(tune)) == (7405, 1334)  # of the 8,739 train mentions
    # whole articles on one side; NewsMTSC repeats 2 sentences across articles, which fall on both
    assert len({s for s, *_ in fit} & {s for s, *_ in tune}) == 2


def test_marked_features_with_a_zero_marker_are_the_shipped_features_and_the_marker_trains(encoder, stance):
    """stance_selection's marker comparison: its feature code with a zero marker reads the shipped
    layers as the pipeline does (within the fp16 storage of the lower states), and a marker run
    learns a vector."""
    import numpy as np
    import torch

    from newsflow.models.stance import mention_features
    from newsflow.models.training import news_stance as ns

    items = [("Putin praised Kim as a loyal friend.", [(0, 5)]), ("Putin praised Kim as a loyal friend.", [(14, 17)]),
             ("Critics said the sanctions against Pyongyang had failed.", [(35, 44)])]
    s, m = encoder.encode_spans([x for x, _ in items], [sp for _, sp in items], top_layers=stance.top_layers)
    got = ns.marked_features(items, stance.top_layers, torch.zeros(384))
    assert got.shape == (3, 1152)
    assert np.abs(got - mention_features(s, m)).max() < 5e-3
    assert np.abs(got[0] - got[1]).max() > 0.01  # same sentence, each target's own mention tokens
    labelled = [(x, sp, lab) for (x, sp), lab in zip(items, ["FAVOR", "NONE", "AGAINST"])]
    init = {"w1": torch.from_numpy(np.random.default_rng(0).normal(0, 0.1, (3, 1152)).astype(np.float32)),
            "b1": torch.zeros(3)}  # a zero head would pass no gradient to the layers or the marker
    saved = ns.FINE_TUNE_HP
    ns.FINE_TUNE_HP = {**saved, "epochs": 1, "warmup": 1}
    try:
        top, head = ns.fine_tune_top(labelled, init, marker=True)
        _, plain = ns.fine_tune_top(labelled, init)
    finally:
        ns.FINE_TUNE_HP = saved
    assert head["marker"].shape == (384,) and float(head["marker"].norm()) > 0
    assert "marker" not in plain and len(top) == ns.TOP_LAYERS


def test_fine_tuning_does_not_depend_on_what_drew_from_torchs_generator_before(encoder):
    """The fine-tuning's dropout draws from torch's global generator; loading the encoder (module
    init) advanced it or not depending on the temp feature cache, so a cold and a warm retrain
    trained different layers. `fine_tune_top` reseeds before training: the same layers either way."""
    import numpy as np
    import torch

    from newsflow.models.training import news_stance as ns

    labelled = [("Putin praised Kim as a loyal friend.", [(0, 5)], "FAVOR"),
                ("Critics said the sanctions against Pyongyang had failed.", [(35, 44)], "AGAINST"),
                ("The talks in Vladivostok lasted six hours.", [(13, 24)], "NONE")]
    init = {"w1": torch.from_numpy(np.random.default_rng(0).normal(0, 0.1, (3, 1152)).astype(np.float32)),
            "b1": torch.zeros(3)}
    saved = ns.FINE_TUNE_HP
    ns.FINE_TUNE_HP = {**saved, "epochs": 1, "warmup": 1}
    try:
        torch.manual_seed(1)
        first, _ = ns.fine_tune_top(labelled, init)
        torch.manual_seed(2)
        torch.rand(1000)  # as building the encoder's modules would
        second, _ = ns.fine_tune_top(labelled, init)
    finally:
        ns.FINE_TUNE_HP = saved
    a, b = first.state_dict(), second.state_dict()
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert not all(torch.equal(a[k], v) for k, v in encoder.model.encoder.layer[-ns.TOP_LAYERS:].state_dict().items())


def test_persent_units_roll_up_sentences_or_whole_paragraphs():
    """news_stance.persent_units: a paragraph unit holds its mentioning pieces (sentences by
    default; whole paragraphs for stance_selection's `paragraphs` comparison), a document all of
    its paragraphs' pieces; an unlabelled article gives a document unit only."""
    import numpy as np

    from newsflow.models.training.news_stance import persent_units
    from newsflow.models.training.stance_selection import whole_paragraphs

    docs = [{"target": "Vladimir Putin", "label": "FAVOR",
             "paragraphs": ["Putin praised Kim. Putin smiled.", "Nobody came.", "Vladimir Putin left."],
             "paragraph_sentences": [["Putin praised Kim.", "Putin smiled."], ["Nobody came."], ["Vladimir Putin left."]],
             "paragraph_labels": ["FAVOR", "NONE", "AGAINST"]},
            {"target": "Vladimir Putin", "label": "NONE", "paragraphs": ["Rain.", "Putin met Putin's aide."],
             "paragraph_sentences": [["Rain."], ["Putin met Putin's aide."]], "paragraph_labels": None}]
    whole = persent_units(docs, np.arange(9, dtype=float).reshape(3, 3), whole_paragraphs)
    assert [(u[0], u[1], u[2], u[3].tolist()) for u in whole] == [
        ("paragraph", "FAVOR", [2], [[0, 1, 2]]), ("paragraph", "NONE", [], []),
        ("paragraph", "AGAINST", [1], [[3, 4, 5]]), ("document", "FAVOR", [2, 1], [[0, 1, 2], [3, 4, 5]]),
        ("document", "NONE", [2], [[6, 7, 8]])]
    by_sentence = persent_units(docs, np.arange(12, dtype=float).reshape(4, 3))
    assert [(u[0], u[2]) for u in by_sentence] == [("paragraph", [1, 1]), ("paragraph", []), ("paragraph", [1]),
                                                   ("document", [1, 1, 1]), ("document", [2])]
    assert by_sentence[0][3].tolist() == [[0, 1, 2], [3, 4, 5]]
