"""Split a news article's text into title, sections, paragraphs, pull-quotes and photo credits.

Pure functions over strings. Plain-text articles (one paragraph or subheading per line, as the
seed) and Markdown (`#`/`##` headings, `![caption](picture)` images) are both understood. A
plain-text line is a subheading only when it is heading-shaped and no cue shows it to be something
else (a caption, a dateline, a list item, a line of an embedded post, a teaser, a byline): see
`plain_heading_flags`. Photo credits and captions are kept apart from the prose (`photo_credits`):
a "Photo: …" line, a Markdown image's caption (HTML pages' figure captions arrive so), and a line
that is a photo caption as a whole (`is_caption`, at most MAX_CAPTION_WORDS words). Nothing else
is dropped: every body character lands in the title, a heading, a paragraph, a quote's
attribution or a photo credit (Markdown's `#` and image syntax aside); a line that is no heading
is a paragraph of the current section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

SectionKind = Literal["lead", "body"]

MAX_HEADING_WORDS = 16
MAX_HEADING_CHARS = 140
MIN_QUOTE_WORDS = 6
# a whole line that is a photo caption (`is_caption`) goes to the photo credits up to this length:
# in PerSenT's news paragraphs every caption-marked paragraph up to 60 words is a picture's caption
MAX_CAPTION_WORDS = 60

_TERMINAL = ".!?…:;,"
_CLOSERS = "\"'”’»)]"
# CommonMark: a closing `#` run counts only after a space, so "# C#" is the heading "C#"
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# a line that is one Markdown image: ![caption](destination "optional title")
_MD_IMAGE = re.compile(r'^!\[(.*)\]\(\s*(?:<[^<>]*>|[^()\s]*)(?:\s+"[^"]*")?\s*\)$')
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
    image: bool = False  # a Markdown image line: `text` is its caption (may be empty)


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
        image = _MD_IMAGE.match(line)
        if md and md.group(2):
            flush()
            blocks.append(_Block(md.group(2), markdown_level=len(md.group(1))))
        elif image:
            flush()
            blocks.append(_Block(" ".join(image.group(1).split()), image=True))
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


# --- plain-text subheadings ----------------------------------------------------------------
# A plain-text line is a subheading when it is heading-shaped on its own (`_is_plain_heading`)
# and its neighbours do not show it to be part of something else (`plain_heading_flags`): an
# embedded post, a box of related links, or a list. Each cue is a small function below.

_OPENERS = "\"'“‘«("
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
          r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?")
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
# "Feb. 21, 2019", "21 February 2019", "Updated: Sept. 25, 2018 at 9:30 a.m. ET", "2019-02-21", "1:39 PM ET"
_DATELINE = re.compile(
    rf"^(?=.*\d)(?:(?:last\s+)?(?:updated|published|posted)\s*:?\s*(?:on\s+)?)?"
    rf"(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s+)?"
    rf"(?:{_MONTH}\s+{_DAY},?(?:\s+\d{{4}})?|{_DAY}\s+{_MONTH},?(?:\s+\d{{4}})?|{_MONTH}\s+\d{{4}}"
    rf"|\d{{4}}-\d{{2}}-\d{{2}}|\d{{1,2}}/\d{{1,2}}/\d{{2,4}})?"
    rf"(?:,?\s*(?:at\s+)?\d{{1,2}}[:.]\d{{2}}\s*(?:[ap]\.?m\.?)?(?:\s+[A-Z]{{2,4}})?)?"
    rf"(?:\s+by\s+(?-i:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){{0,4}}))?$",  # "… 7:11 AM PST BY TMZ STAFF"
    re.IGNORECASE,
)
# a URL or an @handle: a line carrying one is an embedded post, a share line or a link, never a heading
_LINK = re.compile(r"https?://|www\.|pic\.twitter\.com/|(?<![\w-])[\w-]+\.(?:com|org|net|co\.uk)\b"
                   r"|(?<![\w@])@\w{2,15}\b")
# the signature line that ends an embedded tweet: "— Name (@handle) November 8, 2019"
_POST_SIGNATURE = re.compile(r"^[—–-]{1,2}\s*\S.*\(@\w{1,15}\)")
MAX_POST_LINES = 3  # lines of post text above a signature
_TEASER_LABELS = ("profile|read more|read|more|also|see also|also read|related|related stories|watch|listen|"
                  "video|audio|podcast|gallery|in pictures|live|timeline|explainer|quiz|newsletter|sign up|"
                  "subscribe|advertisement|sponsored|recommended|map|chart|graphic|interactive|photos")
# "Profile: Julian Assange", "Watch: the moment …", "Read the full transcript", "More about the vote",
# "Map: …" (over a graphic the extraction lost), "Mayor resigns »" (a link's arrow)
_TEASER = re.compile(
    rf"^(?:(?:{_TEASER_LABELS})\s*:|(?:read\s+(?:more|the\s+full|our|all)|watch\s+(?:the|live|our|now|video)"
    rf"|listen\s+(?:to|now|live)|click|subscribe|sign up|continue reading)\b|more\s+(?:about|on|from)\b)",
    re.IGNORECASE,
)
_LINK_ARROWS = ("»", "›", "→")
MAX_LINK_WORDS = 8
_NAME = r"[A-Z][\w'’.-]*"
_BYLINE_ROLES = "correspondent|reporter|editor|writer|columnist|producer|contributor|bureau|staff"
# "By Jane Doe", "By Jane Doe and Li Wei", "Caroline Hawley, BBC diplomatic correspondent"
_BYLINE = re.compile(
    rf"^(?:By\s+(?!(?:The|A|An|This|That)\b){_NAME}(?:\s+{_NAME}){{1,3}}"
    rf"(?:\s+(?:and|&)\s+{_NAME}(?:\s+{_NAME}){{1,3}})?"
    rf"|{_NAME}(?:\s+{_NAME}){{1,3}},\s+[^,]*\b(?:{_BYLINE_ROLES})s?\b.*)$"
)
MAX_BYLINE_WORDS = 12
# news agencies: they file wire stories and credit photos
_NEWS_AGENCIES = r"AP|AFP|Reuters|REUTERS|PA|AAP|Bloomberg|Xinhua"
_AGENCIES = rf"{_NEWS_AGENCIES}|EPA|Getty(?:\s+Images)?|Shutterstock|Alamy|Pool|Handout|File"  # photo credits too
# a photo caption names its picture or its source: "Image caption …", "… (Getty Images)",
# "… (Jane Doe/The Daily News)", "… (Photo by Jane Doe)", "… AP Photo/Jane Doe",
# "… Photograph: Jane Doe/Reuters", "Courtesy of the family", "Credit Jane Doe", a bare "Photo"
_CAPTION = re.compile(  # agencies and names are case-sensitive, the marker words are not
    rf"(?i:\b(?:image|media|photo|toggle)\s+(?:caption|copyright)\b|\benlarge this image\b|^courtesy\b"
    rf"|^file\s+(?:photo|image|picture)\s*:"  # Reuters' "FILE PHOTO: Harvey Weinstein speaks at …"
    rf"|^(?:photo|image|video|graphic)$|\bphotographer\s*:"
    rf"|\((?:photo(?:graph)?|image|picture|credit|courtesy)\b[^()]*\)$"
    rf"|\s(?:photo(?:graph)?|image|picture|credit)s?\s*(?::|©)\s*\S[^.]*$)"
    rf"|^(?i:credit)\s+{_NAME}(?:\s+{_NAME})*(?:\s*/.*)?$|(?:^|\s)©"
    rf"|\((?:[^()]*[\s/])?(?:{_AGENCIES})\b[^()]*\)$|\([^()]*[A-Za-z]\s*/\s*[A-Z][^()]*\)$"
    rf"|\b(?:{_AGENCIES})(?:\s+Photo)?\s*/\s*{_NAME}|{_NAME}\s*/\s*(?:{_AGENCIES})$"
)
_REPORTING = re.compile(r"\b(?:said|says|told|tells|added|adds|according|asked)\b", re.IGNORECASE)
_ANAPHORIC = frozenset("he she it they we i you this that these those his her its their our but and so yet then "
                       "there also".split())
_TABLE_ROW = re.compile(r"\S\s*\|\s*\S")
_NUMBERED = re.compile(r"^\d{1,2}[.)]\s")
_LABEL = re.compile(r"^([^:]{1,40}):\s+\S")
MAX_LABEL_WORDS = 4
MIN_LIST_RUN = 3


# a wire story's place line before its first words: "WASHINGTON (AP) — ", "LAKE CHARLES, La. (Reuters) - ",
# "ABUJA, Nigeria — ", "(WASHINGTON) — ": the place in capitals, then an agency in parentheses or a
# region after a comma, or the place itself in parentheses (without any, "NATO — the alliance — said"
# could be prose). Or a known agency's line: "Washington (CNN) ", "(CNN) -- ", "Hong Kong (Reuters) — "
# (any capitalised place, the dash optional).
_WIRE_AGENCIES = rf"{_NEWS_AGENCIES}|CNN|UPI|dpa|EFE|ANSA|Kyodo|Yonhap|TASS|Interfax|IANS|PTI"
_PLACE_WORDS = r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){0,3}"
_WIRE_DATELINE = re.compile(
    rf"^(?:(?P<paren>\((?=[A-Z.'’ /-]+\)))?[A-Z][A-Z.'’-]+(?:[ /][A-Z][A-Z.'’-]+)*\)?(?:(?P<comma>,)?\s*{_PLACE_WORDS})?"
    rf"\s*(?P<agency>\([A-Z][^()]{{0,29}}\))?\s*(?:—|–|--?)\s+"
    rf"|(?P<wire>(?:{_PLACE_WORDS}(?:,\s*{_PLACE_WORDS})?\s*)?\((?:{_WIRE_AGENCIES})\)\s*(?:(?:—|–|--?)\s*)?))"
)


def strip_wire_dateline(sentence: str, first: bool = False) -> str:
    """The sentence without a wire story's opening place line ("WASHINGTON (AP) — Jeff Sessions
    was …" → "Jeff Sessions was …"): the place says where the story was filed, not what it is about.
    `first`: the article's first sentence, where a bare "WASHINGTON — President Trump …" (capitals, a
    dash, a capitalised word) is a place line too; elsewhere it could be "NATO — The alliance …"."""
    m = _WIRE_DATELINE.match(sentence)
    if m and (m.group("agency") or m.group("comma") or m.group("paren") or m.group("wire")
              or first and sentence[m.end():m.end() + 1].isupper()):
        return sentence[m.end():]
    return sentence


def is_dateline(line: str) -> bool:
    """A line that is only a date (and time): "Feb. 21, 2019", "Updated 21 February 2019 09:30 GMT"."""
    return bool(_DATELINE.match(line.strip()))


def is_teaser(line: str) -> bool:
    """A link to other content: "Profile: …", "Read more: …", "Watch: …", "Read the full transcript"."""
    line = line.strip()
    return bool(_TEASER.match(line.lstrip(_OPENERS))) or line.endswith(_LINK_ARROWS)


def is_byline(line: str) -> bool:
    """"By Jane Doe", or a name then a reporter's role: "Jane Doe, BBC diplomatic correspondent"."""
    line = line.strip()
    return len(line.split()) <= MAX_BYLINE_WORDS and bool(_BYLINE.match(line))


