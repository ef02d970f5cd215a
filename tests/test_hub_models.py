"""Hub adapters (models/hub.py) against tiny random-weight checkpoints built locally.

No Hub access: every model is written by tests/tiny_models.py into a session tmp folder. The tests
check plumbing exactly (label mapping, batching order, windows, load errors), not model quality.
"""

from __future__ import annotations

import random
import shutil

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from newsflow.models.base import STANCE_LABELS, TextUnit  # noqa: E402
from newsflow.targets import Target, mentioning_sentences  # noqa: E402
from newsflow.config import PROFILES  # noqa: E402
from newsflow.models.batching import length_sorted_batches  # noqa: E402
from newsflow.models.hub import max_input_tokens  # noqa: E402
from newsflow.models.registry import load_hub_model  # noqa: E402
from newsflow.models.sentiment import HubSentiment, map_sentiment_labels  # noqa: E402
from newsflow.models.stance import HubStance, combine_stance, find_nli_indices  # noqa: E402
from newsflow.models.summarization import HubSummarizer, trim_words  # noqa: E402
from newsflow.errors import LabelMappingError, ModelLoadError  # noqa: E402
from tests.tiny_models import BART_MAX_POSITIONS, CORPUS, build_tiny_models  # noqa: E402

TOL = 1e-5


