"""Split a news article's text into title, sections, paragraphs, pull-quotes and photo credits.

Pure functions over strings. Plain-text articles (one paragraph or subheading per line, as the
seed) and Markdown (`#`/`##` headings) are both understood. Nothing is dropped: every body
character lands in the title, a heading, a paragraph, a quote's attribution or a photo credit.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

SectionKind = Literal["lead", "body"]

MAX_HEADING_WORDS = 16
MAX_HEADING_CHARS = 140
MIN_QUOTE_WORDS = 6

_TERMINAL = ".!?…:;,"
_CLOSERS = "\"'”’»)]"
# CommonMark: a closing `#` run counts only after a space, so "# C#" is the heading "C#"
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_PHOTO_CREDIT = re.compile(
    r"^(?:photo(?:graph)?s?|image|picture|pictured|credit|фото)\s*(?::|by\b|©)\s*\S.*$", re.IGNORECASE
)
_ROLE_WORDS = (
    "leader|president|head|minister|chairman|chairwoman|chair|spokesman|spokeswoman|spokesperson|"
    "director|secretary|chief|ambassador|governor|mayor|senator|analyst|expert|researcher|professor|"
    "founder|ceo|deputy|member|editor|correspondent|adviser|advisor|commander|chancellor|"
    "representative|official|general|prime|head"
)
# "Inleader" = "In" + "leader"; "PutinPresident" = "Putin" + "President"
_GLUED_ROLE = re.compile(rf"^([A-Z][\w'’.-]*?)((?:{_ROLE_WORDS})\w*)$")
_GLUED_CAMEL = re.compile(r"^([A-Z][a-z'’-]+)([A-Z][a-z]+)$")
_NAME_WORD = re.compile(r"^[A-Z][\w'’.-]*$")


@dataclass(frozen=True)
class Quote:
    text: str
    speaker: str | None
    role: str | None
    section_position: int
    paragraph: int  # index of the quote's paragraph in its section's `paragraphs`


@dataclass(frozen=True)
class Section:
    position: int
    heading: str | None
    kind: SectionKind
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class ParsedArticle:
    title: str
    sections: tuple[Section, ...]
    quotes: tuple[Quote, ...] = ()
    photo_credits: tuple[str, ...] = ()

    @property
    def headings(self) -> tuple[str, ...]:
        return tuple(s.heading for s in self.sections if s.heading is not None)

    @property
    def n_paragraphs(self) -> int:
        return sum(len(s.paragraphs) for s in self.sections)


@dataclass(frozen=True)
class _Block:
    text: str
    markdown_level: int | None = None  # set when the block was a `#` heading


def _blocks(text: str) -> list[_Block]:
    """Paragraph-level blocks. Blank-line separated files may hard-wrap paragraphs; otherwise
    every line is a block (the seed's shape)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    has_blank_lines = any(not ln.strip() for ln in lines) and sum(1 for ln in lines if ln.strip()) > 1
    blocks: list[_Block] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            blocks.append(_Block(" ".join(pending)))
            pending.clear()

    for raw in lines:
        line = " ".join(raw.split())
        if not line:
            flush()
            continue
        md = _MD_HEADING.match(line)
        if md and md.group(2):
            flush()
            blocks.append(_Block(md.group(2), markdown_level=len(md.group(1))))
        elif has_blank_lines and not _PHOTO_CREDIT.match(line):
            pending.append(line)
        else:
            flush()
            blocks.append(_Block(line))
    flush()
    return blocks


def _ends_sentence(text: str) -> bool:
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _TERMINAL


def is_photo_credit(line: str) -> bool:
    return bool(_PHOTO_CREDIT.match(line.strip()))


def split_attribution(paragraph: str) -> tuple[str, str, str] | None:
    """A pull-quote whose speaker and role are glued onto its end, as news sites' markup loses
    them: "… to a new level Kim Chen Inleader of the DPRK" → (quote, "Kim Chen In", "leader of the DPRK")."""
    if _ends_sentence(paragraph):
        return None
    words = paragraph.split(" ")
    for i in range(len(words) - 1, max(-1, len(words) - 10), -1):
        glued = _GLUED_CAMEL.match(words[i]) or _GLUED_ROLE.match(words[i])
        if not glued:
            continue
        name_start = i
        while name_start > 0 and i - name_start < 3 and _NAME_WORD.match(words[name_start - 1]):
            name_start -= 1
        speaker = " ".join([*words[name_start:i], glued.group(1)])
        role = " ".join([glued.group(2), *words[i + 1:]])
        quote = " ".join(words[:name_start])
        if name_start == i or len(quote.split()) < MIN_QUOTE_WORDS:
            return None
        return quote, speaker, role
    return None


def _is_plain_heading(block: str, next_block: str | None) -> bool:
    if next_block is None or _ends_sentence(block) or is_photo_credit(block):
        return False
    words = block.split()
    if len(words) > MAX_HEADING_WORDS or len(block) > MAX_HEADING_CHARS:
        return False
    first = block.lstrip("\"'“‘«(")[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def parse_article(text: str) -> ParsedArticle:
    """Title (first line), lead section, one section per subheading, quotes and photo credits."""
    blocks = _blocks(text)
    if not blocks:
        return ParsedArticle(title="", sections=())
    title = blocks[0].text
    body = blocks[1:]

    sections: list[Section] = []
    quotes: list[Quote] = []
    credits: list[str] = []
    heading: str | None = None
    paragraphs: list[str] = []

    def close_section() -> None:
        if heading is None and not paragraphs:
            return
        kind: SectionKind = "lead" if heading is None else "body"
        sections.append(Section(len(sections), heading, kind, tuple(paragraphs)))

    for i, block in enumerate(body):
        nxt = body[i + 1].text if i + 1 < len(body) else None
        if block.markdown_level is not None or _is_plain_heading(block.text, nxt):
            close_section()
            heading, paragraphs = block.text, []
        elif is_photo_credit(block.text):
            credits.append(block.text)
        elif (attributed := split_attribution(block.text)) is not None:
            quote, speaker, role = attributed
            quotes.append(Quote(quote, speaker, role, len(sections), len(paragraphs)))
            paragraphs.append(quote)
        else:
            paragraphs.append(block.text)
    close_section()
    return ParsedArticle(title, tuple(sections), tuple(quotes), tuple(credits))


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e approx no gen sen rep gov lt col capt sgt inc ltd co corp "
    "jan feb mar apr jun jul aug sep sept oct nov dec mt ft dept est fig vol".split()
)
_INITIALS = re.compile(r"(?:[A-ZА-ЯЁ]\.)*[A-ZА-ЯЁ]")  # "A.V", "U.S", "J"
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’»)\]]*(?=\s+[\"'“‘«(\[]?[A-ZА-ЯЁ0-9])")


MAX_SENTENCE_WORDS = 120  # longer is no sentence but text without punctuation: split it
FALLBACK_CHUNK_WORDS = 50  # … into chunks this long at most (under the default summary budget)
_WORD = re.compile(r"\S+")


def _bounded(sentence: str) -> list[str]:
    """`sentence`, or for a run-on without punctuation, near-equal chunks of whole words (each a
    slice of the original text), so no unit the encoder and summarizer see is unbounded."""
    spans = [m.span() for m in _WORD.finditer(sentence)]
    if len(spans) <= MAX_SENTENCE_WORDS:
        return [sentence]
    n_chunks = -(-len(spans) // FALLBACK_CHUNK_WORDS)
    size = -(-len(spans) // n_chunks)
    return [sentence[spans[i][0]:spans[min(i + size, len(spans)) - 1][1]] for i in range(0, len(spans), size)]


def split_sentences(paragraph: str) -> list[str]:
    """Sentence split on terminal punctuation followed by a capitalised start, except after
    abbreviations and initials ("A.V. Alexandrov", "Oct. 25", "U.S. forces"). Linear in the text;
    a "sentence" over MAX_SENTENCE_WORDS words falls back to chunks of FALLBACK_CHUNK_WORDS."""
    sentences: list[str] = []
    start = 0
    for match in _SENTENCE_END.finditer(paragraph):
        # the word before the punctuation; looked up in a short window (not the whole text since
        # `start`, which made "Dr. X Dr. X …" quadratic). A longer word is no abbreviation.
        window_start = max(start, match.start() - 32)
        before = paragraph[window_start:match.start()].split()
        word = before[-1] if before else ""
        if window_start > start and len(before) == 1 and not paragraph[window_start - 1].isspace():
            word = ""
        is_single_period = match.group().rstrip(_CLOSERS) == "."
        if is_single_period and (word.lower() in _ABBREVIATIONS or _INITIALS.fullmatch(word)):
            continue
        end = match.end()
        piece = paragraph[start:end].strip()
        if piece:
            sentences.extend(_bounded(piece))
        start = end
    tail = paragraph[start:].strip()
    if tail:
        sentences.extend(_bounded(tail))
    return sentences