def is_caption(line: str) -> bool:
    """A photo caption, known by its marker or the picture's source at its end. ("©" counts after
    a space or at the start only: "Ã©", a mis-decoded "é", is no copyright sign.)"""
    return bool(_CAPTION.search(line.strip()))


def is_caption_block(block: str) -> bool:
    """A whole paragraph that is a photo caption (kept with the photo credits, out of the prose)."""
    return _n_words(block) <= MAX_CAPTION_WORDS and is_caption(block)


@lru_cache(maxsize=65536)  # asked per sentence for its section's summary and again for its document's
def is_furniture(line: str) -> bool:
    """Page furniture left in a paragraph, not prose a summary should quote: a photo caption or
    credit, an editor's aside in square brackets ("[What you need to know to start the day: Get New
    York Today in your inbox.]"), or a byline, dateline or teaser line that does not end as a
    sentence ends ("Caroline Hawley, BBC diplomatic correspondent"; not "Jane Doe, a reporter,
    said she left.")."""
    line = line.strip()
    return (is_caption(line) or is_photo_credit(line) or line.startswith("[") and line.endswith("]")
            or (is_byline(line) or is_dateline(line) or is_teaser(line)) and not _ends_sentence(line))


def has_link(line: str) -> bool:
    return bool(_LINK.search(line))


