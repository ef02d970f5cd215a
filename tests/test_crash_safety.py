"""Crash safety and idempotence through the real CLI: SIGKILL at random points, two runs at once,
a model that cannot be loaded. Every run is a `python -m newsflow run` subprocess.

One Prefect API server is started for the module (instead of an ephemeral server per
subprocess, which costs 10-25 s each), so a killed run also never orphans a temporary server.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from newsflow.environment import isolated_environment

from newsflow import history, store
from newsflow.errors import OutputLockedError

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).parent / "articles"
N_DOCS = 6
N_KILLS = 10
SEED = 20240611
# what a clean run and a resumed run must agree on (not run ids and timestamps)
COMPARED = ["doc_id", "source_path", "encoding", "size_bytes", "title", "n_sections", "n_paragraphs",
            "n_sentences", "n_words", "n_quotes", "photo_credits", "summary", "summary_model", "sentiment",
            "round(sentiment_negative, 5)", "round(sentiment_positive, 5)", "sentiment_model", "targets",
            "config_fingerprint"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory):
    """A Prefect API server shared by this module's subprocess runs."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = _free_port()
    env = isolated_environment(home)
    log = open(home / "server.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                               "--port", str(port), "--no-services", "--no-ui", "--analytics-off"],
                              stdout=log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    deadline = time.monotonic() + 120
    try:
        while True:
            try:
                with urllib.request.urlopen(url + "/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the Prefect server did not start: " + (home / "server.log").read_text()[-2000:])
            time.sleep(0.5)
        yield {"PREFECT_HOME": str(home), "PREFECT_API_URL": url}
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("in")
    for article in sorted(ARTICLES.iterdir()):
        shutil.copy(article, folder / article.name)
    for i in range(N_DOCS - len(list(folder.iterdir()))):
        (folder / f"local_{i}.txt").write_text(
            f"Council approves budget number {i}\n\nThe council met on Monday and approved budget {i}. "
            "Residents welcomed the decision.\n\nWork starts next month, officials said.")
    assert len(list(folder.iterdir())) == N_DOCS
    return folder


def newsflow(prefect_api, *args: str, log: Path) -> subprocess.Popen:
    env = {**os.environ, **prefect_api, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1",
           "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "90", "TOKENIZERS_PARALLELISM": "false",
           "COLUMNS": "200"}
    return subprocess.Popen([sys.executable, "-m", "newsflow", "run", *args], stdout=open(log, "w"),
                            stderr=subprocess.STDOUT, env=env, cwd=ROOT, start_new_session=True)


def run_to_end(prefect_api, *args: str, log: Path, timeout: float = 240) -> tuple[int, str]:
    proc = newsflow(prefect_api, *args, log=log)
    rc = proc.wait(timeout=timeout)
    return rc, log.read_text()


def sql(out: Path, query: str) -> list[tuple]:
    return duckdb.sql(query.replace("{out}", str(out))).fetchall()


def check_consistent(out: Path) -> dict[str, int]:
    """What must hold at any moment, even right after a SIGKILL."""
    parquet = sorted(out.rglob("*.parquet"))
    for path in parquet:
        assert not path.name.endswith(".tmp") and not path.name.startswith(".")
        pq.read_table(path)  # complete and readable (a torn file fails its footer check)
    if list((out / "documents").glob("run_date=*/*.parquet")):
        [(n, distinct)] = sql(out, "select count(*), count(distinct doc_id) from '{out}/documents/*/*.parquet'")
        assert n == distinct, "duplicate documents"
    committed = {p.name for p in out.glob("documents/run_date=*/*.parquet")}
    return {
        "parquet": len(parquet), "committed_batches": len(committed),
        "uncommitted_parts": sum(p.name not in committed for t in ("sections", "quotes", "stances")
                                 for p in out.glob(f"{t}/run_date=*/*.parquet")),
        "tmp_files": len(list(out.glob("*/run_date=*/.*.tmp"))),
    }


def phase_of(log: str) -> str:
    if "done:" in log:
        return "after the batches (run record, report)"
    if " written: " in log:
        return "writing batches"
    if "found " in log:
        return "reading, model load, first batch"
    if "Beginning flow run" in log or "Created flow run" in log:
        return "flow start (lock, clean-up, discovery)"
    return "start-up (imports, API connection)"


def documents(out: Path) -> list[tuple]:
    return sql(out, f"select {', '.join(COMPARED)} from '{{out}}/documents/*/*.parquet' order by doc_id")


def test_sigkill_at_random_points_then_a_final_run_finishes_with_no_duplicates(prefect_api, articles, tmp_path):
    rng = random.Random(SEED)
    args = ("--docs-per-batch", "1")
    t_start = time.monotonic()

    # a clean run: the reference output, and how long a run and its phases take
    clean = tmp_path / "clean"
    proc = newsflow(prefect_api, str(articles), "--out", str(clean), *args, log=tmp_path / "clean.log")
    t0, t_found, t_written, t_done = time.monotonic(), None, None, None
    while proc.poll() is None:
        text = (tmp_path / "clean.log").read_text()
        if t_found is None and "found " in text:
            t_found = time.monotonic() - t0
        if t_written is None and " written: " in text:
            t_written = time.monotonic() - t0
        if t_done is None and "done:" in text:
            t_done = time.monotonic() - t0
        time.sleep(0.05)
    duration = time.monotonic() - t0
    assert proc.returncode == 0, (tmp_path / "clean.log").read_text()[-3000:]
    reference = documents(clean)
    assert len(reference) == N_DOCS
    assert t_found is not None and t_written is not None
    t_done = t_done or duration
    # kill points, each timed from an event in the run's log: 2 from the start (start-up), 3 from
    # "found N article files" (reading, model load), the rest from the first "batch 0 written"
    # (the batches being written, the run record)
    plan = [("start", rng.uniform(0.5, t_found)) for _ in range(2)] + \
           [("found ", rng.uniform(0.0, t_written - t_found)) for _ in range(3)] + \
           [(" written: ", rng.uniform(0.0, t_done - t_written)) for _ in range(N_KILLS - 5)]
    rng.shuffle(plan)
    out = tmp_path / "out"
    phases: Counter[str] = Counter()
    states = []
    fresh_outputs = 1
    for i, (anchor, delay) in enumerate(plan):
        log = tmp_path / f"kill{i}.log"
        proc = newsflow(prefect_api, str(articles), "--out", str(out), *args, log=log)
        t_anchor, seen = time.monotonic(), anchor == "start"
        deadline = time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            if not seen and anchor in log.read_text():
                seen, t_anchor = True, time.monotonic()
            if seen and time.monotonic() - t_anchor >= delay:
                break
            time.sleep(0.02)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)  # the run and anything it started
            proc.wait()
        phase = "finished before the kill" if finished else phase_of(log.read_text())
        state = check_consistent(out)
        phases[phase] += 1
        states.append((f"{anchor.strip(' :')}+{delay:.1f}s", phase, state))
        if finished:
            assert proc.returncode == 0, log.read_text()[-3000:]
        if state["committed_batches"] and len(documents(out)) == N_DOCS:
            # this output is complete: check it, then go on with a fresh one so later kills
            # still land in batches being written
            assert documents(out) == reference
            out = tmp_path / f"out{fresh_outputs}"
            fresh_outputs += 1
    report = "\n".join(f"  kill at {d:>10}: {p:40s} {s}" for d, p, s in states)
    print(f"\nclean run {duration:.1f}s (discovery logged at {t_found:.1f}s, first batch at {t_written:.1f}s); "
          f"{N_KILLS} kills, "
          f"{fresh_outputs} output folders; phases: {dict(phases)}\n{report}")

    # a final run finishes the work
    rc, log = run_to_end(prefect_api, str(articles), "--out", str(out), *args, log=tmp_path / "final.log")
    assert rc == 0, log[-3000:]
    final = check_consistent(out)
    assert (final["uncommitted_parts"], final["tmp_files"]) == (0, 0)
    assert documents(out) == reference
    assert sql(out, "select count(*), count(distinct doc_id) from '{out}/documents/*/*.parquet'") == [(N_DOCS, N_DOCS)]
    [(n_rows, n_unique)] = sql(out, "select count(*), count(distinct (doc_id, position)) from '{out}/sections/*/*.parquet'")
    assert n_rows == n_unique == sql(clean, "select count(*) from '{out}/sections/*/*.parquet'")[0][0]
    for table in ("quotes", "stances"):
        count = lambda o: sql(o, f"select count(*) from '{{out}}/{table}/*/*.parquet'")[0][0] \
            if list(o.glob(f"{table}/run_date=*/*.parquet")) else 0  # noqa: E731
        assert count(out) == count(clean)
    print(f"total {time.monotonic() - t_start:.0f}s")


