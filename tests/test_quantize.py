"""--quantize: int8 dynamic quantization of the encoder with each block's FFN output projection
kept in fp32 (the layers whose int8 error cost 0.05 sentiment macro-F1)."""

from __future__ import annotations

import numpy as np
import torch

from newsflow.config import ModelChoice
from newsflow.models.encoder import INT8_SCHEME, SentenceEncoder, embedded_model_path, int8_layers
from newsflow.models.registry import model_versions


def test_int8_layers_are_all_linears_but_the_ffn_outputs(encoder):
    layers = int8_layers(encoder.model)
    assert len(layers) == 30  # 6 blocks × (q, k, v, attention output, FFN in); no pooler (models/bert.py)
    assert "encoder.layer.0.attention.output.dense" in layers and "encoder.layer.5.intermediate.dense" in layers
    assert not any(f"encoder.layer.{i}.output.dense" in layers for i in range(6))


def test_quantized_encoder_keeps_ffn_outputs_fp32_and_stays_close(encoder):
    int8 = SentenceEncoder(embedded_model_path(), quantize=True)
    modules = dict(int8.model.named_modules())
    assert type(modules["encoder.layer.3.output.dense"]) is torch.nn.Linear
    assert type(modules["encoder.layer.3.intermediate.dense"]).__name__ == "Linear" and \
        type(modules["encoder.layer.3.intermediate.dense"]).__module__.startswith("torch.ao.nn.quantized")
    sentences = ["Profits soared to a record and the company raised its dividend.",
                 "The company cut 2,000 jobs after sales collapsed."]
    cosine = (int8.encode(sentences) * encoder.encode(sentences)).sum(1)
    assert float(cosine.min()) > 0.98 and np.isfinite(cosine).all()


def test_the_int8_scheme_is_part_of_the_fingerprint_input():
    plain, int8 = model_versions(ModelChoice()), model_versions(ModelChoice(quantize=True))
    assert int8["encoder"] == plain["encoder"] + "+" + INT8_SCHEME