def is_post_signature(line: str) -> bool:
    """The last line of an embedded tweet: "— Name (@handle) November 8, 2019"."""
    return bool(_POST_SIGNATURE.match(line.strip()))


def _n_words(text: str | None) -> int:
    return len(text.split()) if text else 0


def _is_question_heading(block: str, next_block: str) -> bool:
    """"What did the prosecutors say?": one question, not in quotation marks, answered by a longer
    paragraph (a question answered by "Yes.", or a quoted one, is dialogue, not a heading)."""
    return (block.rstrip(_CLOSERS).endswith("?") and not block.startswith(tuple(_OPENERS))
            and len(split_sentences(block)) == 1 and _n_words(next_block) > _n_words(block))


def _is_two_part_heading(block: str, previous_block: str | None, next_block: str) -> bool:
    """A statement-and-elaboration heading ending in a full stop ("Prices fell. Buyers came back."):
    2-3 short sentences, no quotation, attribution or digits, not opening with a word that refers
    back, and standing between paragraphs at least twice as long on both sides."""
    if not block.rstrip(_CLOSERS).endswith(".") or not 2 <= len(split_sentences(block)) <= 3:
        return False
    if any(ch in block for ch in "\"“”«»0123456789") or _REPORTING.search(block):
        return False
    if block.split()[0].strip(",").lower() in _ANAPHORIC:
        return False
    return all(_n_words(other) >= 2 * _n_words(block) for other in (previous_block, next_block))


