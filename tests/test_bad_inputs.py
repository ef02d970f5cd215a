"""Bad inputs: every discovered file ends processed or rejected with a reason code; one bad file
never stops the others. Plain-function tests on discover/read_document, then one whole flow run."""

from __future__ import annotations

import codecs
import errno
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import numpy as np
import pyarrow.dataset as ds
import pytest

from newsflow import ingest
from newsflow.config import RunConfig
from newsflow.environment import isolated_environment
from newsflow.errors import InputDirError
from newsflow.ingest import Rejected, SourceDocument, discover, read_document
from newsflow.sectioning import FALLBACK_CHUNK_WORDS

ROOT = Path(__file__).resolve().parent.parent
ARTICLE = ("Heatwave breaks records across southern Europe\n\n"
           "Temperatures passed 44 degrees in Seville on Monday. Hospitals reported more admissions.\n\n"
           "Meteorologists expect the heat to ease by the weekend.")
RUSSIAN = ("Путин и Ким Чен Ын провели переговоры\n\n"
           "Саммит длился около шести часов. Лидеры обсудили сотрудничество и безопасность.\n\n"
           "Переговоры прошли на космодроме Восточный.")
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + random.Random(0).randbytes(2000)

WORDS = "the council said markets rose while storms hit coast and leaders met for talks".split()


def soup(seed: int, alphabet, n: int = 4000) -> bytes:
    rng = random.Random(seed)
    return bytes(rng.choice(list(alphabet)) for _ in range(n))


def rel_paths(root: Path, paths: list[Path]) -> list[str]:
    return [p.relative_to(root).as_posix() for p in paths]


def read(folder: Path, name: str, data: bytes | str, **kw) -> SourceDocument | Rejected:
    path = folder / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return read_document(path, folder, **kw)


def reason(result: SourceDocument | Rejected) -> str:
    assert isinstance(result, Rejected), f"expected a rejection, got {result}"
    return result.reason


# --- contents -------------------------------------------------------------------------------

def test_empty_file(tmp_path: Path):
    result = read(tmp_path, "empty.txt", b"")
    assert (reason(result), result.size_bytes, result.source_path) == ("empty", 0, "empty.txt")


def test_whitespace_only(tmp_path: Path):
    result = read(tmp_path, "blank.txt", " \n\t\r\n \u00a0\u2003\n".encode())
    assert (reason(result), result.size_bytes) == ("blank", 12)


def test_binary_data_named_txt(tmp_path: Path):
    result = read(tmp_path, "image.txt", PNG)
    assert (reason(result), result.size_bytes) == ("binary", len(PNG))


def test_control_character_soup_without_nul_is_binary_not_text(tmp_path: Path):
    data = soup(1, [*range(1, 9), *range(14, 32), *b"abc "], 3000)
    assert reason(read(tmp_path, "ctl.txt", data)) == "binary"


@pytest.mark.parametrize("seed, alphabet", [(2, range(128, 256)), (3, range(1, 256)), (4, [*range(33, 127), *range(128, 256)])])
def test_random_byte_soup_is_undecodable_not_mojibake(tmp_path: Path, seed: int, alphabet):
    assert reason(read(tmp_path, "soup.txt", soup(seed, alphabet))) == "undecodable"


def test_invalid_utf8_with_a_few_damaged_bytes_is_decoded_with_replacement(tmp_path: Path):
    """Decision (README): mostly-UTF-8 text is kept; each damaged byte becomes U+FFFD and the
    encoding column says 'utf-8+replace'."""
    data = RUSSIAN.encode() + b"\xff" + " Конец.".encode()
    doc = read(tmp_path, "damaged.txt", data)
    assert isinstance(doc, SourceDocument)
    assert doc.encoding == "utf-8+replace"
    assert doc.text == RUSSIAN + "\ufffd Конец."


def test_utf8_cut_inside_a_character_is_decoded(tmp_path: Path):
    doc = read(tmp_path, "cut.txt", RUSSIAN.encode()[:-1])  # the last letter's second byte is missing
    assert isinstance(doc, SourceDocument)
    assert doc.text.startswith(RUSSIAN[:-2])


