"""models/bert.py computes what transformers' BertModel computes (SDPA attention), and the
checkpoint's tokenizer.json read by `tokenizers` gives what AutoTokenizer gives: the embedded
encoder no longer imports transformers, so these pin it to the library's reference."""

from __future__ import annotations

import pytest
import torch

from newsflow.models.bert import BertConfig, BertLayer, key_mask, load_bert
from newsflow.models.encoder import embedded_model_path

SENTENCES = [
    "Russian President Vladimir Putin completed negotiations with North Korean leader Kim Jong-un.",
    "Shares fell 3.2% on Tuesday.",
    "“We are acting in the name of peace,” he said — in Pyongyang’s café, naïvely.",
    "",
    "Ok.",
    " ".join(["sanctions"] * 300),  # over 256 tokens: truncated
]


@pytest.fixture(scope="module")
def reference():
    transformers = pytest.importorskip("transformers")
    path = str(embedded_model_path())
    model = transformers.AutoModel.from_pretrained(path, local_files_only=True, use_safetensors=True,
                                                   attn_implementation="sdpa")
    return model.eval(), transformers.AutoTokenizer.from_pretrained(path, local_files_only=True)


def test_token_ids_and_offsets_match_autotokenizer(encoder, reference):
    _, tokenizer = reference
    ids, offsets = encoder.token_ids(SENTENCES, offsets=True)
    expected = tokenizer(SENTENCES, truncation=True, max_length=256, return_offsets_mapping=True)
    assert ids == expected["input_ids"]
    assert [[tuple(o) for o in row] for row in offsets] == [[tuple(o) for o in row] for row in expected["offset_mapping"]]
    assert len(ids[-1]) == 256 and ids[3] == [101, 102]  # truncated; the empty sentence is [CLS] [SEP]


def test_token_states_match_transformers_bert_model(encoder, reference):
    model, _ = reference
    batch = encoder.pad(encoder.token_ids(SENTENCES)[0])
    with torch.inference_mode():
        ours, after_four = encoder.model(batch.input_ids, batch.attention_mask, keep_after=4)
        theirs = model(input_ids=batch.input_ids, attention_mask=batch.attention_mask, output_hidden_states=True)
    real = batch.attention_mask.bool()
    assert torch.equal(ours[real], theirs.last_hidden_state[real])  # bit-identical: the same operations in the same order
    assert torch.equal(after_four[real], theirs.hidden_states[4][real])


def test_one_layer_matches_transformers_bert_layer_in_eval_mode(reference):
    from transformers.models.bert.modeling_bert import BertLayer as ReferenceLayer

    model, _ = reference
    ours = BertLayer(BertConfig.from_file(embedded_model_path() / "config.json")).eval()
    ours.load_state_dict(model.encoder.layer[5].state_dict(), strict=True)
    theirs = ReferenceLayer(model.config).eval()
    theirs.load_state_dict(model.encoder.layer[5].state_dict())
    torch.manual_seed(0)
    hidden = torch.randn(3, 7, 384)
    mask = torch.tensor([[1] * 7, [1] * 4 + [0] * 3, [1] * 2 + [0] * 5])
    additive = (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min
    with torch.inference_mode():
        got, want = ours(hidden, key_mask(mask)), theirs(hidden, additive)
    want = want[0] if isinstance(want, tuple) else want
    real = mask.bool()
    assert torch.equal(got[real], want[real])


def test_dropout_only_in_training_mode():
    layer = BertLayer(BertConfig.from_file(embedded_model_path() / "config.json"))
    hidden, mask = torch.randn(2, 5, 384), key_mask(torch.ones(2, 5, dtype=torch.long))
    layer.eval()
    assert torch.equal(layer(hidden, mask), layer(hidden, mask))
    layer.train()
    torch.manual_seed(1)
    a = layer(hidden, mask)
    assert not torch.equal(a, layer(hidden, mask))


def test_a_checkpoint_of_another_kind_is_refused_with_the_reason(tmp_path):
    (tmp_path / "config.json").write_text('{"model_type": "bert", "hidden_act": "relu"}')
    with pytest.raises(ValueError, match="hidden_act"):
        load_bert(tmp_path)