def _is_plain_heading(block: str, next_block: str | None, previous_block: str | None = None) -> bool:
    """Heading-shaped on its own: short, capitalised, something after it, and none of the lines
    that look like headings but are not (credits, captions, datelines, links, teasers, bylines)."""
    if next_block is None or is_photo_credit(block):
        return False
    words = block.split()
    if len(words) > MAX_HEADING_WORDS or len(block) > MAX_HEADING_CHARS:
        return False
    first = block.lstrip(_OPENERS)[:1]
    if not first or not (first.isupper() or first.isdigit()):
        return False
    if is_dateline(block) or has_link(block) or is_teaser(block) or is_byline(block) or is_caption(block):
        return False
    if _ends_sentence(block):
        return _is_question_heading(block, next_block) or _is_two_part_heading(block, previous_block, next_block)
    return True


def _line_shape(line: str) -> str:
    """The shape a list repeats: table row, numbered item, "Label: …" item, statement, short."""
    if _TABLE_ROW.search(line):
        return "table"
    if _NUMBERED.match(line):
        return "numbered"
    label = _LABEL.match(line)
    if label and len(label.group(1).split()) <= MAX_LABEL_WORDS:
        return "label"
    words = line.split()
    if len(words) >= 6 and 2 * sum(w[:1].islower() for w in words[1:]) >= len(words) - 1:
        return "statement"  # sentence case, long enough to say something: a key point or a caption
    return "short"


def list_items(run: list[str], introduced: bool) -> list[bool]:
    """Which lines of a run of consecutive heading-shaped lines are list items rather than headings.
    A run introduced by a paragraph ending in ":" is a list. Otherwise the list is the run's tail of
    lines of one shape ("Path A: …", "Greens | 14 | +5", key-point statements): at least 2 lines
    in a run of at least MIN_LIST_RUN, or 2 table rows or labelled items. Lines before that tail
    stay headings (the heading over the list), and so does a last line of another shape than the
    list's (the heading after it, over the next paragraph)."""
    if introduced and len(run) >= 2:
        return [True] * len(run)
    shapes = [_line_shape(line) for line in run]
    end = len(run) - 1 if len(run) >= MIN_LIST_RUN and shapes[-1] != shapes[-2] else len(run)
    start = end - 1
    while start > 0 and shapes[start - 1] == shapes[end - 1]:
        start -= 1
    is_list = end - start >= 2 and (len(run) >= MIN_LIST_RUN or shapes[end - 1] in ("table", "label", "numbered"))
    return [is_list and start <= i < end for i in range(len(run))]


def plain_heading_flags(blocks: list[str], markdown: list[bool] | None = None) -> list[bool]:
    """For each body block (title excluded), whether it is a plain-text subheading. Markdown
    headings (`markdown[i]`) are decided by their `#` and are False here."""
    markdown = markdown or [False] * len(blocks)
    n = len(blocks)

    def at(i: int) -> str | None:
        return blocks[i] if 0 <= i < n else None

    flags = [not markdown[i] and _is_plain_heading(blocks[i], at(i + 1), at(i - 1)) for i in range(n)]
    # an embedded post: the unpunctuated lines (or lines with a link) just above its signature
    for i, block in enumerate(blocks):
        if is_post_signature(block):
            for j in range(i - 1, max(-1, i - 1 - MAX_POST_LINES), -1):
                if markdown[j] or (_ends_sentence(blocks[j]) and not has_link(blocks[j])):
                    break
                flags[j] = False
    # a photo caption: a statement right above its photo credit
    for i in range(n - 1):
        if flags[i] and is_photo_credit(blocks[i + 1]) and _line_shape(blocks[i]) == "statement":
            flags[i] = False
    # a box of related links: short lines right after a teaser are links of the same box
    in_box = False
    for i, block in enumerate(blocks):
        if is_teaser(block) and not markdown[i]:
            in_box = True
        elif in_box and flags[i] and _n_words(block) <= MAX_LINK_WORDS:
            flags[i] = False
        else:
            in_box = False
    # lists: runs of consecutive heading-shaped lines
    i = 0
    while i < n:
        if not flags[i]:
            i += 1
            continue
        end = i
        while end + 1 < n and flags[end + 1]:
            end += 1
        before = at(i - 1)
        introduced = before is not None and not markdown[i - 1] and before.rstrip(_CLOSERS).endswith(":")
        for k, item in enumerate(list_items(blocks[i:end + 1], introduced)):
            if item:
                flags[i + k] = False
        i = end + 1
    return flags


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

    plain_headings = plain_heading_flags([b.text for b in body],
                                         [b.markdown_level is not None or b.image for b in body])
    for i, block in enumerate(body):
        if block.image:
            if block.text:
                credits.append(block.text)
        elif block.markdown_level is not None or plain_headings[i]:
            close_section()
            heading, paragraphs = block.text, []
        elif is_photo_credit(block.text) or is_caption_block(block.text):
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