def test_cp1251_is_decoded_not_rejected(tmp_path: Path):
    doc = read(tmp_path, "ru.txt", RUSSIAN.encode("cp1251"))
    assert isinstance(doc, SourceDocument)
    assert (doc.text, doc.encoding) == (RUSSIAN, "cp1251")


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_with_bom_is_decoded_not_rejected(tmp_path: Path, codec: str):
    bom = codecs.BOM_UTF16_LE if codec.endswith("le") else codecs.BOM_UTF16_BE
    data = bom + RUSSIAN.replace("\n", "\r\n").encode(codec)
    doc = read(tmp_path, "u16.txt", data)
    assert isinstance(doc, SourceDocument)
    assert (doc.text, doc.encoding, doc.size_bytes) == (RUSSIAN, "utf-16", len(data))


def test_utf8_bom_is_dropped(tmp_path: Path):
    doc = read(tmp_path, "bom.txt", codecs.BOM_UTF8 + ARTICLE.encode())
    assert isinstance(doc, SourceDocument) and (doc.text, doc.encoding) == (ARTICLE, "utf-8-sig")


def test_file_over_the_size_limit(tmp_path: Path):
    assert RunConfig().execution.max_file_bytes >= 10_000_000  # the default fits any real article
    body = (ARTICLE + "\n\n") * 20
    result = read(tmp_path, "big.txt", body[:1001], max_bytes=1000)
    assert (reason(result), result.size_bytes) == ("too_large", 1001)
    assert "max_file_bytes" in result.message
    assert isinstance(read(tmp_path, "fits.txt", body[:1000], max_bytes=1000), SourceDocument)


