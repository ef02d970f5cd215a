"""The one module that writes down newsflow's Prefect environment: telemetry and promotional
content off, a project-local (or throwaway) Prefect home, the local UI server's API when one is
running. The CLI applies it before Prefect is imported; the UI server, tests, the benchmark and
the screenshot script build their child processes' environments from it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path
from typing import Mapping

UI_HOST = "127.0.0.1"
UI_PORT = 4200

# Prefect 3.9 setting names (prefect/settings/models/server/{root,ui}.py). The UI one has no
# short alias: PREFECT_UI_SHOW_PROMOTIONAL_CONTENT is *not* read by 3.9.
PREFECT_ENV: dict[str, str] = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
    "TOKENIZERS_PARALLELISM": "false",
}


def local_api_url(host: str = UI_HOST, port: int = UI_PORT) -> str:
    return f"http://{host}:{port}/api"


def server_is_up(api_url: str, timeout: float = 0.5) -> bool:
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def apply_defaults(project_dir: Path | None = None) -> str | None:
    """Set defaults (never overriding the user's own); return the API URL in use, None = ephemeral."""
    home = Path(project_dir or Path.cwd()) / ".prefect"
    # HF_HUB_DISABLE_PROGRESS_BARS: transformers' "Loading weights" bar would interleave with the run's logs
    defaults = {"PREFECT_HOME": str(home), **PREFECT_ENV, "PREFECT_LOGGING_LEVEL": "INFO",
                "HF_HUB_DISABLE_PROGRESS_BARS": "1"}
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if "PREFECT_API_URL" not in os.environ and server_is_up(local_api_url()):
        os.environ["PREFECT_API_URL"] = local_api_url()
    return os.environ.get("PREFECT_API_URL")


def isolated_environment(home: Path | str, base: Mapping[str, str] | None = None, api_url: str | None = None,
                         **extra: str) -> dict[str, str]:
    """A child process's environment: `base` (default: this process's) without any PREFECT_*
    setting, plus PREFECT_ENV, its own PREFECT_HOME, the API it reports to (None: ephemeral)."""
    env = {k: v for k, v in (os.environ if base is None else base).items() if not k.startswith("PREFECT_")}
    env.update(PREFECT_ENV)
    env["PREFECT_HOME"] = str(home)
    if api_url:
        env["PREFECT_API_URL"] = api_url
    env.update(extra)
    return env


def server_environment(host: str = UI_HOST, port: int = UI_PORT, base: Mapping[str, str] | None = None) -> dict[str, str]:
    """`prefect server start`'s environment: PREFECT_ENV, the PREFECT_HOME in use (apply_defaults
    has set it unless the user chose one), the browser's API URL (`--port` alone leaves it at
    4200), and no PREFECT_API_URL pointing elsewhere (the UI would talk to that server instead)."""
    env = dict(os.environ if base is None else base)
    env.update(PREFECT_ENV)
    env["PREFECT_SERVER_UI_API_URL"] = local_api_url(host, port)
    if env.get("PREFECT_API_URL") not in (None, local_api_url(host, port)):
        env.pop("PREFECT_API_URL")
    return env


class TemporaryAPI:
    """A Prefect API server for this process only, stopped when the process exits."""

    def __init__(self, process: subprocess.Popen, api_url: str):
        self.process, self.api_url = process, api_url

    def wait_ready(self, timeout: float | None = None) -> None:
        """Block until the API answers /health; RuntimeError if it exits or times out."""
        timeout = timeout or float(os.environ.get("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "90"))
        deadline = time.monotonic() + timeout
        while not server_is_up(self.api_url, timeout=0.5):
            if self.process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect API exited with code {self.process.returncode}")
            if time.monotonic() > deadline:
                raise RuntimeError(f"the temporary Prefect API did not answer within {timeout:.0f}s")
            time.sleep(0.05)

    def stop(self) -> None:
        """Stop the server; PREFECT_API_URL no longer points at it."""
        if os.environ.get("PREFECT_API_URL") == self.api_url:
            del os.environ["PREFECT_API_URL"]
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def start_temporary_api(host: str = UI_HOST) -> TemporaryAPI:
    """Start what Prefect's ephemeral mode starts (its SubprocessASGIServer command: uvicorn with
    `prefect.server.api.server:create_app`, the UI off, the same PREFECT_HOME database) and point
    PREFECT_API_URL at it, before Prefect is imported. Unlike the ephemeral mode, this process
    never imports the server application itself (seconds of imports), and the server boots while
    the caller imports the flow and loads the models. Stopped at exit (registered before Prefect
    is imported, so it runs after Prefect's own exit handlers have flushed logs and events).
    Call `wait_ready()` before the flow runs."""
    import atexit
    import importlib.util
    import sys

    spec = importlib.util.find_spec("prefect")
    if spec is None or spec.origin is None:
        raise RuntimeError("prefect is not installed")
    port = free_port(host)
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent), "--factory",
         "prefect.server.api.server:create_app", "--host", host, "--port", str(port), "--log-level", "error",
         "--lifespan", "on"], env=env)
    api = TemporaryAPI(process, local_api_url(host, port))
    atexit.register(api.stop)
    os.environ["PREFECT_API_URL"] = api.api_url
    os.environ.setdefault("PREFECT_UI_URL", "")  # no UI is served: no "View at" link to a dead page
    return api


def free_port(host: str = UI_HOST) -> int:
    with socket.socket() as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def stop_process_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group (started with start_new_session=True), SIGKILL it after 15 s."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # stragglers in the group (flow-run subprocesses)
    except ProcessLookupError:
        pass
    proc.wait(timeout=5)
