"""Tiny random-weight Hugging Face checkpoints built locally (no Hub access) for the Hub adapters.

`build_tiny_models(root)` writes, under `root`, folders that `from_pretrained` loads like any Hub
checkpoint: safetensors weights, config.json and a tokenizer.json trained here on CORPUS.

The tokenizer is word-level with whitespace/punctuation pre-tokenization, so the token count of a
text is exactly the sum of the token counts of its space-joined parts: the tests can compute
expected windows by hand.
"""

from __future__ import annotations

from pathlib import Path

CORPUS = [
    "The government announced a new climate plan on Monday .",
    "Critics said the plan would raise energy prices for families .",
    "Supporters praised the minister for acting quickly .",
    "Markets rose sharply after the central bank cut interest rates .",
    "The opposition leader opposes the climate plan and calls it reckless .",
    "Many residents welcome the new park in the city centre .",
    "The company reported record profits but cut hundreds of jobs .",
    "Analysts expect growth to slow next year .",
    "The union supports the strike and urges workers to join .",
    "North Korea launched another missile , officials in Seoul said .",
    "Pyongyang denied the report and accused the United States of lying .",
    "The author supports the plan . The author opposes the plan .",
    "It was a terrible , awful , disappointing result for the team .",
    "What a wonderful , great and happy day !",
    "Nobody knows what will happen next ?",
]

SPECIALS = ["<s>", "<pad>", "</s>", "<unk>", "<mask>"]  # RoBERTa/BART ids 0..4
BART_MAX_POSITIONS = 64  # summarizer budget: 64 tokens, 62 of content after <s> … </s>
CLASSIFIER_MAX_POSITIONS = 66  # RoBERTa offset of 2 → budget 64

SENTIMENT_LABELS_POS_NEG_NEU = {0: "POS", 1: "NEG", 2: "NEU"}
SENTIMENT_LABELS_BINARY = {0: "negative", 1: "positive"}
SENTIMENT_LABELS_STARS = {i: f"{i + 1} star" + ("s" if i else "") for i in range(5)}
SENTIMENT_LABELS_GENERIC = {0: "LABEL_0", 1: "LABEL_1", 2: "LABEL_2"}
NLI_LABELS = {0: "entailment", 1: "neutral", 2: "contradiction"}


def build_tokenizer(model_max_length: int | None):
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, processors, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.WordLevel(unk_token="<unk>"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    tok.train_from_iterator(CORPUS, trainers.WordLevelTrainer(special_tokens=SPECIALS, min_frequency=1))
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", 0), ("</s>", 2)])
    tok.decoder = decoders.WordPiece(prefix="##", cleanup=False)  # words joined by spaces
    kwargs = {} if model_max_length is None else {"model_max_length": model_max_length}
    return PreTrainedTokenizerFast(
        tokenizer_object=tok, bos_token="<s>", eos_token="</s>", pad_token="<pad>",
        unk_token="<unk>", cls_token="<s>", sep_token="</s>", mask_token="<mask>", **kwargs)


def _save_bart(path: Path, seed: int) -> None:
    import torch
    from transformers import BartConfig, BartForConditionalGeneration

    tokenizer = build_tokenizer(BART_MAX_POSITIONS)
    torch.manual_seed(seed)
    config = BartConfig(
        vocab_size=len(tokenizer), d_model=16, encoder_layers=1, decoder_layers=1,
        encoder_attention_heads=2, decoder_attention_heads=2, encoder_ffn_dim=32,
        decoder_ffn_dim=32, max_position_embeddings=BART_MAX_POSITIONS, init_std=0.5,
        pad_token_id=1, bos_token_id=0, eos_token_id=2, decoder_start_token_id=2,
        forced_bos_token_id=0, forced_eos_token_id=2)
    BartForConditionalGeneration(config).save_pretrained(path)
    tokenizer.save_pretrained(path)


def _save_classifier(path: Path, id2label: dict[int, str], seed: int, *, head: bool = True) -> None:
    import torch
    from transformers import RobertaConfig, RobertaForSequenceClassification, RobertaModel

    tokenizer = build_tokenizer(None)  # no tokenizer limit: the budget comes from the config
    torch.manual_seed(seed)
    config = RobertaConfig(
        vocab_size=len(tokenizer), hidden_size=16, num_hidden_layers=1, num_attention_heads=2,
        intermediate_size=32, max_position_embeddings=CLASSIFIER_MAX_POSITIONS,
        initializer_range=0.5, pad_token_id=1, bos_token_id=0, eos_token_id=2,
        num_labels=len(id2label), id2label=dict(id2label),
        label2id={v: k for k, v in id2label.items()})
    model = RobertaForSequenceClassification(config) if head else RobertaModel(config, add_pooling_layer=False)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)


def build_tiny_models(root: Path) -> dict[str, Path]:
    """Write every tiny checkpoint under `root`; returns name → folder."""
    root = Path(root)
    paths = {
        "bart": root / "tiny-bart",
        "sentiment": root / "tiny-sentiment-pos-neg-neu",
        "sentiment_binary": root / "tiny-sentiment-binary",
        "sentiment_stars": root / "tiny-sentiment-stars",
        "sentiment_generic": root / "tiny-sentiment-generic",
        "nli": root / "tiny-nli",
        "headless": root / "tiny-roberta-no-head",
    }
    _save_bart(paths["bart"], seed=0)
    _save_classifier(paths["sentiment"], SENTIMENT_LABELS_POS_NEG_NEU, seed=1)
    _save_classifier(paths["sentiment_binary"], SENTIMENT_LABELS_BINARY, seed=2)
    _save_classifier(paths["sentiment_stars"], SENTIMENT_LABELS_STARS, seed=3)
    _save_classifier(paths["sentiment_generic"], SENTIMENT_LABELS_GENERIC, seed=4)
    _save_classifier(paths["nli"], NLI_LABELS, seed=5)
    _save_classifier(paths["headless"], SENTIMENT_LABELS_POS_NEG_NEU, seed=6, head=False)
    return paths
