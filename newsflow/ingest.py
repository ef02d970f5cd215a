"""Find article files, read and decode them, and give each a content-hash id.

Every discovered path ends as a `SourceDocument` or a `Rejected` with a reason code; nothing
raises for a bad file, so one bad file never sinks a run.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
from dataclasses import dataclass
from pathlib import Path

from newsflow.errors import InputDirError

ARTICLE_SUFFIXES = (".txt", ".md")
DEFAULT_MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str  # sha256 of the decoded text: a renamed file keeps its id
    source_path: str  # relative to the input folder
    size_bytes: int
    encoding: str
    text: str
    # The article's identity across runs: what "the current analysis of this article" is keyed on.
    # Files: the source path (an edited file is the same article); record inputs: the id column.
    article_key: str = ""
    # sha256 prefix of the text: what the skip index compares (for files it equals doc_id; a record
    # keeps its id column as doc_id, so an edited record is recognised by this hash).
    content_hash: str = ""

    def __post_init__(self) -> None:
        if not self.article_key:
            object.__setattr__(self, "article_key", self.source_path)
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_id(self.text))


@dataclass(frozen=True)
class Rejected:
    source_path: str
    size_bytes: int | None
    # a short code: empty, blank, binary, undecodable, too_large, unreadable, vanished, not_a_file,
    # broken_link, outside_input
    reason: str
    message: str


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def discover(input_dir: Path) -> tuple[list[Path], list[Rejected]]:
    """Article files under `input_dir`, recursively, sorted; symlinks are never followed out of it."""
    root = Path(input_dir)
    if not root.is_dir():
        raise InputDirError(root)
    root_real = root.resolve()
    found: list[Path] = []
    rejected: list[Rejected] = []
    # followlinks=False: a symlinked folder (or a loop) is never walked into.
    for folder, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(folder, name)
            if not name.lower().endswith(ARTICLE_SUFFIXES) or name.startswith("."):
                continue
            rel = path.relative_to(root).as_posix()
            if path.is_symlink():
                try:
                    target = path.resolve(strict=True)
                except (OSError, RuntimeError):
                    rejected.append(Rejected(rel, None, "broken_link", "symlink loop or dangling symlink"))
                    continue
                if not target.is_relative_to(root_real):
                    rejected.append(Rejected(rel, None, "outside_input",
                                             f"symlink points outside the input folder ({target}); not followed"))
                    continue
            found.append(path)
    return found, rejected


_BOMS = (  # longest first: a UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
MAX_REPLACED_FRACTION = 0.005  # mostly-UTF-8 text may have this share of damaged bytes replaced


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOMs first, then UTF-8, then the best detected legacy codec.

    Invalid UTF-8: a file that is UTF-8 except for a few damaged bytes (at most 0.5%: a cut-off
    or corrupted download) is kept, each damaged byte decoded as U+FFFD and the encoding recorded
    as "utf-8+replace"; when no legacy codec fits either, it is undecodable (byte soup is never
    turned into mojibake)."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    replaced = data.decode("utf-8", errors="replace")
    n_bad = replaced.count("\ufffd") - data.count("\ufffd".encode())
    few_bad = n_bad <= max(1, int(len(data) * MAX_REPLACED_FRACTION))
    n_multibyte = sum(1 for ch in replaced if ord(ch) > 127) - n_bad
    if few_bad and n_multibyte >= n_bad:  # valid UTF-8 sequences outnumber the damage: it is UTF-8
        return replaced, "utf-8+replace"
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None:
        return str(best), best.encoding
    if few_bad:
        return replaced, "utf-8+replace"
    raise UnicodeDecodeError("unknown", data, 0, len(data), "no encoding decodes this file")


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return "\x00" in text or controls > max(8, len(text) // 100)


def read_document(path: Path, input_dir: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceDocument | Rejected:
    """Read, check and decode one discovered file; every failure is a `Rejected`, never an exception.

    The file is opened once (non-blocking, so a FIFO named `x.txt` cannot hang the run) and checked
    on the open descriptor: a file swapped for a folder, FIFO or device after discovery is
    `not_a_file`, one that grew past `max_bytes` is `too_large` (at most `max_bytes + 1` bytes are read)."""
    path = Path(path)
    rel = path.relative_to(input_dir).as_posix()
    try:
        if path.is_symlink():  # re-checked here: the link may have changed since discovery
            target = path.resolve(strict=True)
            if not target.is_relative_to(Path(input_dir).resolve()):
                return Rejected(rel, None, "outside_input",
                                f"symlink points outside the input folder ({target}); not followed")
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except FileNotFoundError:
        return Rejected(rel, None, "vanished", "the file disappeared between discovery and reading")
    except RuntimeError:  # Python < 3.13: a symlink loop
        return Rejected(rel, None, "broken_link", "symlink loop or dangling symlink")
    except OSError as exc:
        return Rejected(rel, None, "unreadable", f"cannot read: {exc.strerror or exc}")
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            return Rejected(rel, None, "not_a_file", "a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            return Rejected(rel, None, "not_a_file", "not a regular file (a FIFO, socket or device)")
        if info.st_size > max_bytes:
            return Rejected(rel, info.st_size, "too_large",
                            f"{info.st_size} bytes is over the limit of {max_bytes} (max_file_bytes)")
        with os.fdopen(os.dup(fd), "rb") as fh:
            data = fh.read(max_bytes + 1)
        if len(data) > max_bytes:
            return Rejected(rel, len(data), "too_large",
                            f"over the limit of {max_bytes} bytes (max_file_bytes); it grew while being read")
    except OSError as exc:
        return Rejected(rel, None, "unreadable", f"cannot read: {exc.strerror or exc}")
    finally:
        os.close(fd)
    size = len(data)
    if size == 0:
        return Rejected(rel, 0, "empty", "the file is empty")
    if b"\x00" in data and not data.startswith(tuple(bom for bom, _ in _BOMS)):
        return Rejected(rel, size, "binary", "binary data (NUL bytes), not text")
    try:
        text, encoding = decode(data)
    except UnicodeDecodeError:
        return Rejected(rel, size, "undecodable", "not UTF-8 and no legacy encoding fits")
    if _looks_binary(text):
        return Rejected(rel, size, "binary", "binary data, not text")
    if not text.strip():
        return Rejected(rel, size, "blank", "only whitespace")
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return SourceDocument(content_id(text), rel, size, encoding, text)