def test_a_batch_cut_between_its_files_is_removed_before_the_next_run(tmp_path: Path, monkeypatch):
    """The deterministic twin of a SIGKILL between a batch's files: sections landed, documents
    (the commit record) did not, and a temp file was left behind."""
    rows = {"documents": [{"doc_id": "d1", "run_id": "r"}], "sections": [{"doc_id": "d1", "position": 0, "run_id": "r"}]}
    tables = {name: store.to_table(name, r, {}) for name, r in rows.items()}
    store.write_batch(tmp_path, "2024-01-01", "aaaa-00000", tables)  # a committed batch
    real = store.write_atomic

    def crash_on_documents(table, path):
        if path.parts[-3] == "documents":
            (path.parent / f".{path.name}.999.tmp").write_bytes(b"PAR1 half a file")
            raise KeyboardInterrupt("killed")
        real(table, path)

    monkeypatch.setattr(store, "write_atomic", crash_on_documents)
    with pytest.raises(KeyboardInterrupt):
        store.write_batch(tmp_path, "2024-01-01", "aaaa-00001", tables)
    monkeypatch.setattr(store, "write_atomic", real)
    assert check_consistent(tmp_path) == {"parquet": 3, "committed_batches": 1, "uncommitted_parts": 1, "tmp_files": 1}
    assert history.load_index(tmp_path)[0].done() == {("d1", "d1", None)}  # only committed batches count as done
    removed = store.remove_uncommitted(tmp_path)
    assert sorted(p.name for p in removed) == [".part-aaaa-00001.parquet.999.tmp", "part-aaaa-00001.parquet"]
    assert check_consistent(tmp_path) == {"parquet": 2, "committed_batches": 1, "uncommitted_parts": 0, "tmp_files": 0}


