"""`newsflow` command line: run the flow, evaluate models, serve on a schedule, start the UI."""

from __future__ import annotations

import atexit
import os
import sys
import time

STARTED = time.perf_counter()  # the CLI's start: the time line counts from here, not from the flow
_EXIT_STATUS: int | None = None  # set by main(): the command's exit status


@atexit.register  # registered before anything else newsflow imports, so it runs last
def _exit_without_teardown() -> None:
    """End the `newsflow` process once every other exit handler has run (Prefect has flushed its
    logs and events, the temporary API has stopped, logging has flushed): the interpreter's own
    teardown of torch, transformers and Prefect takes ~2 s and writes nothing. Only for the
    command line (`main`); code that imports the CLI exits normally."""
    if _EXIT_STATUS is None:
        return
    if "logging" in sys.modules:  # its own exit handler may have been registered before this one
        sys.modules["logging"].shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(_EXIT_STATUS)

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from newsflow.environment import apply_defaults

app = typer.Typer(add_completion=False, no_args_is_help=True, help=__doc__)
console = Console(width=None if sys.stdout.isatty() else 150)  # logs and CI: no 80-column wrap


@app.callback()
def _root() -> None:
    """newsflow: sections, summaries, sentiment and stance for news articles, as Parquet."""

ProfileOpt = Annotated[Optional[str], typer.Option("--profile", help="'embedded' (default) or 'hub'")]
TargetOpt = Annotated[Optional[list[str]], typer.Option(
    "--target", "-t", help="stance target, aliases after '=' and ',': 'North Korea=DPRK,Pyongyang'")]
InputArg = Annotated[Path, typer.Argument(
    help="a folder of articles (.txt/.md/.html, or .jsonl/.csv/.parquet with one article per record; a "
         "Hive-partitioned Parquet folder too) or one such file")]
TextColumnOpt = Annotated[Optional[str], typer.Option(help="records: the column with the article body [default: text]")]
TitleColumnOpt = Annotated[Optional[str], typer.Option(help="records: the column with the title")]
IdColumnOpt = Annotated[Optional[str], typer.Option(help="records: a stable id column (else the text's hash)")]
KeepColumnOpt = Annotated[Optional[list[str]], typer.Option(
    "--keep-column", help="records: a column carried into documents.metadata (repeatable)")]
TargetsColumnOpt = Annotated[Optional[str], typer.Option(
    help="records: the article's stance targets, a list or names separated by ';' (aliases after '=')")]
PruneOpt = Annotated[bool, typer.Option(help="move articles whose source is gone to history (default: they stay current)")]
LanguageOpt = Annotated[Optional[list[str]], typer.Option(
    "--language", help="a language (ISO 639-1) the models analyse, repeatable [default: en; others need Hub "
                       "models]; articles in other languages are sectioned without model outputs")]
OutOpt = Annotated[Path, typer.Option("--out", "-o", help="output folder for the Parquet datasets")]
SummarizerOpt = Annotated[Optional[str], typer.Option(help="'embedded' or a seq2seq model id/folder")]
SentimentOpt = Annotated[Optional[str], typer.Option(help="'embedded' or a classifier id/folder")]
StanceOpt = Annotated[Optional[str], typer.Option(help="'embedded' or an NLI model id/folder")]
# Defaults live in newsflow.config only: an option left out is not passed, so the config's default applies.
BatchSizeOpt = Annotated[Optional[int], typer.Option(help="sentences per model batch [default: sized for the "
                                                           "device, 32 on the CPU]")]
DocsPerBatchOpt = Annotated[Optional[int], typer.Option(help="documents processed and written together [default: "
                                                              "sized for the device, 32 on the CPU]")]
DeviceOpt = Annotated[Optional[str], typer.Option(help="'auto' (a CUDA GPU when torch sees one), 'cpu' or 'cuda' "
                                                       "[default: auto]")]
QuantizeOpt = Annotated[bool, typer.Option(help="int8 dynamic-quantized encoder")]
PrecisionOpt = Annotated[Optional[str], typer.Option(
    help="'auto' (bf16 on a GPU, fp32 on the CPU), 'fp32' or 'bf16' (on a CPU with AMX / AVX512-BF16 about 3x "
         "faster; probabilities within 1e-2) [default: auto]")]
WaitOpt = Annotated[float, typer.Option(help="seconds a run waits if another run holds the output folder")]


