"""Process-level settings the CLI applies before Prefect is imported: a project-local Prefect
home, telemetry off, and the local UI server's API when one is running."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import urllib.request
from pathlib import Path

UI_HOST = "127.0.0.1"
UI_PORT = 4200


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
    defaults = {
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_SERVER_UI_SHOW_PROMOTIONAL_CONTENT": "false",
        "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90",
        "PREFECT_LOGGING_LEVEL": "INFO",
        "TOKENIZERS_PARALLELISM": "false",
    }
    for key, value in defaults.items():
        os.environ.setdefault(key, value)
    if "PREFECT_API_URL" not in os.environ and server_is_up(local_api_url()):
        os.environ["PREFECT_API_URL"] = local_api_url()
    return os.environ.get("PREFECT_API_URL")


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