# --- two runs on one output -----------------------------------------------------------------

def test_output_lock_refuses_or_waits_threads(tmp_path: Path):
    held, release = threading.Event(), threading.Event()

    def holder():
        with store.output_lock(tmp_path):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=holder)
    thread.start()
    assert held.wait(5)
    with pytest.raises(OutputLockedError, match="another newsflow run is writing"):
        with store.output_lock(tmp_path):
            pass
    threading.Timer(1.5, release.set).start()
    t0 = time.monotonic()
    with store.output_lock(tmp_path, wait_seconds=10):
        waited = time.monotonic() - t0
    thread.join()
    assert 1.0 <= waited < 10


def _has_open(pid: int, path: Path) -> bool:
    try:
        return any(os.readlink(f"/proc/{pid}/fd/{fd}") == str(path) for fd in os.listdir(f"/proc/{pid}/fd"))
    except OSError:
        return False


def test_a_second_process_exits_with_a_clear_message_or_waits(prefect_api, articles, tmp_path):
    out = tmp_path / "out"
    with store.output_lock(out) as lock_path:  # another run holds the output
        rc, log = run_to_end(prefect_api, str(articles), "--out", str(out), log=tmp_path / "refused.log")
        assert rc == 1
        assert "another newsflow run is writing" in " ".join(log.split())
        assert not list(out.rglob("*.parquet"))

        proc = newsflow(prefect_api, str(articles), "--out", str(out), "--wait", "300", log=tmp_path / "wait.log")
        deadline = time.monotonic() + 180
        while not _has_open(proc.pid, lock_path):  # it reached the lock and is waiting on it
            assert proc.poll() is None, (tmp_path / "wait.log").read_text()[-3000:]
            assert time.monotonic() < deadline
            time.sleep(0.2)
        time.sleep(2)
        assert proc.poll() is None and not list(out.rglob("*.parquet"))
    assert proc.wait(timeout=240) == 0, (tmp_path / "wait.log").read_text()[-3000:]
    assert "6 processed" in (tmp_path / "wait.log").read_text()
    assert sql(out, "select count(*), count(distinct doc_id) from '{out}/documents/*/*.parquet'") == [(N_DOCS, N_DOCS)]


