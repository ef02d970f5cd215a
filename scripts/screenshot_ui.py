#!/usr/bin/env python3
"""Screenshot check of the Prefect UI: run the flow once against a real Prefect server, render
the flow run's page (and its report artifact) in headless Chromium, and fail if a PNG is missing
or blank.

    .venv/bin/python scripts/screenshot_ui.py                        # starts its own server
    .venv/bin/python scripts/screenshot_ui.py --api-url http://127.0.0.1:4200/api   # use a running one

PNGs go to outputs/screenshots/ (git-ignored). Everything started is stopped by process group.
"""

from __future__ import annotations

import argparse
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import urllib.request
import zlib
from pathlib import Path
from newsflow.environment import free_port, isolated_environment, server_is_up, stop_process_group

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
INPUTS = [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests" / "articles").iterdir()]








def png_problem(path: Path) -> str | None:
    """None if `path` is a PNG with visible content; else what is wrong. Blank = one colour, seen
    as a decompressed image stream of (almost) one byte value (no Pillow needed)."""
    if not path.is_file() or path.stat().st_size == 0:
        return "missing"
    data = path.read_bytes()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        return "not a PNG"
    pos, idat = 8, b""
    while pos + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    raw = zlib.decompress(idat)
    counts = [0] * 256
    for b in raw[:: max(1, len(raw) // 2_000_000)]:
        counts[b] += 1
    distinct = sum(c > 0 for c in counts)
    if distinct < 16 or max(counts) > 0.995 * sum(counts):
        return f"blank ({distinct} distinct byte values)"
    return None


def chromium_run(chromium: str, url: str, *action: str) -> str:
    """Headless Chromium on `url` with a fresh profile; its stdout (the DOM for --dump-dom)."""
    with tempfile.TemporaryDirectory(prefix="newsflow-chromium-") as profile:
        done = subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                               "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                               "--window-size=1400,1000", "--virtual-time-budget=15000", "--hide-scrollbars",
                               *action, url],
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, timeout=120, check=False,
                              start_new_session=True, text=True)
    return done.stdout


def screenshot(url: str, png: Path, chromium: str) -> None:
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    chromium_run(chromium, url, f"--screenshot={png}")


def dom_problem(url: str, chromium: str, expected: list[str]) -> str | None:
    """The rendered page must show what we expect, not the UI's "can't connect" error."""
    dom = chromium_run(chromium, url, "--dump-dom")
    if "connect to Server API" in dom:
        return "the UI could not reach the server API"
    missing = [text for text in expected if text not in dom]
    return f"rendered page lacks {missing}" if missing else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--api-url", help="a running Prefect server's API, e.g. http://127.0.0.1:4200/api")
    parser.add_argument("--out", type=Path, default=ROOT / "outputs" / "screenshots")
    args = parser.parse_args()
    chromium = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if not chromium:
        print("chromium not found (apt-get install -y chromium)", file=sys.stderr)
        return 2

    work = Path(tempfile.mkdtemp(prefix="newsflow-screenshot-"))
    server = None
    try:
        env = isolated_environment(os.environ.get("PREFECT_HOME", str(ROOT / ".prefect")))
        if args.api_url:
            api_url = args.api_url.rstrip("/")
            env["PREFECT_HOME"] = os.environ.get("PREFECT_HOME", str(ROOT / ".prefect"))
        else:
            port = free_port()
            api_url = f"http://127.0.0.1:{port}/api"
            env["PREFECT_HOME"] = str(work / "prefect-home")
            env["PREFECT_SERVER_UI_API_URL"] = api_url  # else the UI's browser code calls port 4200
            log = open(work / "server.log", "wb")
            server = subprocess.Popen([str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                      env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        env["PREFECT_API_URL"] = api_url
        deadline = time.monotonic() + 90
        while not server_is_up(api_url):
            if server is not None and server.poll() is not None or time.monotonic() > deadline:
                print(f"no healthy Prefect server at {api_url}", file=sys.stderr)
                return 1
            time.sleep(0.5)
        print(f"Prefect server: {api_url}")

        inputs, out = work / "in", work / "out"
        inputs.mkdir()
        for f in INPUTS:
            shutil.copy(f, inputs / f.name)
        t0 = time.perf_counter()
        subprocess.run([str(BIN / "newsflow"), "run", str(inputs), "--out", str(out), "--docs-per-batch", "2"],
                       env=env, cwd=work, check=True, stdout=subprocess.DEVNULL, timeout=300)
        print(f"flow run finished in {time.perf_counter() - t0:.1f}s")
        import pyarrow.dataset as ds

        [run_id] = ds.dataset(out / "runs", format="parquet").to_table(columns=["run_id"])["run_id"].to_pylist()
        ui = api_url.removesuffix("/api")
        pages = {"flow-run.png": (f"{ui}/runs/flow-run/{run_id}", ["newsflow-analyse-news", "Completed"])}
        report_id = report_artifact_id(api_url, run_id)
        if report_id:
            pages["report-artifact.png"] = (f"{ui}/artifacts/artifact/{report_id}",
                                            ["Putin and Kim Jong-un completed six-hour talks"])
        failed = False
        for name, (url, expected) in pages.items():
            png = args.out / name
            screenshot(url, png, chromium)
            problem = png_problem(png) or dom_problem(url, chromium, expected)
            print(f"{url} -> {png}: {problem or f'ok ({png.stat().st_size} bytes)'}")
            failed |= problem is not None
        return 1 if failed else 0
    finally:
        if server is not None:
            stop_process_group(server)
        shutil.rmtree(work, ignore_errors=True)


def report_artifact_id(api_url: str, run_id: str) -> str | None:
    import json

    body = json.dumps({"artifacts": {"flow_run_id": {"any_": [run_id]}, "key": {"any_": ["newsflow-report"]}}}).encode()
    request = urllib.request.Request(f"{api_url}/artifacts/filter", data=body, method="POST",
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        found = json.load(response)
    return found[0]["id"] if found else None


if __name__ == "__main__":
    sys.exit(main())
