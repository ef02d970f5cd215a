"""Faults in the output folder, each a named error with a one-line message or a quarantined part:
disk full, a folder that cannot be written, an unreachable PREFECT_API_URL, a corrupt part, a
folder written by a newer newsflow."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from newsflow import history, store
from newsflow.cli import app
from newsflow.environment import free_port
from newsflow.errors import DiskFullError, OutputNotWritableError, OutputSchemaTooNewError
from tests.test_current_history import Model, check, fake_run, snapshot

FILES = {"a.txt": "A|a1", "b.txt": "B|b1|b2", "c.txt": "C"}


def listing(out: Path) -> list[str]:
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))


def test_a_corrupt_child_part_is_quarantined_and_its_articles_are_redone(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, FILES, "F1", per_batch=2)
    [first, second] = store.parts(out, "sections")
    first.write_bytes(b"PAR1 torn write")
    counts = fake_run(out, FILES, "F1", per_batch=2)
    assert counts == {"analysed": 2}  # the two articles of the torn part's batch, nothing else
    moved = out / "quarantine" / first.relative_to(out)
    assert moved.read_bytes() == b"PAR1 torn write"
    record = json.loads(moved.with_name(moved.name + ".json").read_text())
    assert (record["source_path"], record["size_bytes"], record["reason"]) == (
        first.relative_to(out).as_posix(), 15, "corrupt_output")
    check(out, Model({k: (v, "F1") for k, v in FILES.items()}))
    reasons = {p.parent.name for p in (out / "history" / "documents").rglob("*.parquet")}
    assert reasons == {"reason=incomplete"}


def test_a_corrupt_documents_part_is_quarantined_and_its_child_rows_leave_with_it(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, FILES, "F1", per_batch=2)
    store.parts(out, "documents")[0].write_bytes(b"not parquet at all")
    opened = history.open_output(out, "next")
    assert [r.reason for r in opened.quarantined] == ["corrupt_output"]
    assert opened.notes == ["moved to history: 0 document row(s) and 12 child row(s) of those or of no current document"]
    assert fake_run(out, FILES, "F1", per_batch=2) == {"analysed": 2}
    check(out, Model({k: (v, "F1") for k, v in FILES.items()}))


def test_a_folder_of_a_newer_schema_is_refused_before_anything_is_written(tmp_path: Path):
    out = tmp_path / "out"
    fake_run(out, FILES, "F1")
    part = store.parts(out, "sections")[0]
    table = pq.read_table(part)
    pq.write_table(table.replace_schema_metadata({**table.schema.metadata, b"newsflow.schema_version": b"99"}), part)
    (out / "documents" / "run_date=2026-01-01" / ".part-x.parquet.1.tmp").write_bytes(b"left by a crash")
    before = listing(out)
    with pytest.raises(OutputSchemaTooNewError, match="schema 99, newer than this newsflow's schema 2; nothing was "
                                                      "written. Upgrade newsflow"):
        history.open_output(out, "refused")
    assert listing(out) == before  # not even the crash's temp file was removed


def test_disk_full_is_a_named_error_and_a_rerun_resumes(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    real, calls = pq.write_table, []

    def fills_up(table, where, **kwargs):
        calls.append(where)
        if len(calls) > 5:  # batch 0 (4 parts) lands; batch 1 fails on its second part
            raise OSError(errno.ENOSPC, "No space left on device")
        real(table, where, **kwargs)

    monkeypatch.setattr(pq, "write_table", fills_up)
    with pytest.raises(DiskFullError, match="no space left on the device while writing .*part-.*parquet"):
        fake_run(out, FILES, "F1", per_batch=2)
    monkeypatch.setattr(pq, "write_table", real)
    assert not [p for p in out.rglob("*.tmp") if "sections" not in str(p)]  # the failed stage left nothing
    assert sorted(k for k, *_ in snapshot(out)["current/documents"]) == ["a.txt", "b.txt"]  # batch 0 committed
    assert fake_run(out, FILES, "F1", per_batch=2) == {"analysed": 1}  # the rerun does the rest
    check(out, Model({k: (v, "F1") for k, v in FILES.items()}))
    assert not list(out.rglob(".*.tmp"))


def test_an_output_folder_that_cannot_be_written_is_a_named_error(tmp_path: Path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    if os.geteuid() != 0:  # a real read-only folder (root writes anyway)
        out.chmod(0o555)
        with pytest.raises(OutputNotWritableError, match=f"output folder {out} is not writable"):
            with store.output_lock(out):
                pass
        out.chmod(0o755)

    def denied(self, *args, **kwargs):
        raise PermissionError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(Path, "touch", denied)
    with pytest.raises(OutputNotWritableError, match=r"is not writable \(Read-only file system\); pass --out"):
        with store.output_lock(out):
            pass


def test_cli_names_an_unreachable_prefect_api_and_both_fixes(tmp_path: Path, monkeypatch):
    url = f"http://127.0.0.1:{free_port()}/api"
    monkeypatch.setenv("PREFECT_API_URL", url)
    (tmp_path / "in").mkdir()
    result = CliRunner().invoke(app, ["run", str(tmp_path / "in"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1
    said = " ".join(result.output.split())
    assert said == (f"error: PREFECT_API_URL is {url}, but no Prefect server answers there. Fix: start it with "
                    "`newsflow ui`, or unset PREFECT_API_URL (runs then use a temporary local server)")
    assert not (tmp_path / "out").exists()