def build_config(input_dir: Path, output_dir: Path, profile: str | None, summarizer: str | None,
                 sentiment: str | None, stance: str | None, targets: list[str] | None, *,
                 quantize: bool = False, reading: dict[str, object] | None = None,
                 languages: list[str] | None = None, **execution: object):
    """The RunConfig the options describe; options left out (None) keep the config's defaults.
    A setting the config rejects (--language with the embedded models) is a BadParameter."""
    import pydantic

    from newsflow.config import PROFILES, RunConfig
    from newsflow.targets import parse_target

    if profile is not None and profile not in PROFILES:
        raise typer.BadParameter(f"unknown profile {profile!r}; choose one of {sorted(PROFILES)}")
    models = PROFILES[profile or "embedded"].with_tasks(summarizer=summarizer, sentiment=sentiment, stance=stance)
    analysis = {"models": models.model_copy(update={"quantize": quantize}),
                "targets": tuple(parse_target(t) for t in targets or ())}
    if languages:
        analysis["languages"] = tuple(languages)
    try:
        return RunConfig(input_dir=input_dir, output_dir=output_dir, analysis=analysis,
                         input={k: v for k, v in (reading or {}).items() if v},
                         execution={k: v for k, v in execution.items() if v is not None})
    except pydantic.ValidationError as exc:
        raise typer.BadParameter("; ".join(_option_error(e) for e in exc.errors())) from None


def _option_error(error: dict) -> str:
    """A config validation error as the user typed it: a field's value error names the option
    ('--precision: Input should be …'); a whole-config rule's message stands alone."""
    message = error["msg"].removeprefix("Value error, ")
    field = next((str(part) for part in reversed(error.get("loc") or ()) if isinstance(part, str)), None)
    return f"--{field.replace('_', '-')}: {message}" if field and error["type"] != "value_error" else message


def reading_options(text_column: str | None, title_column: str | None, id_column: str | None,
                    keep_column: list[str] | None, targets_column: str | None) -> dict[str, object]:
    return {"text_column": text_column, "title_column": title_column, "id_column": id_column,
            "keep_columns": tuple(keep_column or ()), "targets_column": targets_column}


@app.command()
def run(
    input_dir: InputArg = Path("seeds"),
    out: OutOpt = Path("outputs"),
    profile: ProfileOpt = None,
    summarizer: SummarizerOpt = None,
    sentiment: SentimentOpt = None,
    stance: StanceOpt = None,
    target: TargetOpt = None,
    text_column: TextColumnOpt = None,
    title_column: TitleColumnOpt = None,
    id_column: IdColumnOpt = None,
    keep_column: KeepColumnOpt = None,
    targets_column: TargetsColumnOpt = None,
    language: LanguageOpt = None,
    batch_size: BatchSizeOpt = None,
    docs_per_batch: DocsPerBatchOpt = None,
    quantize: QuantizeOpt = False,
    device: DeviceOpt = None,
    precision: PrecisionOpt = None,
    wait: WaitOpt = 0.0,
    max_file_bytes: Annotated[Optional[int], typer.Option(help="larger input files are rejected as too_large "
                                                                "[default: 20000000]")] = None,
    runner: Annotated[str, typer.Option(help="'threads' (default, this process) or 'dask' (a local Dask cluster)")] = "threads",
    dask_address: Annotated[Optional[str], typer.Option(help="run on an existing Dask scheduler, e.g. tcp://host:8786")] = None,
    dask_workers: Annotated[Optional[int], typer.Option(help="--runner dask: worker processes (default: one per core)")] = None,
    prune: PruneOpt = False,
) -> None:
    """Analyse every article under INPUT_DIR (a folder or one file) and write Parquet datasets to --out."""
    api = apply_defaults()
    from newsflow.errors import NewsflowError

    check_api(api)

    config = build_config(input_dir, out, profile, summarizer, sentiment, stance, target,
                          batch_size=batch_size, docs_per_batch=docs_per_batch, quantize=quantize,
                          max_file_bytes=max_file_bytes, languages=language, device=device,
                          precision=precision,
                          reading=reading_options(text_column, title_column, id_column, keep_column, targets_column))
    if not input_exists(input_dir):
        raise typer.Exit(2)
    if runner not in ("threads", "dask"):
        raise typer.BadParameter(f"unknown runner {runner!r}; choose 'threads' or 'dask'")
    # a GPU asked for and missing fails here, before anything is written or started; 'auto' and
    # 'cpu' cannot fail, so they skip the check (it imports torch, ~1.4 s, which then overlaps
    # the temporary API's boot instead of delaying its launch); not with --dask-address: a remote
    # cluster's workers may see GPUs this process does not
    if dask_address is None and config.execution.device.startswith("cuda"):
        check_device(config.execution.device)
    from newsflow.store import check_writable

    try:
        check_writable(out)  # before Prefect starts: a read-only --out fails in a second, not after start-up
    except NewsflowError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    t0 = time.perf_counter()
    # Time to first result: without a server, a temporary Prefect API (what the ephemeral mode
    # starts) boots in its own process while this one imports the flow and loads the models.
    temporary = None
    if not api and os.environ.get("PREFECT_SERVER_EPHEMERAL_ENABLED", "true").lower() not in ("0", "false"):
        from newsflow.environment import start_temporary_api

        temporary = start_temporary_api()
    console.print(f"Prefect API: {api or 'temporary, for this run (no server running; start one with `newsflow ui`)'}")
    from newsflow.flows.analyse_news import analyse_news
    from newsflow.flows.runners import task_runner

    chosen = task_runner(runner, dask_address, dask_workers)  # type: ignore[arg-type]
    flow_fn = analyse_news.with_options(task_runner=chosen) if chosen is not None else analyse_news
    imported = time.perf_counter()
    try:
        if chosen is None:  # the flow's load task finds them cached (Dask workers load their own)
            from newsflow.tasks.analysis import models_for

            try:
                models_for(config)
            except NewsflowError:
                pass  # the flow's load task raises it again: a failed run, as the UI should show it
        loaded = time.perf_counter()
        if temporary is not None:
            try:
                temporary.wait_ready()
            except RuntimeError as exc:
                console.print(f"[red]error:[/red] {exc}; start a server with `newsflow ui` (or set PREFECT_API_URL) "
                              "and run again")
                raise typer.Exit(1) from None
        api_ready = time.perf_counter()
        result = flow_fn(config=config, lock_wait_seconds=wait, prune=prune)
    except NewsflowError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    print_summary(result, started=t0, imported=imported, loaded=loaded, api_ready=api_ready, launched=STARTED,
                  temporary_api=temporary is not None)