@pytest.fixture(scope="module", autouse=True)
def _one_torch_thread():
    """Tiny models gain nothing from threads; on a shared 2-core box 2 threads run ~4x slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory):
    return build_tiny_models(tmp_path_factory.mktemp("tiny-hub-models"))


@pytest.fixture(scope="session")
def sentiment(tiny):
    return HubSentiment(tiny["sentiment"], batch_size=3)


@pytest.fixture(scope="session")
def stance(tiny):
    return HubStance(tiny["nli"], batch_size=4)


@pytest.fixture(scope="session")
def summarizer(tiny):
    return HubSummarizer(tiny["bart"], batch_size=3, max_new_tokens=24, num_beams=2)


def _softmax_rows(path, texts, pairs=None):
    """Class probabilities computed one text at a time, without the adapter."""
    from transformers import AutoModelForSequenceClassification, AutoTokenizer

    tok = AutoTokenizer.from_pretrained(str(path))
    model = AutoModelForSequenceClassification.from_pretrained(str(path)).eval()
    rows = []
    with torch.no_grad():
        for i, t in enumerate(texts):
            enc = tok(t, pairs[i], return_tensors="pt") if pairs else tok(t, return_tensors="pt")
            rows.append(torch.softmax(model(**enc).logits[0], -1).tolist())
    return rows


def _shuffled_units():
    rng = random.Random(7)
    sents = CORPUS[:]
    rng.shuffle(sents)
    return [TextUnit(sents[:4]), TextUnit([]), TextUnit(sents[4:5]), TextUnit(sents[5:])]


# ---------------------------------------------------------------- pure helpers

def test_sentiment_label_names():
    assert map_sentiment_labels("m", {0: "NEG", 1: "neu", 2: "Positive"}) == ["negative", "neutral", "positive"]
    assert map_sentiment_labels("m", {0: "positive", 1: "negative"}) == ["positive", "negative"]
    assert map_sentiment_labels("m", {"0": "Very Negative", "1": "negative", "2": "neutral",
                                      "3": "positive", "4": "very positive"}) == [
        "negative", "negative", "neutral", "positive", "positive"]
    stars = {i: f"{i + 1} star" + ("s" if i else "") for i in range(5)}
    assert map_sentiment_labels("m", stars) == ["negative", "negative", "neutral", "positive", "positive"]
    for bad in ({0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}, {0: "negative", 1: "neutral"},
                {0: "joy", 1: "anger"}, {}):
        with pytest.raises(LabelMappingError):
            map_sentiment_labels("m", bad)


def test_nli_indices():
    assert find_nli_indices("m", {0: "ENTAILMENT", 1: "neutral", 2: "CONTRADICTION"}) == (0, 2)
    assert find_nli_indices("m", {0: "contradiction", 1: "entailment"}) == (1, 0)
    with pytest.raises(ModelLoadError):
        find_nli_indices("m", {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"})


def test_length_sorted_batches_respect_size_and_keys():
    lengths = [5, 1, 9, 3, 3, 7, 2]
    keys = ["a", "b", "a", "a", "b", "a", "a"]
    batches = length_sorted_batches(lengths, max_batch=2, keys=keys)
    assert sorted(i for b in batches for i in b) == list(range(len(lengths)))
    for b in batches:
        assert len(b) <= 2 and len({keys[i] for i in b}) == 1
        assert [lengths[i] for i in b] == sorted(lengths[i] for i in b)


def test_max_input_tokens_rules():
    class Tok:
        def __init__(self, n):
            self.model_max_length = n

    class Cfg:
        def __init__(self, model_type, mpe, pad=1):
            self.model_type, self.max_position_embeddings, self.pad_token_id = model_type, mpe, pad

    assert max_input_tokens(Tok(int(1e30)), Cfg("roberta", 514)) == 512  # RoBERTa offset
    assert max_input_tokens(Tok(512), Cfg("bart", 1024)) == 512
    assert max_input_tokens(Tok(int(1e30)), Cfg("bart", 1024)) == 1024
    assert max_input_tokens(Tok(int(1e30)), object()) == 512  # nothing sane: fallback


def test_combine_stance_rule():
    none = combine_stance("X", [], [], [])
    assert (none.label, none.score, none.none, none.evidence) == ("NONE", 1.0, 1.0, [])
    r = combine_stance("X", ["a", "b", "c"], [0.9, 0.2, 0.6], [0.1, 0.3, 0.2])
    total = 0.9 + 0.3 + 0.1
    assert r.label == "FAVOR" and r.favor == pytest.approx(0.9 / total)
    assert r.against == pytest.approx(0.3 / total) and r.none == pytest.approx(0.1 / total)
    assert r.score == r.favor and r.evidence == ["a", "c"]
    r = combine_stance("X", ["a", "b"], [0.3, 0.2], [0.4, 0.1])
    assert r.label == "NONE" and r.evidence == ["a", "b"]
    assert r.favor + r.against + r.none == pytest.approx(1.0)


def test_trim_words():
    assert trim_words("a b c", 5) == "a b c"
    assert trim_words("one two. three four five six", 4) == "one two."
    assert trim_words("one two three four five six", 4) == "one two three four"


# ---------------------------------------------------------------- sentiment

def test_sentiment_maps_columns_exactly(tiny, sentiment):
    units = _shuffled_units()
    got = sentiment.predict(units)
    assert [len(r) for r in got] == [len(u.sentences) for u in units]
    flat_sents = [s for u in units for s in u.sentences]
    flat = [r for rs in got for r in rs]
    rows = _softmax_rows(tiny["sentiment"], flat_sents)  # id2label {0: POS, 1: NEG, 2: NEU}
    for r, p in zip(flat, rows):
        assert abs(r.positive - p[0]) < TOL and abs(r.negative - p[1]) < TOL and abs(r.neutral - p[2]) < TOL
        assert r.label == ("positive", "negative", "neutral")[max(range(3), key=p.__getitem__)]
        assert all(type(v) is float for v in (r.negative, r.neutral, r.positive))


def test_sentiment_batch_order_restored(sentiment):
    units = _shuffled_units()
    batched = sentiment.predict(units)
    one_by_one = [[sentiment.predict([TextUnit([s])])[0][0] for s in u.sentences] for u in units]
    for rb, ro in zip(batched, one_by_one):
        for a, b in zip(rb, ro):
            assert a.label == b.label
            for k in ("negative", "neutral", "positive"):
                assert abs(getattr(a, k) - getattr(b, k)) < TOL


def test_sentiment_batches_are_length_sorted(sentiment, monkeypatch):
    seen = []
    orig = sentiment.preprocess
    monkeypatch.setattr(sentiment, "preprocess", lambda items: seen.append(list(items)) or orig(items))
    sents = CORPUS[:7]
    sentiment.predict([TextUnit(sents)])
    assert all(len(b) <= 3 for b in seen) and sorted(s for b in seen for s in b) == sorted(sents)
    lengths = [len(s.split()) for b in seen for s in b]  # word-level tokenizer: tokens = words
    assert lengths == sorted(lengths)


def test_sentiment_binary_and_stars(tiny):
    binary = HubSentiment(tiny["sentiment_binary"])
    sents = CORPUS[:3]
    rows = _softmax_rows(tiny["sentiment_binary"], sents)
    for r, p in zip(binary.predict([TextUnit(sents)])[0], rows):
        assert r.neutral == 0.0 and abs(r.negative - p[0]) < TOL and abs(r.positive - p[1]) < TOL
    stars = HubSentiment(tiny["sentiment_stars"])
    rows = _softmax_rows(tiny["sentiment_stars"], sents)
    for r, p in zip(stars.predict([TextUnit(sents)])[0], rows):
        assert abs(r.negative - (p[0] + p[1])) < TOL and abs(r.neutral - p[2]) < TOL
        assert abs(r.positive - (p[3] + p[4])) < TOL


def test_sentiment_generic_labels_fail_at_load(tiny):
    with pytest.raises(LabelMappingError, match="LABEL_0"):
        HubSentiment(tiny["sentiment_generic"])


# ---------------------------------------------------------------- stance

def test_stance_none_without_mention(stance):
    res = stance.predict([TextUnit(CORPUS[:3])], [Target(name="Mars")])
    assert res[0][0].label == "NONE" and res[0][0].score == 1.0 and res[0][0].none == 1.0
    assert res[0][0].evidence == [] and res[0][0].favor == 0.0 and res[0][0].against == 0.0


def test_stance_rule_matches_independent_computation(tiny, stance):
    unit = TextUnit(CORPUS[:12])
    targets = [Target(name="plan"), Target(name="North Korea", aliases=("Pyongyang",)),
               Target(name="minister"), Target(name="Atlantis")]
    results = stance.predict([unit], targets)[0]
    assert [r.target for r in results] == [t.name for t in targets]
    for t, r in zip(targets, results):
        sents = [unit.sentences[i] for i in mentioning_sentences(unit.sentences, t)]
        if not sents:
            assert (r.label, r.evidence) == ("NONE", [])
            continue
        hyp_f = [f"The author supports {t.name}."] * len(sents)
        hyp_a = [f"The author opposes {t.name}."] * len(sents)
        f = [row[0] for row in _softmax_rows(tiny["nli"], sents, hyp_f)]  # 0 = entailment
        a = [row[0] for row in _softmax_rows(tiny["nli"], sents, hyp_a)]
        F, A = max(f), max(a)
        N = 1 - max(F, A)
        total = F + A + N
        assert abs(r.favor - F / total) < TOL and abs(r.against - A / total) < TOL
        assert abs(r.none - N / total) < TOL
        assert r.label in STANCE_LABELS and r.score == max(r.favor, r.against, r.none)
        assert r.evidence and set(r.evidence) <= set(sents)
    assert len(mentioning_sentences(unit.sentences, targets[1])) == 2  # alias counted


def test_stance_batch_order_restored(stance):
    units = _shuffled_units()
    targets = [Target(name="plan"), Target(name="climate plan"), Target(name="the")]
    batched = stance.predict(units, targets)
    for u, rows in zip(units, batched):
        alone = stance.predict([u], targets)[0]
        assert len(rows) == len(targets)
        for a, b in zip(rows, alone):
            assert (a.label, a.evidence) == (b.label, b.evidence)
            for k in ("favor", "against", "none", "score"):
                assert abs(getattr(a, k) - getattr(b, k)) < TOL


def test_stance_needs_nli_labels(tiny):
    with pytest.raises(ModelLoadError, match="entailment"):
        HubStance(tiny["sentiment"])
    with pytest.raises(ValueError):
        HubStance(tiny["nli"], hypothesis_favor="no placeholder")


# ---------------------------------------------------------------- summary

CAPACITY = BART_MAX_POSITIONS - 2  # <s> … </s>


def _long_unit():
    return TextUnit([s for rep in range(3) for s in CORPUS])  # ~ 3 × 150 tokens


def _tok(summarizer, text):
    return summarizer.tokenizer(text, add_special_tokens=False)["input_ids"]


def _expected_windows(summarizer, sentences):
    counts = [len(_tok(summarizer, s)) for s in sentences]
    windows, cur = 0, None
    for c in counts:
        if cur is None or cur + c > CAPACITY:
            windows, cur = windows + 1, 0
        cur += c
    return windows


def test_windows_cover_every_token_within_budget(summarizer):
    assert summarizer.max_input_tokens == BART_MAX_POSITIONS and summarizer.window_capacity == CAPACITY
    unit = _long_unit()
    windows = summarizer.split_windows(unit.sentences)
    assert len(windows) == _expected_windows(summarizer, unit.sentences) > 1
    assert all(len(_tok(summarizer, w)) <= CAPACITY for w in windows)
    flat = [i for w in windows for i in _tok(summarizer, w)]
    assert flat == [i for s in unit.sentences for i in _tok(summarizer, s)]  # nothing dropped


def test_overlong_sentence_is_cut_not_truncated(summarizer):
    giant = " ".join(CORPUS).replace(" .", " ,")  # one ~150-token sentence
    sentences = ["Analysts expect growth to slow next year .", giant, "Nobody knows what will happen next ?"]
    windows = summarizer.split_windows(sentences)
    assert all(len(_tok(summarizer, w)) <= CAPACITY for w in windows)
    assert [i for w in windows for i in _tok(summarizer, w)] == [i for s in sentences for i in _tok(summarizer, s)]
    assert len(windows) >= 3


def test_summarize_chunks_recursion_and_word_limit(summarizer, monkeypatch):
    calls = []
    orig = summarizer.generate
    monkeypatch.setattr(summarizer, "generate", lambda items: calls.append(list(items)) or orig(items))
    long_unit, short_unit = _long_unit(), TextUnit(CORPUS[:2])
    res = summarizer.summarize([long_unit, short_unit, TextUnit([])], max_words=12)
    expected = _expected_windows(summarizer, long_unit.sentences)
    assert [r.chunks for r in res] == [expected, 1, 0]
    assert len(calls[0]) == expected + 1  # all first-level windows of all units in one call
    assert len(calls) >= 2  # the long unit's joined summaries went round again
    final_cap = min(24, summarizer.tokens_for_words(12))
    assert calls[-1][-1].max_new_tokens == final_cap
    for call in calls:
        for w in call:
            assert len(_tok(summarizer, w.text)) <= CAPACITY and w.max_new_tokens <= 24
    assert all(len(r.text.split()) <= 12 for r in res) and res[2].text == ""
    assert all(isinstance(r.text, str) and r.sentence_indices == [] for r in res)


def test_summarize_batch_order_and_determinism(summarizer):
    units = [TextUnit(CORPUS[:6]), TextUnit(CORPUS[6:7]), TextUnit(CORPUS[7:10]), TextUnit(CORPUS[1:2])]
    batched = summarizer.summarize(units, max_words=15)
    assert summarizer.summarize(units, max_words=15) == batched
    assert [summarizer.summarize([u], max_words=15)[0] for u in units] == batched


# ---------------------------------------------------------------- loading

def test_missing_local_folder(tmp_path):
    with pytest.raises(ModelLoadError, match="not an existing local folder"):
        HubSentiment(tmp_path / "nope")


def test_unknown_hub_id_offline(monkeypatch):
    import huggingface_hub.constants

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    with pytest.raises(ModelLoadError, match="newsflow-test/does-not-exist"):
        HubSentiment("newsflow-test/does-not-exist")


@pytest.mark.parametrize("damage", ["corrupt", "no_safetensors"])
def test_damaged_checkpoint(tiny, tmp_path, damage):
    broken = tmp_path / "broken"
    shutil.copytree(tiny["sentiment"], broken)
    weights = broken / "model.safetensors"
    if damage == "corrupt":
        weights.write_bytes(b"\x00garbage" * 10)
    else:
        weights.unlink()
        (broken / "pytorch_model.bin").write_bytes(b"pickles are refused")
    with pytest.raises(ModelLoadError):
        HubSentiment(broken)


def test_checkpoint_without_head_is_refused(tiny):
    with pytest.raises(ModelLoadError, match="classifier"):
        HubSentiment(tiny["headless"])


def test_factory_caches_and_profile(tiny):
    assert set(PROFILES["hub"].model_dump()) == {"summarizer", "sentiment", "stance", "quantize"}
    a = load_hub_model("sentiment", str(tiny["sentiment"]), batch_size=5)
    assert load_hub_model("sentiment", str(tiny["sentiment"]), batch_size=5) is a
    assert isinstance(a, HubSentiment) and a.batch_size == 5
    assert isinstance(load_hub_model("stance", str(tiny["nli"])), HubStance)
    with pytest.raises(ValueError):
        load_hub_model("translation", "x")


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU error path")
def test_cuda_without_gpu_is_a_device_error(tiny):
    from newsflow.errors import DeviceUnavailableError

    with pytest.raises(DeviceUnavailableError, match="device 'cuda' cannot be used: torch sees no CUDA GPU"):
        HubSentiment(tiny["sentiment"], device="cuda")
