"""Find article files, read and decode them, and give each a content-hash id.

Every discovered path ends as a `SourceDocument` or a `Rejected` with a reason code; nothing
raises for a bad file, so one bad file never sinks a run.
"""

from __future__ import annotations

import codecs
import hashlib
import os
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


@dataclass(frozen=True)
class Rejected:
    source_path: str
    size_bytes: int | None
    reason: str  # a short code: empty, blank, binary, undecodable, too_large, unreadable, ...
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


def decode(data: bytes) -> tuple[str, str]:
    """Text and the encoding used: BOMs first, then UTF-8, then the best detected legacy codec."""
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise UnicodeDecodeError("unknown", data, 0, len(data), "no encoding decodes this file")
    return str(best), best.encoding


def _looks_binary(text: str) -> bool:
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return "\x00" in text or controls > max(8, len(text) // 100)


def read_document(path: Path, input_dir: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceDocument | Rejected:
    rel = Path(path).relative_to(input_dir).as_posix()
    try:
        size = path.stat().st_size
        if path.is_dir():
            return Rejected(rel, None, "not_a_file", "a folder, not a file")
        if size > max_bytes:
            return Rejected(rel, size, "too_large", f"{size} bytes is over the limit of {max_bytes} (max_file_bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        return Rejected(rel, None, "vanished", "the file disappeared between discovery and reading")
    except OSError as exc:
        return Rejected(rel, None, "unreadable", f"cannot read: {exc.strerror or exc}")
    size = len(data)
    if size == 0:
        return Rejected(rel, 0, "empty", "the file is empty")
    if b"\x00" in data and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
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