def input_exists(input_dir: Path) -> bool:
    """True for a folder or an input file; else prints what to pass instead."""
    from newsflow.ingest import is_input_file

    if input_dir.is_dir() or input_dir.is_file() and is_input_file(input_dir):
        return True
    console.print(f"[red]error:[/red] input {input_dir} does not exist or is not a folder or an input file "
                  "(.txt .md .html .htm .jsonl .ndjson .csv .parquet)")
    return False


def check_device(requested: str) -> None:
    """Exit 1 with the fix when the device asked for is not there (before Prefect starts)."""
    from newsflow.errors import DeviceUnavailableError
    from newsflow.models.device import resolve_device

    try:
        resolve_device(requested)
    except DeviceUnavailableError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


def print_summary(result, *, started: float, imported: float, loaded: float | None = None,
                  api_ready: float | None = None, launched: float | None = None, temporary_api: bool = False) -> None:
    moved = ", ".join(f"{n} {reason}" for reason, n in sorted(result.superseded.items()))
    console.print(f"run {result.run_id[:8]}: {result.processed} processed, {result.skipped} unchanged "
                  f"(skipped), {result.rejected} rejected"
                  + (f", {result.linked} renamed/copied (linked to their analysis)" if result.linked else "")
                  + (f"; moved to history: {moved}" if moved else ""))
    if result.analysis_failures:  # the run completed (exit 0); these documents are in `rejects`
        console.print(f"[yellow]warning:[/yellow] {result.analysis_failures} document(s) could not be analysed "
                      "(reason analysis_failed in the rejects table, with the stage and the error); "
                      "the other documents were written")
    table = Table()
    for col in ("file", "doc_id", "title", "sections", "quotes", "sentiment"):
        table.add_column(col, overflow="fold")
    for d in result.documents:
        table.add_row(d.source_path, d.doc_id, d.title[:60], str(d.n_sections), str(d.n_quotes), d.sentiment or "—")
    for r in result.rejects:
        table.add_row(r.source_path, "-", f"[red]rejected: {r.reason}[/red] ({r.message})", "", "", "")
    if table.row_count:
        console.print(table)
    total = time.perf_counter() - started
    flow_seconds = result.seconds.get("total", 0.0)
    load = result.seconds.get("model_load", 0.0)
    console.print(f"outputs: {Path(result.output_dir).resolve()}  (tables: documents, sections, quotes, "
                  f"stances, rejects, runs)")
    before_flow = (api_ready or imported) - started  # import, early model load, waiting for the API
    early_load = (loaded - imported) if loaded is not None else 0.0
    waited = (api_ready - loaded) if api_ready is not None and loaded is not None else 0.0
    launch = started - launched if launched is not None else 0.0  # CLI import, settings, device and output checks
    console.print(f"time: {total + launch:.1f}s = start-up {launch:.1f}s + import {imported - started:.1f}s + "
                  f"model load {early_load + load:.1f}s + "
                  f"Prefect start-up/overhead {total - before_flow - flow_seconds + waited:.1f}s + "
                  f"processing {flow_seconds - load:.1f}s"
                  + (f" (the Prefect API started during import and model load; waited {waited:.1f}s more)"
                     if temporary_api and api_ready is not None and loaded is not None and early_load else ""))


