"""Find article files, read and decode them, and give each a content-hash id.

Inputs: text and Markdown files (one article each; an optional `---` YAML front matter at the
top gives its `targets` and metadata), HTML pages (one article each, extracted by
`newsflow.html`), and record files, JSONL, CSV or Parquet (one article per record, read by
`newsflow.records` with the columns `InputSettings` names). The input is a folder (walked
recursively; a Hive-partitioned Parquet dataset is a folder too) or one file.

Every discovered path, and every record of a record file, ends as a `SourceDocument` or a
`Rejected` with a reason code; nothing raises for bad input, so one bad file or record never
sinks a run. A record's `source_path` is `<file>#<row>` (JSONL: its line; CSV: its data row
after the header; Parquet: its row, counting from 1); its `doc_id` and `article_key` are the id
column's value when one is named, else the hash of its text.
"""

from __future__ import annotations

import codecs
import hashlib
import json
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

from newsflow.config import InputSettings
from newsflow.errors import InputDirError
from newsflow.records import BadRecord, is_record_file, plain_value, read_records
from newsflow.targets import Target, parse_targets

TEXT_SUFFIXES = (".txt", ".md")
HTML_SUFFIXES = (".html", ".htm")
ARTICLE_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES
DEFAULT_MAX_FILE_BYTES = 20_000_000


@dataclass(frozen=True)
class SourceDocument:
    doc_id: str  # what the analysis read: sha256 prefix of the text (with its own targets and metadata when it has any), or a record's id column; a renamed file keeps it
    source_path: str  # relative to the input folder
    size_bytes: int
    encoding: str
    text: str
    # The article's identity across runs: what "the current analysis of this article" is keyed on.
    # Files: the source path (an edited file is the same article); record inputs: the id column.
    article_key: str = ""
    # sha256 prefix of the text (and of the article's own targets and metadata, when it has any):
    # what the skip index compares. A record keeps its id column as doc_id, so an edited record,
    # or one whose targets changed, is recognised by this hash.
    content_hash: str = ""
    targets: tuple[Target, ...] = ()  # the article's own stance targets (targets column, front matter)
    metadata: dict[str, str | None] = field(default_factory=dict)  # kept columns / front-matter fields

    def __post_init__(self) -> None:
        if not self.article_key:
            object.__setattr__(self, "article_key", self.source_path)
        if not self.content_hash:
            object.__setattr__(self, "content_hash", content_key(self.text, self.targets, self.metadata))


@dataclass(frozen=True)
class Rejected:
    source_path: str
    size_bytes: int | None
    # a short code: empty, blank, binary, undecodable, too_large, unreadable, vanished, not_a_file,
    # broken_link, outside_input; bad_front_matter (text files); no_article, unparseable (HTML);
    # unparseable, wrong_type, missing_column, missing_id, duplicate (records: `<file>#<row>`, or the file)
    reason: str
    message: str