def test_one_enormous_line_without_punctuation_is_processed_in_bounded_chunks(tmp_path: Path):
    from newsflow.models.summarization import ExtractiveSummarizer
    from newsflow.models.base import TextUnit
    from newsflow.analysis import prepare_document

    words = " ".join(f"w{i % 1000}" for i in range(400_000))  # 2.3 MB, one line, no punctuation
    t0 = time.perf_counter()
    doc = read(tmp_path, "line.txt", "Title\n" + words)
    assert isinstance(doc, SourceDocument)
    prepared = prepare_document(doc)
    assert time.perf_counter() - t0 < 15
    sentences = prepared.sentences
    assert len(sentences) == 400_000 // FALLBACK_CHUNK_WORDS
    assert max(len(s.split()) for s in sentences) <= FALLBACK_CHUNK_WORDS
    # the summarizer (on stand-in vectors; the real encoder truncates at 256 tokens) keeps its budget
    head = sentences[:400]
    vectors = np.random.default_rng(0).normal(size=(len(head), 16)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    [result] = ExtractiveSummarizer().summarize([TextUnit(head, vectors)], 60)
    assert 0 < len(result.text.split()) <= 60


def test_thousands_of_headings(tmp_path: Path):
    from newsflow.analysis import prepare_document

    text = "Title\n" + "\n".join(f"Heading {i}\nParagraph {i} has a sentence." for i in range(4000))
    doc = read(tmp_path, "headings.txt", text)
    assert isinstance(doc, SourceDocument)
    prepared = prepare_document(doc)
    assert len(prepared.article.sections) == 4000
    assert len(prepared.sentences) == 4000


# --- the file system between discovery and reading ------------------------------------------

def test_file_that_disappears_after_discovery(tmp_path: Path):
    (tmp_path / "gone.txt").write_text(ARTICLE)
    [path], _ = discover(tmp_path)
    path.unlink()
    result = read_document(path, tmp_path)
    assert (reason(result), result.size_bytes) == ("vanished", None)


def test_file_that_becomes_unreadable_after_discovery(tmp_path: Path, monkeypatch):
    # Tests run as root, for whom chmod 000 blocks nothing: make the open fail as it would.
    (tmp_path / "locked.txt").write_text(ARTICLE)
    (tmp_path / "ok.txt").write_text(ARTICLE)
    found, _ = discover(tmp_path)
    real_open = os.open

    def deny(path, flags, *args, **kwargs):
        if Path(path).name == "locked.txt":
            raise PermissionError(errno.EACCES, "Permission denied", str(path))
        return real_open(path, flags, *args, **kwargs)

    monkeypatch.setattr(ingest.os, "open", deny)
    results = [read_document(p, tmp_path) for p in found]
    assert reason(results[0]) == "unreadable" and results[0].message == "cannot read: Permission denied"
    assert isinstance(results[1], SourceDocument)  # the next file is unaffected


def test_file_replaced_by_a_folder_after_discovery(tmp_path: Path):
    (tmp_path / "swap.txt").write_text(ARTICLE)
    [path], _ = discover(tmp_path)
    path.unlink()
    path.mkdir()
    assert reason(read_document(path, tmp_path)) == "not_a_file"


def test_fifo_named_txt_is_rejected_without_blocking(tmp_path: Path):
    os.mkfifo(tmp_path / "pipe.txt")  # nobody writes to it: a plain open() would block forever
    [path], _ = discover(tmp_path)
    signal.alarm(10)  # fail loudly instead of hanging the suite
    try:
        result = read_document(path, tmp_path)
    finally:
        signal.alarm(0)
    assert (reason(result), result.message) == ("not_a_file", "not a regular file (a FIFO, socket or device)")


def test_directory_where_a_file_is_expected(tmp_path: Path):
    (tmp_path / "x.txt").mkdir()  # a folder named like an article is a folder: walked, not read
    (tmp_path / "x.txt" / "inner.txt").write_text(ARTICLE)
    found, rejected = discover(tmp_path)
    assert (rel_paths(tmp_path, found), rejected) == (["x.txt/inner.txt"], [])
    result = read_document(tmp_path / "x.txt", tmp_path)  # passed where a file is expected
    assert (reason(result), result.message) == ("not_a_file", "a folder, not a file")


# --- symlinks and names ---------------------------------------------------------------------

def test_symlink_loop(tmp_path: Path):
    os.symlink("loop.txt", tmp_path / "loop.txt")
    os.symlink("b.txt", tmp_path / "a.txt")
    os.symlink("a.txt", tmp_path / "b.txt")
    os.symlink(".", tmp_path / "dirloop")  # a folder loop: never walked into
    found, rejected = discover(tmp_path)
    assert found == []
    assert [(r.source_path, r.reason) for r in rejected] == [
        ("a.txt", "broken_link"), ("b.txt", "broken_link"), ("loop.txt", "broken_link")]
    assert reason(read_document(tmp_path / "loop.txt", tmp_path)) in ("broken_link", "unreadable")


def test_symlink_pointing_outside_the_input_folder_is_not_followed(tmp_path: Path):
    inside, outside = tmp_path / "in", tmp_path / "outside"
    inside.mkdir(), outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nNot an input.")
    (inside / "real.txt").write_text(ARTICLE)
    os.symlink(outside / "secret.txt", inside / "escape.txt")
    os.symlink("../outside/secret.txt", inside / "relative_escape.md")
    os.symlink(outside, inside / "outdir")  # a folder link out: never walked into
    os.symlink("real.txt", inside / "alias.txt")  # a link within the folder is fine
    found, rejected = discover(inside)
    assert rel_paths(inside, found) == ["alias.txt", "real.txt"]
    assert [(r.source_path, r.reason) for r in rejected] == [
        ("escape.txt", "outside_input"), ("relative_escape.md", "outside_input")]
    # re-checked at read time: a link retargeted after discovery is still refused
    os.remove(inside / "alias.txt")
    os.symlink(outside / "secret.txt", inside / "alias.txt")
    assert reason(read_document(inside / "alias.txt", inside)) == "outside_input"


def test_file_names_with_spaces_unicode_and_newlines(tmp_path: Path):
    names = ["my article.txt", "статья ü 北京.md", "line\nbreak.txt", " leading space.txt"]
    for i, name in enumerate(names):
        (tmp_path / name).write_text(f"{ARTICLE} Number {i}.")
    found, rejected = discover(tmp_path)
    assert rejected == [] and sorted(rel_paths(tmp_path, found)) == sorted(names)
    docs = [read_document(p, tmp_path) for p in found]
    assert all(isinstance(d, SourceDocument) for d in docs)
    assert sorted(d.source_path for d in docs) == sorted(names)


def test_input_folder_that_does_not_exist(tmp_path: Path):
    with pytest.raises(InputDirError, match="does not exist or is not a folder"):
        discover(tmp_path / "nope")
    (tmp_path / "file.bin").write_text(ARTICLE)  # a file, but not an input kind
    with pytest.raises(InputDirError):
        discover(tmp_path / "file.bin")
    (tmp_path / "file.txt").write_text(ARTICLE)  # one input file is an input
    assert discover(tmp_path / "file.txt") == ([tmp_path / "file.txt"], [])


def test_cli_with_a_missing_input_folder_exits_non_zero_before_any_work(tmp_path: Path):
    out = tmp_path / "out"
    env = isolated_environment(tmp_path / "prefect", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "newsflow", "run", str(tmp_path / "nope"), "--out", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
    assert proc.returncode == 2
    said = " ".join((proc.stdout + proc.stderr).split())
    assert "does not exist or is not a folder" in said
    assert "".join(str(tmp_path / "nope").split()) in "".join((proc.stdout + proc.stderr).split())  # names it
    assert not out.exists()  # nothing was started or written


# --- the whole flow -------------------------------------------------------------------------

def _mixed_folder(root: Path) -> Path:
    src, outside = root / "in", root / "outside"
    src.mkdir(), outside.mkdir()
    (outside / "secret.txt").write_text("Secret\n\nNot an input.")
    good = {
        "plain article.txt": ARTICLE.encode(),
        "статья ü.md": "# Мэрия одобрила велодорожки\n\nСовет проголосовал во вторник.\n\n## Что дальше\n\nПлан опубликуют в январе.".encode(),
        "line\nbreak.txt": b"Markets rallied on Friday\n\nStocks rose for a third day. Bonds were flat.",
        "ru_cp1251.txt": RUSSIAN.encode("cp1251"),
        "utf16.txt": codecs.BOM_UTF16_LE + "Storm hits the coast\r\n\r\nWinds reached 150 km/h overnight. Power was cut.".encode("utf-16-le"),
        "damaged_utf8.txt": RUSSIAN.encode() + b"\xff" + " Ещё одна фраза.".encode(),
        "no_punctuation.txt": ("Endless line\n" + " ".join(WORDS[i % len(WORDS)] for i in range(6000))).encode(),
        "headings.txt": ("Many sections\n" + "\n".join(f"Heading {i}\nParagraph {i} is short." for i in range(500))).encode(),
        "x.txt/inner.txt": b"A folder named like a file\n\nIts article is read like any other.",
    }
    bad = {
        "empty.txt": b"",
        "blank.txt": b"  \n\n\t \n",
        "image.txt": PNG,
        "soup.txt": soup(2, range(128, 256)),
        "big.txt": (ARTICLE + "\n\n").encode() * 2000,  # ~400 KB, over the run's 300 KB limit
    }
    for name, data in {**good, **bad}.items():
        (src / name).parent.mkdir(parents=True, exist_ok=True)
        (src / name).write_bytes(data)
    os.mkfifo(src / "fifo.txt")
    os.symlink("loop.txt", src / "loop.txt")
    os.symlink(outside / "secret.txt", src / "escape.txt")
    os.symlink(outside, src / "outdir")
    os.symlink("plain article.txt", src / "same_as_plain.txt")  # same content: not analysed again, linked
    (src / "notes.docx").write_text("not an article")  # not an input kind: ignored
    (src / ".hidden.txt").write_text(ARTICLE + " hidden")
    return src


EXPECTED_REJECTS = [
    ("big.txt", "too_large"), ("blank.txt", "blank"), ("empty.txt", "empty"), ("escape.txt", "outside_input"),
    ("fifo.txt", "not_a_file"), ("image.txt", "binary"), ("loop.txt", "broken_link"), ("soup.txt", "undecodable"),
]


@pytest.mark.slow
def test_whole_flow_with_good_and_bad_files(prefect_harness, tmp_path: Path):
    from newsflow.flows.analyse_news import analyse_news

    src = _mixed_folder(tmp_path)
    out = tmp_path / "out"
    config = RunConfig(input_dir=src, output_dir=out, execution={"max_file_bytes": 300_000})
    summary = analyse_news(config=config)

    assert (summary.processed, summary.skipped, summary.rejected) == (9, 1, 8)
    assert sorted((r.source_path, r.reason) for r in summary.rejects) == EXPECTED_REJECTS

    q = lambda sql: duckdb.sql(sql.replace("{out}", str(out))).fetchall()  # noqa: E731
    assert q("select source_path, reason from '{out}/rejects/*/*.parquet' order by source_path") == EXPECTED_REJECTS
    rejects = ds.dataset(out / "rejects", format="parquet").to_table()
    assert set(rejects["run_id"].to_pylist()) == {summary.run_id}
    assert dict(zip(rejects["source_path"].to_pylist(), rejects["size_bytes"].to_pylist())) == {
        "big.txt": (len(ARTICLE) + 2) * 2000, "blank.txt": 7, "empty.txt": 0, "escape.txt": None,
        "fifo.txt": None, "image.txt": len(PNG), "loop.txt": None, "soup.txt": 4000}

    assert q("select n_discovered, n_processed, n_skipped, n_rejected from '{out}/runs/*/*.parquet'") == [(18, 9, 1, 8)]
    # one row per article path; the symlinked copy points at the plain article's analysis (same doc_id)
    assert q("select count(*), count(distinct doc_id) from '{out}/documents/*/*.parquet'") == [(10, 9)]
    assert q("select count(distinct run_id) from '{out}/documents/*/*.parquet' "
             "where source_path in ('plain article.txt', 'same_as_plain.txt')") == [(1,)]
    docs = dict(q("select source_path, encoding from '{out}/documents/*/*.parquet'"))
    assert sorted(docs) == sorted(["plain article.txt", "same_as_plain.txt", "статья ü.md", "line\nbreak.txt", "ru_cp1251.txt",
                                   "utf16.txt", "damaged_utf8.txt", "no_punctuation.txt", "headings.txt",
                                   "x.txt/inner.txt"])
    assert (docs["ru_cp1251.txt"], docs["utf16.txt"], docs["damaged_utf8.txt"]) == ("cp1251", "utf-16", "utf-8+replace")
    # the punctuation-less line: bounded sentences, summaries within budget
    [(n_sentences, doc_summary)] = q("select n_sentences, summary from '{out}/documents/*/*.parquet' "
                                     "where source_path = 'no_punctuation.txt'")
    assert n_sentences == 6000 // FALLBACK_CHUNK_WORDS
    assert 0 < len(doc_summary.split()) <= config.analysis.document_summary_words
    section_words = q("select max(len(string_split(s.summary, ' '))) from '{out}/sections/*/*.parquet' s "
                      "join '{out}/documents/*/*.parquet' d using (doc_id) where d.source_path = 'no_punctuation.txt'")
    assert 0 < section_words[0][0] <= config.analysis.summary_words
    assert q("select n_sections from '{out}/documents/*/*.parquet' where source_path = 'headings.txt'") == [(500,)]
    [(n_rows, n_unique)] = q("select count(*), count(distinct (doc_id, position)) from '{out}/sections/*/*.parquet'")
    assert n_rows == n_unique


def test_cli_with_a_file_in_the_way_of_the_output_folder_exits_1_without_a_traceback(tmp_path: Path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(ARTICLE)
    (tmp_path / "taken").write_text("a file, not a folder")
    env = isolated_environment(tmp_path / "prefect", PYTHONPATH=str(ROOT))
    for out in (tmp_path / "taken", tmp_path / "taken" / "sub"):
        proc = subprocess.run([sys.executable, "-m", "newsflow", "run", str(tmp_path / "in"), "--out", str(out)],
                              capture_output=True, text=True, timeout=120, cwd=tmp_path, env=env)
        said = " ".join((proc.stdout + proc.stderr).split())
        assert proc.returncode == 1, said
        assert "Traceback" not in said
        # rich wraps long lines: compare without whitespace
        assert "".join(f"{tmp_path / 'taken'} is a file, not a folder".split()) in "".join(said.split())


def test_a_record_file_gets_the_article_files_read_time_checks(tmp_path: Path):
    from newsflow.ingest import read_source

    inside, outside = tmp_path / "in", tmp_path / "outside"
    inside.mkdir(), outside.mkdir()
    (outside / "secret.jsonl").write_text('{"text": "Not an input."}\n')
    (inside / "real.jsonl").write_text('{"text": "' + "Iceland voted. " * 3 + '"}\n')
    os.symlink(outside / "secret.jsonl", inside / "alias.jsonl")  # retargeted after discovery
    os.mkfifo(inside / "fifo.jsonl")
    os.symlink(inside / "loop.jsonl", inside / "loop.jsonl")

    def read(name: str) -> list[tuple[str, str]]:
        return [(r.source_path, getattr(r, "reason", "ok")) for r in read_source(inside / name, inside)]

    assert read("real.jsonl") == [("real.jsonl#1", "ok")]
    assert read("alias.jsonl") == [("alias.jsonl", "outside_input")]
    assert read("fifo.jsonl") == [("fifo.jsonl", "not_a_file")]  # never opened: a FIFO would block
    assert read("gone.jsonl") == [("gone.jsonl", "vanished")]
    assert read("loop.jsonl") == [("loop.jsonl", "broken_link" if sys.version_info < (3, 13) else "unreadable")]