@app.command("eval")
def evaluate(
    paths: Annotated[list[Path], typer.Argument(help="labelled JSONL / CSV files, or folders of them")],
    out: Annotated[Path, typer.Option("--out", "-o", help="output folder; results go to its `evaluations` table")] = Path("outputs"),
    profile: ProfileOpt = None,
    summarizer: SummarizerOpt = None,
    sentiment: SentimentOpt = None,
    stance: StanceOpt = None,
    summary_words: Annotated[Optional[int], typer.Option(help="summary budget; default: each article's LEAD-3 length")] = None,
    quantize: QuantizeOpt = False,
    device: DeviceOpt = None,
    precision: PrecisionOpt = None,
) -> None:
    """Score a model configuration (and baselines: LEAD-3, majority class, VADER) on labelled
    files: JSONL (summaries, sentiment, stance, NewsMTSC) and PerSenT CSV. A file that cannot be
    read is skipped with a warning; the others are still scored, printed and written."""
    apply_defaults()
    import uuid
    from datetime import datetime, timezone

    from rich.markup import escape

    from newsflow.models.registry import load_models
    from newsflow import store
    from newsflow.evaluation import eval_files, evaluate_paths
    from newsflow.errors import NewsflowError

    config = build_config(Path("."), out, profile, summarizer, sentiment, stance, None, quantize=quantize,
                          device=device, precision=precision)
    files = eval_files(paths)
    missing = [f for f in files if not f.is_file()]
    for f in missing:
        console.print(f"[yellow]warning:[/yellow] skipped {escape(str(f))}: no such file", highlight=False)
    files = [f for f in files if f.is_file()]
    if not files:
        console.print("[red]error:[/red] no .jsonl or .csv files found in " + ", ".join(map(str, paths)))
        raise typer.Exit(2)
    try:
        models = load_models(config.models, None, config.execution.device, config.execution.precision)
    except NewsflowError as exc:
        console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None
    skipped: list[str] = []

    def warn(message: str) -> None:
        skipped.append(message)
        console.print(f"[yellow]warning:[/yellow] {escape(message)}", highlight=False)

    scores = evaluate_paths(files, models, summary_words, warn=warn)
    if not scores:
        console.print(f"[red]error:[/red] none of the {len(files)} file(s) could be scored (see the warnings)")
        raise typer.Exit(1)
    table = Table(title="newsflow eval")
    for col in ("file", "system", "metric", "value", "n"):
        table.add_column(col, justify="right" if col in ("value", "n") else "left")
    for row in scores:
        shown = f"{row.value:.1f}" if row.task == "summarization" else f"{row.value:.3f}"
        table.add_row(row.file, row.system, row.metric, shown, str(row.n))
    console.print(table)
    now = datetime.now(timezone.utc)
    eval_id = uuid.uuid4().hex[:12]
    rows = [{**row.__dict__, "eval_id": eval_id, "config": config.model_dump_json(), "evaluated_at": now} for row in scores]
    path = store.write_single(out, "evaluations", now.strftime("%Y-%m-%d"), eval_id,
                              store.to_table("evaluations", rows, models.ids()))
    console.print(f"written: {path}" + (f"  ({len(skipped) + len(missing)} file(s) skipped)" if skipped or missing else ""))


