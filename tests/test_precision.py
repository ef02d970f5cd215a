"""--precision bf16 on the CPU: the models run in bf16 (about 3x faster on a CPU with AMX or
AVX512-BF16, correct but slower elsewhere) and the 15 test articles' analysis equals fp32's to the
labels, probabilities within 1e-2 — the same check tests/test_gpu.py makes for a GPU, here on
every machine. int8 and bf16 exclude each other; the rows name the bf16 encoder."""

from __future__ import annotations

import pytest
import torch
import typer

from tests.test_gpu import analyse, assert_equal_to_the_labels, model_set
from tests.test_gpu import HUB_TOLERANCE
from tests.test_gpu import prepared  # noqa: F401 (the module's fixture: the 15 test articles, prepared)


def test_bf16_on_the_cpu_equals_fp32_to_the_labels(prepared):  # noqa: F811
    assert_equal_to_the_labels(analyse(prepared, "cpu"), analyse(prepared, "cpu", "bf16"))


def test_bf16_models_sit_on_the_cpu_in_bf16_and_the_rows_say_so():
    models = model_set("cpu", "bf16")
    params = list(models.encoder.model.parameters()) + list(models.stance.top_layers.parameters())
    assert {(p.device.type, p.dtype) for p in params} == {("cpu", torch.bfloat16)}
    assert models.ids()["encoder"] == "sentence-transformers/all-MiniLM-L6-v2+bf16"
    assert model_set("cpu").ids()["encoder"] == "sentence-transformers/all-MiniLM-L6-v2"
    vectors = models.encoder.encode(["Parliament passed the budget on Tuesday."])
    assert vectors.dtype == "float32" and abs(float((vectors**2).sum()) - 1.0) < 1e-5  # pooled in fp32


def test_fp32_precision_is_the_cpu_default_and_unknown_precision_is_refused():
    from newsflow.models.device import model_dtype

    assert model_dtype("cpu") == torch.float32 and model_dtype("cpu", "fp32") == torch.float32
    assert model_dtype("cuda") == torch.bfloat16 and model_dtype("cuda", "fp32") == torch.float32
    assert model_dtype("cpu", "bf16") == torch.bfloat16
    with pytest.raises(ValueError, match="unknown precision 'fp16'"):
        model_dtype("cpu", "fp16")


def test_int8_and_bf16_exclude_each_other_with_a_clear_message(tmp_path):
    from newsflow.cli import build_config

    with pytest.raises(typer.BadParameter, match=r"--quantize \(int8\) and --precision bf16 exclude each other"):
        build_config(tmp_path, tmp_path / "out", None, None, None, None, None, quantize=True, precision="bf16")
    with pytest.raises(typer.BadParameter, match="^--precision: Input should be 'auto', 'fp32' or 'bf16'$"):
        build_config(tmp_path, tmp_path / "out", None, None, None, None, None, precision="fp16")
    config = build_config(tmp_path, tmp_path / "out", None, None, None, None, None, precision="bf16")
    assert config.execution.precision == "bf16"
    # the precision is how a run is carried out, like the device: not part of the skip key
    assert config.fingerprint({}) == build_config(tmp_path, tmp_path / "out", None, None, None, None,
                                                  None).fingerprint({})


def test_hub_adapter_in_bf16_on_the_cpu_matches_fp32(tmp_path):
    from newsflow.models.base import TextUnit
    from newsflow.models.sentiment import HubSentiment
    from tests.tiny_models import CORPUS, build_tiny_models

    tiny = build_tiny_models(tmp_path)
    units = [TextUnit(CORPUS[:8]), TextUnit(CORPUS[8:])]
    fp32 = HubSentiment(tiny["sentiment"], batch_size=4, device="cpu").predict(units)
    model = HubSentiment(tiny["sentiment"], batch_size=4, device="cpu", precision="bf16")
    assert next(model.model.parameters()).dtype == torch.bfloat16
    n = 0
    for fu, bu in zip(fp32, model.predict(units)):
        for a, b in zip(fu, bu):
            assert a.label == b.label
            # the tiny random-weight model moves by up to ~1.0e-2 in bf16 (measured 0.0102): 3e-2 here
            assert all(abs(getattr(a, k) - getattr(b, k)) <= HUB_TOLERANCE for k in ("negative", "neutral", "positive"))
            n += 1
    assert n == len(CORPUS)