def test_two_processes_started_together_never_duplicate(prefect_api, articles, tmp_path):
    out = tmp_path / "out"
    procs = [newsflow(prefect_api, str(articles), "--out", str(out), log=tmp_path / f"p{i}.log") for i in range(2)]
    rcs = [p.wait(timeout=300) for p in procs]
    logs = [" ".join((tmp_path / f"p{i}.log").read_text().split()) for i in range(2)]
    outcomes = sorted(
        "refused" if rc == 1 and "another newsflow run is writing" in log else
        "processed" if rc == 0 and f"{N_DOCS} processed, 0 unchanged" in log else
        "skipped" if rc == 0 and f"0 processed, {N_DOCS} unchanged" in log else f"unexpected rc={rc}"
        for rc, log in zip(rcs, logs))
    # one wrote; the other was refused, or (when it reached the lock after the first finished) skipped all
    assert outcomes in (["processed", "refused"], ["processed", "skipped"]), logs
    check_consistent(out)
    assert sql(out, "select count(*), count(distinct doc_id) from '{out}/documents/*/*.parquet'") == [(N_DOCS, N_DOCS)]
    print(f"\ntwo simultaneous runs: {outcomes}")


# --- a model that cannot be loaded ----------------------------------------------------------

@pytest.mark.parametrize("kind", ["missing", "corrupt"])
def test_unloadable_model_fails_before_any_document_is_written(prefect_api, articles, tmp_path, kind):
    model = tmp_path / "nonexistent" / "dir"
    if kind == "corrupt":
        model = tmp_path / "corrupt-model"
        model.mkdir()
        (model / "config.json").write_text('{"model_type": "bart", "architectures": ["BartForConditionalGeneration"]}')
        (model / "model.safetensors").write_bytes(b"\x00garbage" * 64)
    out = tmp_path / "out"
    rc, log = run_to_end(prefect_api, str(articles), "--out", str(out), "--summarizer", str(model),
                         log=tmp_path / "model.log")
    said = "".join(log.split())
    assert rc == 1, log[-3000:]
    assert "".join(f"model '{model}' cannot be loaded".split()) in said
    assert "Fix:" in said
    for table in ("documents", "sections", "quotes", "stances"):
        assert not list((out / table).rglob("*.parquet")), f"{table} written before the model loaded"


# --- supersession under SIGKILL ---------------------------------------------------------------

N_SUPERSEDE_KILLS = 6


def check_current(out: Path) -> str:
    """After a SIGKILL: every part readable; unless the kill landed inside a commit's renames (a
    journal is left, rolled forward by the next start), one documents row per article and child rows
    exactly those of the current analyses. Returns which of the two it was."""
    for path in out.rglob("*.parquet"):
        pq.read_table(path)
    if (out / ".newsflow-journal.json").exists():
        return "inside a commit (journal left)"
    [(n, keys)] = sql(out, "select count(*), count(distinct coalesce(article_key, source_path)) "
                           "from read_parquet('{out}/documents/*/*.parquet', union_by_name=true)")
    assert n == keys == N_DOCS, "one current documents row per article"
    refs = set(sql(out, "select distinct doc_id, run_id from '{out}/documents/*/*.parquet' where n_sections > 0"))
    assert set(sql(out, "select distinct doc_id, run_id from '{out}/sections/*/*.parquet'")) == refs
    [(rows, unique)] = sql(out, "select count(*), count(distinct (doc_id, position)) from '{out}/sections/*/*.parquet'")
    assert rows == unique, "doubled section rows"
    return "between commits"


