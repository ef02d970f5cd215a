"""The embedded encoder's network: a BERT encoder (all-MiniLM-L6-v2) as plain torch modules.

Why not `transformers.AutoModel`: loading the encoder through it took 2.5–3.9 s on the 2-core
machine, nearly all of it importing `transformers`' BERT module (its lazy-import scan,
`torch.distributed.tensor`, `torch._dynamo`, scipy through its loss functions), for a network that
is embeddings, six `scaled_dot_product_attention` blocks and layer norms; these modules load in
0.3–0.5 s. They compute exactly what `transformers`' `BertModel` computes with its SDPA attention
(same operations, same order) and keep its parameter names, so the checkpoint's `model.safetensors`
and the stance head's fine-tuned layers (`top.<i>.…`) load as they are, and `--quantize` finds the
same Linear layers.
`tests/test_bert.py` checks the outputs against `transformers`' `BertModel` and `BertLayer`.
`transformers` stays the path for Hub models (`models/hub.py`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import torch
from torch import nn
from torch.nn import functional as F


@dataclass(frozen=True)
class BertConfig:
    """The fields of a BERT `config.json` this network reads."""

    vocab_size: int
    hidden_size: int
    num_hidden_layers: int
    num_attention_heads: int
    intermediate_size: int
    max_position_embeddings: int
    type_vocab_size: int
    layer_norm_eps: float
    hidden_dropout_prob: float = 0.1
    attention_probs_dropout_prob: float = 0.1

    @classmethod
    def from_file(cls, path: Path) -> "BertConfig":
        """Read `config.json`; ValueError for a checkpoint this network does not compute exactly
        (another architecture, activation or position embedding)."""
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
        unsupported = {k: raw.get(k, v) for k, v in (("model_type", "bert"), ("hidden_act", "gelu"),
                                                      ("position_embedding_type", "absolute"))
                       if raw.get(k, v) != v}
        if unsupported:
            raise ValueError(f"not a BERT encoder this network computes: {unsupported}")
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__ if k in raw})


def _container(**children: nn.Module) -> nn.Module:
    """A module holding children under `transformers`' names (e.g. `attention.self.query`)."""
    module = nn.Module()
    for name, child in children.items():
        module.add_module(name, child)
    return module


class BertEmbeddings(nn.Module):
    def __init__(self, config: BertConfig):
        super().__init__()
        d = config.hidden_size
        self.word_embeddings = nn.Embedding(config.vocab_size, d)
        self.position_embeddings = nn.Embedding(config.max_position_embeddings, d)
        self.token_type_embeddings = nn.Embedding(config.type_vocab_size, d)
        self.LayerNorm = nn.LayerNorm(d, eps=config.layer_norm_eps)
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, input_ids: torch.Tensor) -> torch.Tensor:
        """Word + token type 0 + position embeddings, normalised (one segment, positions from 0)."""
        positions = torch.arange(input_ids.shape[1], device=input_ids.device)
        x = self.word_embeddings(input_ids) + self.token_type_embeddings.weight[0]
        x = x + self.position_embeddings(positions)
        return self.dropout(self.LayerNorm(x))


class BertLayer(nn.Module):
    """One post-norm block: self-attention (SDPA), then the GELU feed-forward, each added to its
    input and layer-normalised. Dropout only in training mode (fine-tuning the stance layers)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        d = config.hidden_size
        self.heads = config.num_attention_heads
        self.attention_dropout = config.attention_probs_dropout_prob
        self.attention = _container(
            self=_container(query=nn.Linear(d, d), key=nn.Linear(d, d), value=nn.Linear(d, d)),
            output=_container(dense=nn.Linear(d, d), LayerNorm=nn.LayerNorm(d, eps=config.layer_norm_eps)))
        self.intermediate = _container(dense=nn.Linear(d, config.intermediate_size))
        self.output = _container(dense=nn.Linear(config.intermediate_size, d),
                                 LayerNorm=nn.LayerNorm(d, eps=config.layer_norm_eps))
        self.dropout = nn.Dropout(config.hidden_dropout_prob)

    def forward(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        """`hidden` (batch, tokens, dim); `mask` (batch, 1, 1, tokens): True where a token is real."""
        batch, tokens, dim = hidden.shape
        qkv = self.attention.self

        def heads(x: torch.Tensor) -> torch.Tensor:
            return x.view(batch, tokens, self.heads, dim // self.heads).transpose(1, 2)

        context = F.scaled_dot_product_attention(
            heads(qkv.query(hidden)), heads(qkv.key(hidden)), heads(qkv.value(hidden)), attn_mask=mask,
            dropout_p=self.attention_dropout if self.training else 0.0)
        context = context.transpose(1, 2).reshape(batch, tokens, dim)
        out = self.attention.output
        attended = out.LayerNorm(self.dropout(out.dense(context)) + hidden)
        ffn = self.output
        return ffn.LayerNorm(self.dropout(ffn.dense(F.gelu(self.intermediate.dense(attended)))) + attended)


class BertModel(nn.Module):
    """Embeddings and `num_hidden_layers` blocks (`encoder.layer`); no pooler (the sentence
    vector is a mean over tokens, `SentenceEncoder.forward`)."""

    def __init__(self, config: BertConfig):
        super().__init__()
        self.config = config
        self.embeddings = BertEmbeddings(config)
        self.encoder = _container(layer=nn.ModuleList(BertLayer(config) for _ in range(config.num_hidden_layers)))

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                keep_after: int | None = None) -> tuple[torch.Tensor, torch.Tensor | None]:
        """(last layer's token states, the token states after `keep_after` layers or None)."""
        hidden = self.embeddings(input_ids)
        mask = key_mask(attention_mask)
        kept = hidden if keep_after == 0 else None
        for i, layer in enumerate(self.encoder.layer, start=1):
            hidden = layer(hidden, mask)
            if i == keep_after:
                kept = hidden
        return hidden, kept


def key_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """(batch, tokens) 1/0 → the (batch, 1, 1, tokens) boolean mask the attention takes."""
    return attention_mask[:, None, None, :].bool()


# checkpoint tensors this network has no use for: the pooler (sentence vectors are token means)
# and a buffer older checkpoints saved
_UNUSED = ("pooler.", "embeddings.position_ids")


def load_bert(folder: Path) -> BertModel:
    """The network of a BERT checkpoint folder (`config.json` + `model.safetensors`), fp32, in
    eval mode. ValueError when the files do not describe a BERT encoder or its tensors do not
    fit (names and shapes are checked strictly)."""
    from safetensors.torch import load_file

    folder = Path(folder)
    model = BertModel(BertConfig.from_file(folder / "config.json"))
    tensors = {k.removeprefix("bert."): v for k, v in load_file(str(folder / "model.safetensors")).items()}
    state = {k: v for k, v in tensors.items() if not k.startswith(_UNUSED)}
    try:
        model.load_state_dict(state, strict=True)
    except RuntimeError as exc:
        raise ValueError(str(exc)) from exc
    return model.eval()
