"""Run newsflow like a Prefect shop: serve the flow as a scheduled deployment, start the local UI.

`newsflow serve` registers the deployment `newsflow-analyse-news/newsflow-scheduled` with a
cron or interval schedule and the run's options as its default parameters, then runs its flow
runs in this process's runner until stopped (Ctrl-C pauses the schedule). `newsflow ui` starts
`prefect server start` on 127.0.0.1:4200 with telemetry and promotional content off and the
project-local PREFECT_HOME; every other command uses that server when it is running.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path
from typing import Any

from newsflow.config import RunConfig
from newsflow.environment import UI_HOST, UI_PORT, local_api_url, server_environment, server_is_up

DEPLOYMENT_NAME = "newsflow-scheduled"


def deployment_parameters(config: RunConfig, lock_wait_seconds: float, prune: bool = False) -> dict[str, Any]:
    """The deployment's default parameters: the flow's `config` (JSON, absolute folders, so a
    run does not depend on the runner's working directory), `lock_wait_seconds` and `prune`."""
    absolute = config.model_copy(update={"input_dir": Path(config.input_dir).resolve(),
                                         "output_dir": Path(config.output_dir).resolve()})
    return {"config": absolute.model_dump(mode="json"), "lock_wait_seconds": lock_wait_seconds, "prune": prune}


def serve(config: RunConfig, *, cron: str | None = None, interval: float | None = None,
          name: str = DEPLOYMENT_NAME, lock_wait_seconds: float = 0.0, prune: bool = False, limit: int = 1) -> None:
    """Create/update the deployment with its schedule and serve it (blocks until interrupted).

    `limit=1`: the runner starts one run of it at a time; a run that comes due while another is
    still going waits for it (and the output folder's file lock guards against any other writer).
    """
    if (cron is None) == (interval is None):
        raise ValueError("give exactly one of cron or interval")
    from prefect import serve as serve_deployments
    from prefect.deployments.runner import EntrypointType

    from newsflow.flows.analyse_news import analyse_news

    deployment = analyse_news.to_deployment(
        name=name,
        cron=cron,
        interval=interval,
        parameters=deployment_parameters(config, lock_wait_seconds, prune),
        description="newsflow: sections, summaries, sentiment and stance of every new or changed article, as Parquet",
        tags=["newsflow"],
        # `flows.analyse_news` is an installed package: runs import it from any working directory.
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    # `prefect.serve(deployment)` rather than `analyse_news.serve(...)`: the latter hands the
    # runner the in-memory flow, which it cloudpickles *by value* into each run's subprocess; the
    # copy's globals lack `RunConfig` (only a string annotation under `from __future__ import
    # annotations`), so Prefect 3.9 fails every run's parameter validation. A served deployment
    # is imported from its entrypoint by `python -m prefect.engine` instead.
    serve_deployments(deployment, limit=limit)


def prefect_executable() -> list[str]:
    exe = Path(sys.executable).with_name("prefect")
    if exe.exists():
        return [str(exe)]
    found = shutil.which("prefect")
    return [found] if found else [sys.executable, "-m", "prefect"]


def ui_command(host: str = UI_HOST, port: int = UI_PORT) -> list[str]:
    return [*prefect_executable(), "server", "start", "--host", host, "--port", str(port)]


def start_ui(host: str = UI_HOST, port: int = UI_PORT) -> int:
    """Exec `prefect server start` in place of this process; 0 at once if one already answers."""
    if server_is_up(local_api_url(host, port)):
        print(f"a Prefect server is already running: http://{host}:{port}")
        return 0
    command = ui_command(host, port)
    env = server_environment(host, port)
    print(f"Prefect UI: http://{host}:{port}  (PREFECT_HOME={env.get('PREFECT_HOME')}; Ctrl-C stops it)", flush=True)
    os.execvpe(command[0], command, env)
    return 0  # not reached