def test_sigkill_while_a_run_supersedes_leaves_the_old_or_the_new_state(prefect_api, articles, tmp_path):
    """A second run with a changed setting and one edited article supersedes every row; killed at
    random points, then finished: current = a clean second run's, history = the first run's rows."""
    rng = random.Random(SEED + 1)
    args = ("--docs-per-batch", "1")
    first = tmp_path / "first"
    rc, log = run_to_end(prefect_api, str(articles), "--out", str(first), *args, log=tmp_path / "first.log")
    assert rc == 0, log[-3000:]
    edited = tmp_path / "edited"
    shutil.copytree(articles, edited)
    with open(edited / "local_0.txt", "a") as fh:
        fh.write("\n\nThe mayor later said the budget would be reviewed in spring.")
    args2 = (*args, "-t", "Council")
    # the reference: the second run, not killed
    reference_out = tmp_path / "reference"
    shutil.copytree(first, reference_out)
    proc = newsflow(prefect_api, str(edited), "--out", str(reference_out), *args2, log=tmp_path / "ref.log")
    t0, t_written = time.monotonic(), None
    while proc.poll() is None:
        if t_written is None and " written: " in (tmp_path / "ref.log").read_text():
            t_written = time.monotonic() - t0
        time.sleep(0.05)
    duration = time.monotonic() - t0
    assert proc.returncode == 0 and t_written is not None, (tmp_path / "ref.log").read_text()[-3000:]
    reference = documents(reference_out)
    first_rows = documents(first)
    out, fresh = tmp_path / "out0", 1
    shutil.copytree(first, out)
    states = []
    for i in range(N_SUPERSEDE_KILLS):
        # kill after the k-th batch commit was logged, plus up to 0.5 s: inside or between later commits
        k, delay = rng.randint(1, N_DOCS - 1), rng.uniform(0.0, 0.5)
        log = tmp_path / f"super{i}.log"
        proc = newsflow(prefect_api, str(edited), "--out", str(out), *args2, log=log)
        t_anchor, deadline = None, time.monotonic() + 240
        while proc.poll() is None and time.monotonic() < deadline:
            if t_anchor is None and log.read_text().count(" written: ") >= k:
                t_anchor = time.monotonic()
            if t_anchor is not None and time.monotonic() - t_anchor >= delay:
                break
            time.sleep(0.005)
        finished = proc.poll() is not None
        if not finished:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        states.append((f"batch {k} + {delay:.2f}s", "finished" if finished else "killed", check_current(out)))
        if finished:  # complete: check it, go on with a fresh copy of the first run's output
            assert proc.returncode == 0 and documents(out) == reference, log.read_text()[-3000:]
            out = tmp_path / f"out{fresh}"
            fresh += 1
            shutil.copytree(first, out)
    print(f"\nsupersession run {duration:.1f}s; kills:\n" + "\n".join(f"  {a}: {b}, {c}" for a, b, c in states))
    rc, log = run_to_end(prefect_api, str(edited), "--out", str(out), *args2, log=tmp_path / "final.log")
    assert rc == 0, log[-3000:]
    assert check_current(out) == "between commits"
    assert documents(out) == reference
    history = sql(out, f"select {', '.join(COMPARED)} from read_parquet('{{out}}/history/documents/**/*.parquet', "
                       "hive_partitioning=true, union_by_name=true) order by doc_id")
    assert history == first_rows  # every superseded row, once
    reasons = sql(out, "select reason, count(*) from read_parquet('{out}/history/documents/**/*.parquet', "
                       "hive_partitioning=true) group by reason order by reason")
    assert reasons == [("edited", 1), ("settings", N_DOCS - 1)]
    for table in ("sections", "quotes", "stances"):
        count = lambda o, where="": sql(o, f"select count(*) from read_parquet('{{out}}/{where}{table}/**/*.parquet')")[0][0] \
            if list(o.glob(f"{where}{table}/**/*.parquet")) else 0  # noqa: E731
        assert count(out) == count(reference_out), table
        assert count(out, "history/") == count(first), table
