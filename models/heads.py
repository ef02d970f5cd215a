"""The trained heads shared by embedded sentiment and stance: safetensors files read once, one
forward rule for training and inference (linear, or one tanh hidden layer), softmax on top."""

from __future__ import annotations

from pathlib import Path

import numpy as np

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
SENTIMENT_HEAD = ARTIFACTS / "sentiment_head.safetensors"
STANCE_HEAD = ARTIFACTS / "stance_head.safetensors"


def load_head(path: str | Path) -> tuple[dict[str, object], dict[str, str]]:
    """Tensors and metadata of a head file; raises ModelLoadError when missing or unreadable."""
    from safetensors import safe_open

    from newsflow.errors import ModelLoadError

    try:
        with safe_open(str(path), framework="pt") as fh:
            tensors = {k: fh.get_tensor(k) for k in fh.keys()}
            meta = dict(fh.metadata() or {})
    except Exception as exc:
        raise ModelLoadError(str(path), f"could not read the head weights ({exc}); "
                             "run `python -m newsflow.models.training.train_heads`") from exc
    return tensors, meta


def head_logits(tensors: dict[str, "object"], x):
    """Forward pass shared by training and inference: linear, or one tanh hidden layer."""
    import torch

    if "w2" in tensors:
        h = torch.tanh(x @ tensors["w1"].T + tensors["b1"])
        return h @ tensors["w2"].T + tensors["b2"]
    return x @ tensors["w1"].T + tensors["b1"]


def head_probabilities(tensors: dict[str, object], x) -> object:
    """Softmax of the head's logits for a float32 matrix (numpy or torch), under inference_mode."""
    import torch

    if isinstance(x, np.ndarray):
        x = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))
    with torch.inference_mode():
        return torch.softmax(head_logits(tensors, x), dim=-1)