def content_id(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def content_key(text: str, targets: tuple[Target, ...] = (), metadata: dict[str, str | None] | None = None) -> str:
    """The skip index's hash of an article: of its text alone when it has no targets or metadata of
    its own (so it equals the text's `content_id`, as before record inputs), else of all three."""
    if not targets and not metadata:
        return content_id(text)
    extra = json.dumps({"targets": [t.model_dump(mode="json") for t in targets], "metadata": metadata or {}},
                       sort_keys=True, ensure_ascii=False)
    return content_id(f"{text}\x00{extra}")


def is_input_file(path: Path) -> bool:
    return path.name.lower().endswith(ARTICLE_SUFFIXES) or is_record_file(path)


def input_root(input_path: Path) -> Path:
    """The folder source paths are relative to: the input folder, or a single input file's folder."""
    path = Path(input_path)
    return path.parent if path.is_file() else path


def discover(input_dir: Path) -> tuple[list[Path], list[Rejected]]:
    """Input files under `input_dir`, recursively, sorted (or `input_dir` itself when it is one
    input file); symlinks are never followed out of it."""
    root = Path(input_dir)
    if root.is_file() and is_input_file(root):
        return [root], []
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
            if not is_input_file(path) or name.startswith("."):
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


def _link_left_input(path: Path, root: Path, rel: str) -> Rejected | None:
    """A symlink whose target is now outside the input folder (re-checked on reading: the link may
    have changed since discovery); None otherwise. Raises what `Path.resolve(strict=True)` raises."""
    if path.is_symlink():
        target = path.resolve(strict=True)
        if not target.is_relative_to(Path(root).resolve()):
            return Rejected(rel, None, "outside_input", f"symlink points outside the input folder ({target}); not followed")
    return None


def _open_failure(rel: str, exc: OSError | RuntimeError) -> Rejected:
    """The reject for a discovered file that could not be reached on reading."""
    if isinstance(exc, FileNotFoundError):
        return Rejected(rel, None, "vanished", "the file disappeared between discovery and reading")
    if isinstance(exc, RuntimeError):  # Python < 3.13: a symlink loop
        return Rejected(rel, None, "broken_link", "symlink loop or dangling symlink")
    return Rejected(rel, None, "unreadable", f"cannot read: {exc.strerror or exc}")


def read_document(path: Path, input_dir: Path, max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceDocument | Rejected:
    """Read, check and decode one discovered file; every failure is a `Rejected`, never an exception.

    The file is opened once (non-blocking, so a FIFO named `x.txt` cannot hang the run) and checked
    on the open descriptor: a file swapped for a folder, FIFO or device after discovery is
    `not_a_file`, one that grew past `max_bytes` is `too_large` (at most `max_bytes + 1` bytes are read)."""
    path = Path(path)
    rel = path.relative_to(input_root(input_dir)).as_posix()
    try:
        if (outside := _link_left_input(path, input_root(input_dir), rel)) is not None:
            return outside
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, RuntimeError) as exc:
        return _open_failure(rel, exc)
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
    if path.name.lower().endswith(HTML_SUFFIXES):
        return _html_document(text, rel, size, encoding)
    try:
        text, targets, metadata = split_front_matter(text)
    except ValueError as exc:
        return Rejected(rel, size, "bad_front_matter", str(exc))
    if not text.strip():
        return Rejected(rel, size, "blank", "only a front matter block, no article")
    # the id is what the analysis read: the same text with other front-matter targets is another analysis
    return SourceDocument(content_key(text, targets, metadata), rel, size, encoding, text, targets=targets,
                          metadata=metadata)


def _html_document(html: str, rel: str, size: int, encoding: str) -> SourceDocument | Rejected:
    from newsflow.html import extract_article

    try:
        article = extract_article(html)
    except Exception as exc:  # lxml/readability on a page they cannot parse
        return Rejected(rel, size, "unparseable", f"not a readable HTML page: {type(exc).__name__}: {exc}")
    if not article.blocks:
        return Rejected(rel, size, "no_article", "no article text found in the page")
    text = article.text
    return SourceDocument(content_id(text), rel, size, encoding, text)


def split_front_matter(text: str) -> tuple[str, tuple[Target, ...], dict[str, str | None]]:
    """The text after a leading `---` YAML block, the block's `targets` (a list or a ';'-separated
    text, aliases after '=') and its other fields as metadata text. A text without the block is
    returned as it is. Raises ValueError (with what to fix) for a block that is not a YAML mapping
    or whose targets are neither a list nor a text."""
    if not text.startswith("---\n"):
        return text, (), {}
    end = text.find("\n---\n", 3)
    if end == -1:
        if not text.rstrip().endswith("\n---"):
            return text, (), {}  # a leading rule, not a front matter block
        end = len(text.rstrip()) - 4
    import yaml

    try:
        block = yaml.safe_load(text[4:end]) or {}
    except yaml.YAMLError as exc:
        raise ValueError(f"the --- front matter block is not valid YAML ({exc}); fix it or remove it") from None
    if not isinstance(block, dict):
        raise ValueError("the --- front matter block must be a YAML mapping (targets: [...], key: value)")
    try:
        targets = parse_targets(block.pop("targets", None))
    except TypeError as exc:
        raise ValueError(f"front matter: {exc}") from None
    body = text[end + 5:].lstrip("\n")
    return body, targets, {str(k): plain_value(v) for k, v in block.items()}


def record_document(values: dict[str, object], row: int, rel: str, options: InputSettings,
                    max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> SourceDocument | Rejected:
    """One record as a document: its text (the title column on the first line, a blank line,
    then the text column, so it parses as a text file of the same article would), its id,
    targets and kept columns; or a `Rejected` saying what is wrong with it."""
    where = f"{rel}#{row}"
    body = values.get(options.text_column)
    if body is None:
        return Rejected(where, None, "empty", f"no value in the text column {options.text_column!r}")
    if not isinstance(body, str):
        return Rejected(where, None, "wrong_type",
                        f"the text column {options.text_column!r} holds a {type(body).__name__}, not text")
    title = values.get(options.title_column) if options.title_column else None
    if title is not None and not isinstance(title, str):
        return Rejected(where, None, "wrong_type",
                        f"the title column {options.title_column!r} holds a {type(title).__name__}, not text")
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    if not body.strip():
        return Rejected(where, len(body.encode("utf-8")), "blank", "the text column is empty or only whitespace")
    title = " ".join((title or "").split())
    text = f"{title}\n\n{body}" if title else body
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return Rejected(where, size, "too_large", f"{size} bytes of text is over the limit of {max_bytes} (max_file_bytes)")
    try:
        targets = parse_targets(values.get(options.targets_column)) if options.targets_column else ()
    except TypeError as exc:
        return Rejected(where, size, "wrong_type", f"the targets column {options.targets_column!r}: {exc}")
    metadata = {c: plain_value(values.get(c)) for c in options.keep_columns}
    # without an id column, the id is what the analysis reads: text, targets and kept columns (the
    # same story from two sources is two articles; the same record twice is a duplicate)
    doc_id = content_key(text, targets, metadata)
    if options.id_column:
        key = values.get(options.id_column)
        if key is None or isinstance(key, (list, dict, float)) or not str(key).strip():
            return Rejected(where, size, "missing_id" if key is None or not str(key).strip() else "wrong_type",
                            f"the id column {options.id_column!r} holds {key!r}: not an id (text or integer)")
        doc_id = str(key).strip()
    return SourceDocument(doc_id, where, size, "utf-8", text, article_key=doc_id, targets=targets, metadata=metadata)


def record_columns(options: InputSettings) -> list[str]:
    named = [options.text_column, options.title_column, options.id_column, options.targets_column,
             *options.keep_columns]
    return list(dict.fromkeys(c for c in named if c))


def read_source(path: Path, root: Path, options: InputSettings = InputSettings(),
                max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[SourceDocument | Rejected]:
    """The documents of one discovered file: one for an article file, one per record of a record
    file (streamed), each bad one a `Rejected`."""
    path = Path(path)
    if not is_record_file(path):
        yield read_document(path, root, max_bytes)
        return
    rel = path.relative_to(root).as_posix()
    try:  # the same checks as an article file's, before the record reader opens it
        outside = _link_left_input(path, root, rel)
        mode = path.stat().st_mode
    except (OSError, RuntimeError) as exc:
        yield _open_failure(rel, exc)
        return
    if outside is not None or not stat.S_ISREG(mode):
        yield outside or Rejected(rel, None, "not_a_file", "not a regular file (a folder, FIFO, socket or device)")
        return
    for item in read_records(path, record_columns(options), root):
        if isinstance(item, BadRecord):
            where = rel if item.row is None else f"{rel}#{item.row}"
            yield Rejected(where, None, item.reason, item.message)
        else:
            yield record_document(item.values, item.row, rel, options, max_bytes)


def read_inputs(paths: Iterable[Path], root: Path, options: InputSettings = InputSettings(),
                max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Iterator[tuple[int, SourceDocument | Rejected]]:
    """Every document of every path, lazily, each with the number of files finished before it
    (for progress): memory holds one record batch, never a whole record file. A second document
    with an article key already read in this run (a repeated id, or the same record text twice
    without an id column) is rejected as `duplicate`: an article has one current analysis."""
    first_read: dict[str, str] = {}  # article key → where it was read (one short string per document)
    for files_done, path in enumerate(paths):
        for item in read_source(path, root, options, max_bytes):
            if isinstance(item, SourceDocument):
                first = first_read.setdefault(item.article_key, item.source_path)
                if first != item.source_path:
                    what = (f"id {item.article_key!r}" if options.id_column
                            else f"the same text (content hash {item.article_key})")
                    item = Rejected(item.source_path, item.size_bytes, "duplicate",
                                    f"{what} was already read from {first} in this run; an article has one "
                                    "current analysis, so this one is not analysed (give each record its own id)")
            yield files_done, item
