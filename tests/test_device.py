"""--device on a machine without a GPU: 'auto' is the CPU, 'cuda' is a named error that says what to
do, and the batch sizes left unset follow the device. (GPU vs CPU outputs: tests/test_gpu.py.)"""

from __future__ import annotations

import pytest
import torch
from typer.testing import CliRunner

from newsflow.cli import app
from newsflow.config import DEVICE_SIZES, BatchSizes, Execution, RunConfig
from newsflow.errors import DeviceUnavailableError, NewsflowError
from newsflow.models.device import planned_device, resolve_device

no_gpu = pytest.mark.skipif(torch.cuda.is_available(), reason="this machine has a GPU")


def test_cpu_sizes_are_small_batches_and_a_gpu_gets_large_ones():
    assert Execution().sizes("cpu") == BatchSizes(batch_size=32, token_budget=4096, docs_per_batch=32)
    assert DEVICE_SIZES["cuda"] == BatchSizes(batch_size=8192, token_budget=131072, docs_per_batch=1024)


def test_sizes_set_in_the_config_win_on_every_device():
    execution = Execution(batch_size=8, docs_per_batch=3)
    assert execution.sizes("cpu") == BatchSizes(8, 4096, 3)
    assert execution.sizes("cuda:1") == BatchSizes(8, 131072, 3)


def test_device_is_not_part_of_the_fingerprint():
    versions = {"encoder": "x"}
    assert (RunConfig(execution={"device": "cuda"}).fingerprint(versions)
            == RunConfig(execution={"device": "cpu"}).fingerprint(versions) == RunConfig().fingerprint(versions))


def test_cpu_resolves_to_cpu():
    assert resolve_device("cpu") == "cpu"


def test_unknown_device_is_a_named_error():
    with pytest.raises(DeviceUnavailableError, match="unknown device"):
        resolve_device("tpu")


@no_gpu
def test_auto_is_the_cpu_without_a_gpu():
    assert resolve_device("auto") == planned_device("auto") == "cpu"


@no_gpu
def test_cuda_without_a_gpu_is_a_named_error_with_the_fix():
    with pytest.raises(DeviceUnavailableError) as info:
        resolve_device("cuda")
    assert isinstance(info.value, NewsflowError)
    assert "torch sees no CUDA GPU" in str(info.value) and "--device cpu" in str(info.value)
    assert planned_device("cuda") == "cuda"  # sizing never raises; loading does


@no_gpu
def test_cli_run_with_cuda_exits_before_prefect_starts(tmp_path):
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out"), "--device", "cuda"])
    assert result.exit_code == 1
    assert "device 'cuda' cannot be used: torch sees no CUDA GPU" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "out").exists()


@no_gpu
def test_encoder_and_hub_adapters_refuse_cuda_without_a_gpu():
    from newsflow.models.encoder import SentenceEncoder, embedded_model_path
    from newsflow.models.registry import load_models

    with pytest.raises(DeviceUnavailableError):
        SentenceEncoder(embedded_model_path(), device="cuda")
    with pytest.raises(DeviceUnavailableError):
        load_models(device="cuda")


def test_quantize_is_cpu_only():
    from newsflow.models.encoder import SentenceEncoder, embedded_model_path

    device = "cuda" if torch.cuda.is_available() else "cuda:0"
    with pytest.raises(DeviceUnavailableError):
        SentenceEncoder(embedded_model_path(), quantize=True, device=device)


def test_cpu_encoder_stays_fp32_on_the_cpu(encoder):
    assert encoder.device.type == "cpu" and encoder.dtype == torch.float32
    assert {p.device.type for p in encoder.model.parameters()} == {"cpu"}
    assert {p.dtype for p in encoder.model.parameters()} == {torch.float32}
    assert encoder.span_batching == (4096, 32)