@app.command()
def serve(
    input_dir: InputArg = Path("seeds"),
    out: OutOpt = Path("outputs"),
    cron: Annotated[Optional[str], typer.Option(help="cron schedule, e.g. '*/30 * * * *'")] = None,
    interval: Annotated[Optional[float], typer.Option(help="schedule every SECONDS instead of --cron")] = None,
    name: Annotated[str, typer.Option(help="deployment name")] = "newsflow-scheduled",
    profile: ProfileOpt = None,
    summarizer: SummarizerOpt = None,
    sentiment: SentimentOpt = None,
    stance: StanceOpt = None,
    target: TargetOpt = None,
    text_column: TextColumnOpt = None,
    title_column: TitleColumnOpt = None,
    id_column: IdColumnOpt = None,
    keep_column: KeepColumnOpt = None,
    targets_column: TargetsColumnOpt = None,
    language: LanguageOpt = None,
    batch_size: BatchSizeOpt = None,
    docs_per_batch: DocsPerBatchOpt = None,
    quantize: QuantizeOpt = False,
    device: DeviceOpt = None,
    precision: PrecisionOpt = None,
    wait: WaitOpt = 0.0,
    prune: PruneOpt = False,
) -> None:
    """Serve the flow as a deployment on a schedule (needs a Prefect server: `newsflow ui`)."""
    api = apply_defaults()
    if (cron is None) == (interval is None):
        console.print("[red]error:[/red] give exactly one of --cron '*/30 * * * *' or --interval SECONDS")
        raise typer.Exit(2)
    if not api:
        console.print("[red]error:[/red] no Prefect server: start one with `newsflow ui` (or `make ui`), "
                      "or set PREFECT_API_URL")
        raise typer.Exit(2)
    check_api(api)
    if not input_exists(input_dir):
        raise typer.Exit(2)
    from newsflow.serving import serve as serve_deployment

    config = build_config(input_dir, out, profile, summarizer, sentiment, stance, target,
                          batch_size=batch_size, docs_per_batch=docs_per_batch, quantize=quantize, languages=language,
                          device=device, precision=precision,
                          reading=reading_options(text_column, title_column, id_column, keep_column, targets_column))
    check_device(config.execution.device)
    console.print(f"Prefect API: {api}; serving newsflow-analyse-news/{name} "
                  f"({'cron ' + repr(cron) if cron else f'every {interval:g}s'}); Ctrl-C stops it")
    serve_deployment(config, cron=cron, interval=interval, name=name, lock_wait_seconds=wait, prune=prune)


@app.command()
def ui(
    port: Annotated[int, typer.Option(help="port on 127.0.0.1")] = 4200,
) -> None:
    """Start the local Prefect server and UI (http://127.0.0.1:4200), telemetry off."""
    apply_defaults()
    from newsflow.serving import start_ui

    raise typer.Exit(start_ui(port=port))


def check_api(api: str | None) -> None:
    """Exit with a one-line message when PREFECT_API_URL names a server that does not answer."""
    from newsflow.environment import server_is_up
    from newsflow.errors import PrefectApiUnreachableError

    if api and not server_is_up(api, timeout=3.0):
        console.print(f"[red]error:[/red] {PrefectApiUnreachableError(api)}", highlight=False)
        raise typer.Exit(1)


def _maintain(action: str, out: Path, **kwargs: object) -> None:
    """Run `compact` or `migrate` under the output lock; a NewsflowError is one line and exit 1."""
    from newsflow import maintenance, store
    from newsflow.errors import NewsflowError

    if not out.is_dir():
        console.print(f"[red]error:[/red] output folder {out} does not exist")
        raise typer.Exit(2)
    try:
        with store.output_lock(out):
            result = getattr(maintenance, action)(out, **kwargs)
    except NewsflowError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from None
    for note in result.notes:
        console.print(f"[yellow]note:[/yellow] {note}", highlight=False)
    for r in result.quarantined:
        console.print(f"[yellow]warning:[/yellow] quarantined {r.source_path}: {r.message}", highlight=False)
    verb = {"compact": "merged", "migrate": "rewrote"}[action]
    console.print(f"{action}: {verb} {result.files_before} file(s) into {result.files_after} "
                  f"({result.rows} rows, unchanged); outputs in {out.resolve()}", highlight=False)


@app.command()
def compact(
    out: OutOpt = Path("outputs"),
    target_mb: Annotated[float, typer.Option(help="merged file size to aim for, MiB")] = 64.0,
) -> None:
    """Merge each table's small Parquet parts per partition into files of about --target-mb (rows unchanged)."""
    _maintain("compact", out, target_bytes=int(target_mb * 2**20))


@app.command()
def migrate(out: OutOpt = Path("outputs")) -> None:
    """Rewrite parts written by an older newsflow in the current schema (atomic; again: nothing to do)."""
    _maintain("migrate", out)


def main() -> None:  # the `newsflow` command and `python -m newsflow`
    global _EXIT_STATUS
    try:
        app()
    except SystemExit as exc:
        _EXIT_STATUS = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
        raise
