"""Which device the models run on, and how tensors get there.

'auto' is a CUDA GPU when torch sees one, else the CPU; 'cuda' without a GPU is a
DeviceUnavailableError (never a silent fall-back to the CPU). On a GPU the encoder runs in bf16
and host batches travel through pinned memory; on the CPU nothing changes (fp32, no copies).
`precision` overrides the dtype: 'bf16' on a CPU with bf16 matrix units (Intel AMX, AVX512-BF16)
runs the encoder about 3x faster than fp32, and 'fp32' keeps a GPU in fp32.
"""

from __future__ import annotations

from typing import Any

from newsflow.errors import DeviceUnavailableError


def cuda_available() -> bool:
    import torch

    return bool(torch.cuda.is_available())


def resolve_device(requested: str) -> str:
    """'cpu' or 'cuda[:N]' for 'auto', 'cpu', 'cuda' or 'cuda:N'; raises DeviceUnavailableError
    when a GPU is asked for and torch sees none (or not that one)."""
    if requested == "cpu":
        return "cpu"
    if requested == "auto":
        return "cuda" if cuda_available() else "cpu"
    if requested == "cuda" or requested.startswith("cuda:"):
        import torch

        if not torch.cuda.is_available():
            build = f"torch {torch.__version__}" + ("" if torch.version.cuda else ", a build without CUDA")
            raise DeviceUnavailableError(requested, f"torch sees no CUDA GPU ({build})")
        index = requested.partition(":")[2]
        if index and not (index.isdigit() and int(index) < torch.cuda.device_count()):
            raise DeviceUnavailableError(requested, f"torch sees {torch.cuda.device_count()} GPU(s)")
        return requested
    raise DeviceUnavailableError(requested, "unknown device; expected 'auto', 'cpu' or 'cuda'")


def planned_device(requested: str) -> str:
    """What `resolve_device` would pick, without raising (sizing batches before any model loads;
    a missing GPU is reported when the models load)."""
    if requested == "auto":
        return "cuda" if cuda_available() else "cpu"
    return requested


PRECISIONS = ("auto", "fp32", "bf16")


def model_dtype(device: str, precision: str = "auto"):
    """'auto': bf16 on a GPU (tensor cores; probabilities within 1e-2 of fp32), fp32 on the CPU;
    'fp32' or 'bf16' on either."""
    import torch

    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}; expected one of {PRECISIONS}")
    if precision == "auto":
        return torch.bfloat16 if device.startswith("cuda") else torch.float32
    return torch.bfloat16 if precision == "bf16" else torch.float32


def to_device(tensors: dict[str, Any], device) -> dict[str, Any]:
    """Host tensors onto `device`: on a GPU through pinned memory, copied asynchronously (the
    stream orders them before the kernels that read them); on the CPU unchanged."""
    if getattr(device, "type", str(device)) == "cpu":
        return dict(tensors)
    return {k: v.pin_memory().to(device, non_blocking=True) for k, v in tensors.items()}
