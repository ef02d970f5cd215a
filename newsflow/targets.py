"""Stance targets as text: a target and its other names, where a text names it, and the
entities an article is most about (when a run names no targets). Plain Python, no models."""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from typing import Sequence

from pydantic import BaseModel, Field

from newsflow.repair import word_zipf


class Target(BaseModel, frozen=True):
    """A stance target and the other names it goes by ("North Korea" = "DPRK", "Pyongyang")."""

    name: str = Field(min_length=1)
    aliases: tuple[str, ...] = ()

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


# first / last words that make a two- or three-word name a place, body or thing, not a person
_NOT_PERSON_FIRST = {"North", "South", "East", "West", "Central", "New", "United", "Saudi", "Hong",
                     "Sri", "El", "Los", "San", "Le", "La", "The", "Federal", "Supreme", "White",
                     "European", "Prime", "Islamic", "Democratic", "Republican", "Red", "World"}
_NOT_PERSON_LAST = {"Union", "States", "Kingdom", "Nations", "Council", "Party", "Republic",
                    "Federation", "Ministry", "Court", "House", "Bank", "Company", "Corporation",
                    "Inc", "Group", "Army", "Forces", "Office", "Department", "Agency", "Street",
                    "Times", "Post", "News", "Fund", "Organization", "Organisation", "Committee",
                    "Commission", "Assembly", "Parliament", "Congress", "Senate", "Korea", "Africa",
                    "America", "Arabia", "Kong", "Lanka", "Zealand", "Coast", "Sea", "Ocean",
                    "Island", "Islands", "City", "County", "State", "University", "Institute"}
_NAME_WORD = re.compile(r"^[A-Z][a-z]+(?:[-'’][A-Za-z]+)*$")


def surname(name: str) -> str | None:
    """The word a full personal name is also cited by in news ("Vladimir Putin" → "Putin", "Kim
    Jong-un" → "Kim", "Benjamin Koellmann" → "Koellmann"); None for single words, places and
    organisations ("North Korea", "European Union")."""
    words = name.split()
    if not 2 <= len(words) <= 3 or not all(_NAME_WORD.match(w) for w in words):
        return None
    if words[0] in _NOT_PERSON_FIRST or words[-1] in _NOT_PERSON_LAST:
        return None
    if "-" in words[1] and len(words) == 2:  # Korean order: family name first
        return words[0]
    return words[-1]


def mention_names(target: Target) -> tuple[str, ...]:
    """Every form a mention may take: the name, the configured aliases, and the surname of each
    full personal name among them (a cheap coreference: "Putin" for "Vladimir Putin")."""
    names = list(target.names)
    for n in target.names:
        short = surname(n)
        if short and short not in names:
            names.append(short)
    return tuple(names)


_ACRONYM = re.compile(r"^(?:[A-Z]{2,}|(?:[A-Z]\.){2,})$")


def form_pattern(form: str) -> str:
    """The regex of one mention form. An acronym matches only as written ("US" is not "us", "WHO"
    not "who"); a form with a capital initial needs that capital, the rest in any case ("Rich" is
    not "rich", "Like" not "like"; "WikiLeaks" is "Wikileaks"); a form in lower case matches
    either case ("sanctions" opening a sentence, "the West" as "The West")."""
    if _ACRONYM.match(form):
        return re.escape(form)
    if form[0].isupper():
        return re.escape(form[0]) + f"(?i:{re.escape(form[1:])})" if len(form) > 1 else re.escape(form)
    return f"(?i:{re.escape(form)})"


@lru_cache(maxsize=4096)  # called per sentence and target: build each target's pattern once
def mention_pattern(target: Target) -> re.Pattern[str]:
    """Whole-word match of any of the target's mention forms (`mention_names`, possessives
    included), each form's case as `form_pattern` reads it."""
    names = sorted(mention_names(target), key=len, reverse=True)
    alternation = "|".join(form_pattern(n) for n in names)
    return re.compile(rf"(?<!\w)(?:{alternation})(?:['’][sS])?(?!\w)")


def mention_spans(sentence: str, target: Target) -> list[tuple[int, int]]:
    """Character spans [start, end) of the target's mentions in a sentence (longest form first,
    non-overlapping)."""
    return [m.span() for m in mention_pattern(target).finditer(sentence)]


def mentioning_sentences(sentences: Sequence[str], target: Target) -> list[int]:
    """Indices of the sentences that name the target: the only ones stance may rest on."""
    pattern = mention_pattern(target)
    return [i for i, s in enumerate(sentences) if pattern.search(s)]


_STOP = {
    "The", "A", "An", "This", "That", "These", "Those", "It", "Its", "He", "She", "They", "We",
    "I", "You", "His", "Her", "Their", "Our", "My", "Your", "In", "On", "At", "By", "For", "From",
    "To", "Of", "With", "After", "Before", "During", "Since", "Until", "While", "When", "Where",
    "What", "Who", "Why", "How", "If", "But", "And", "Or", "So", "Yet", "As", "Also", "However",
    "According", "Meanwhile", "Moreover", "Furthermore", "Following", "First", "Then", "Now",
    "Today", "Yesterday", "Tomorrow", "There", "Here", "Both", "All", "Some", "Many", "Most",
    "Such", "Other", "Another", "Each", "Every", "No", "Not", "Mr", "Mrs", "Ms", "Dr", "Photo",
    "Video", "Read", "Source", "Image", "Getty", "Images", "Reuters", "AP", "AFP", "Sputnik",
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December", "President", "Minister", "Prime", "Leader", "Chairman", "Deputy",
    "Last", "Next", "One", "Two", "Three", "Earlier", "Later", "Despite", "Although", "Because",
    "Instead", "Still", "Just", "Only", "Even", "Recently", "Thus", "Therefore", "Besides",
    "Russian", "Chinese", "American", "British", "French", "German", "Korean", "Ukrainian",
    "Soviet", "European", "Western", "Eastern", "Northern", "Southern", "Japanese", "Iranian",
    "Israeli", "Indian", "Turkish", "Italian", "Spanish", "Polish", "Foreign", "State", "CEO",
    "News", "Center", "Centre", "Ministry", "Department", "Government", "Council", "Let",
}
# titles before a name: a span is cut at its last title ("Vice President Biden" → "Biden", "House
# Speaker Nancy Pelosi" → "Nancy Pelosi"), the part before kept when nothing follows ("Bank of
# England Governor" → "Bank of England")
_TITLES = {
    "President", "Vice", "Minister", "Prime", "Secretary", "Senator", "Sen", "Rep", "Representative",
    "Gov", "Governor", "Ambassador", "Judge", "Mayor", "Speaker", "Professor", "Prof", "Sir",
    "Chancellor", "Spokesman", "Spokeswoman", "Spokesperson", "Commissioner", "Chairman",
    "Chairwoman", "Deputy", "Leader", "CEO", "Mr", "Mrs", "Ms", "Dr", "Lt", "Col", "Gen", "Sgt",
    "Capt", "Adm", "Sheriff", "Rev", "Lieutenant",
}
# a contraction is never a name ("It’s", "Don't", "They’re"); a possessive is its word's
_CONTRACTION = re.compile(r"(?:n['’]t|['’](?:re|ll|m|ve|d))$")
_POSSESSIVE = re.compile(r"['’]s$")


# nouns of institutions: never a target alone, but part of a longer name at either end ("Press
# Council", "State Department", "Foreign Ministry", "Fox News")
_INSTITUTION = {"Council", "Ministry", "Department", "Government", "News", "Center", "Centre", "State", "Foreign"}


def _is_stop(word: str) -> bool:
    return (word in _STOP or word in {"of", "the"} or bool(_CONTRACTION.search(word))
            or _POSSESSIVE.sub("", word) in _STOP)


def _trims(word: str) -> bool:
    """A stop word that is trimmed off either end of a span (institution nouns are not)."""
    return _is_stop(word) and _POSSESSIVE.sub("", word) not in _INSTITUTION


# word: capitalised (camel case, inner hyphen/apostrophe parts: "WhatsApp", "Jong-un", "O'Brien") or an acronym
_WORD = r"(?:[A-Z][a-z]+(?:[A-Z][a-z]+)*(?:[-'’][A-Za-z]+)*|[A-Z]{2,}[a-z]?|[A-Z]\.(?:[A-Z]\.)+)"
_SPAN = re.compile(rf"(?<![\w-]){_WORD}(?:\s+(?:of\s+(?:the\s+)?)?{_WORD})*")
_CONNECTOR = re.compile(r"\s+of\s+(?:the\s+)?")
_COMPASS = {"North", "South", "East", "West", "Central"}
COMMON_WORD_ZIPF = 5.0  # a capitalised word that only ever opens a sentence, this common, is no name
OPENING_WORD_ZIPF = 5.5  # a word this common opening a sentence before a name is not part of it ("See": 6.1; "Mark": 5.1)
_COMPOUND_DEMONYMS = {"North Korean": "North Korea", "South Korean": "South Korea",
                      "South African": "South Africa", "Saudi Arabian": "Saudi Arabia"}


# a compound adjective names its place, group or person: "Pakistan-based", "Obama-era", "Kremlin-backed"
_HYPHEN_ADJECTIVE = re.compile(r"^(\S+?)-(?:based|born|bred|led|backed|owned|run|funded|made|style|era|bound|"
                               r"linked|allied|controlled|sponsored|friendly|centric)$")


_LOWER_WORD = re.compile(r"(?<![\w'’./@-])[a-z]+(?![\w'’@-]|\.\w)")  # not inside a URL or an address


def _candidates(sentence: str, lowercase: frozenset[str] = frozenset()) -> list[tuple[str, bool]]:
    """Candidate names in a sentence, each with whether it opens the sentence. `lowercase`: the
    words its document also writes in lower case; such a word opening a sentence before a name is
    an ordinary word ("See Facebook" is "Facebook")."""
    spans: list[tuple[str, bool]] = []
    start = next((i for i, ch in enumerate(sentence) if ch.isalnum()), 0)
    for m in _SPAN.finditer(sentence):
        span = m.group(0)
        for demonym, place in _COMPOUND_DEMONYMS.items():
            span = re.sub(rf"\b{demonym}\b", place, span)
        words = span.split()
        opens = m.start() == start or sentence[:m.start()].rstrip().endswith(":")  # "Related: Rich are …"
        if opens and len(words) > 1 and words[0].lower() in lowercase:  # a single word: see discover_targets
            words, opens = words[1:], False
        parts: list[list[str]] = [[]]  # a possessive or compound adjective ends a name: "Verizon’s Yahoo"
        for w in words:
            base = _HYPHEN_ADJECTIVE.sub(r"\1", w)
            parts[-1].append(base)
            if base != w or _POSSESSIVE.search(w):
                parts.append([])
        for k, words in enumerate(parts):
            at_start = opens and k == 0
            titles = [i for i, w in enumerate(words) if w in _TITLES]
            if titles:
                words = words[titles[-1] + 1:] or words[:titles[-1]]
            # drop leading/trailing stopwords ("According", "The", titles, demonyms, months, "It’s")
            while words and _trims(words[0]):
                words, at_start = words[1:], False
            while words and _trims(words[-1]):
                words = words[:-1]
            if not words or len(words) == 1 and _is_stop(words[0]):
                continue
            span = _POSSESSIVE.sub("", " ".join(words))
            if len(span) < 2 or span in _COMPASS or _CONNECTOR.fullmatch(span):
                continue
            spans.append((span, at_start))
    return spans


def _drop_opening_word(span: str, inside: set[str]) -> str:
    """A name that opens a sentence without its first word when that word is a common one and the
    rest is a name the text uses elsewhere while the whole never stands inside a sentence ("See
    Facebook" beside "Facebook"); places and bodies keep theirs ("New York", "White House")."""
    first, _, rest = span.partition(" ")
    if (rest and span not in inside and rest in inside and first not in _NOT_PERSON_FIRST | _COMPASS
            and word_zipf(first.lower()) >= OPENING_WORD_ZIPF):
        return rest
    return span


def demonym_forms(place: str) -> set[str]:
    """Adjectives a place name forms by suffix ("Syria" → "Syrian", "Iran" → "Iranian", "Israel" →
    "Israeli", "China" → "Chinese", "Ukraine" → "Ukrainian", "Germany" → "German")."""
    stem = place[:-1]
    forms = {place + "n", place + "an", place + "ian", place + "i", place + "ese",
             stem + "ian", stem + "ese", stem + "an"}
    if place.endswith("y"):
        forms.add(stem)
    return (forms | {f + "s" for f in forms}) - {place}  # "Tunisians" too


def discover_targets(sentences: Sequence[str], k: int = 5) -> list[Target]:
    """The (up to) k entities the text is most about, most frequent first.

    Capitalised spans (camel case too: "WhatsApp", "McDonald") and acronyms are counted once per
    sentence; stopwords, titles, demonyms, contractions and dates are trimmed, a span is cut at a
    title before a name and ends at a possessive or a compound adjective ("Verizon’s Yahoo",
    "Pakistan-based"); nouns of institutions stay in a name ("Press Council", "State Department").
    A sentence's first word is dropped before a name when the text also writes it in lower case,
    or when it is a very common word (Zipf ≥ OPENING_WORD_ZIPF) and the rest is a name used
    elsewhere ("See Facebook"); a word after a colon opens too. A single word is dropped when it is
    the demonym of another candidate ("Syrian" beside "Syria"; demonyms are not mentions), when the
    text writes it in lower case as often ("City", "Poverty") or at all while it is a common word
    ("Like" beside "like": Zipf ≥ COMMON_WORD_ZIPF), or when it only ever opens a sentence and is
    written in lower case too ("Opponents") or is a common word ("Either"). A single word that ends
    a longer name ("Putin" in "Vladimir Putin", "Delhi" in "New Delhi"), or starts one before a
    hyphenated word ("Kim" in "Kim Jong-un"), is
    merged into the most frequent such name (counts added; not into "North India" and the like,
    another place), and the merged target is named by the full name, with the other forms as
    aliases.
    """
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    lower_counts = Counter(w for s in sentences for w in _LOWER_WORD.findall(s))
    lowercase = frozenset(lower_counts)
    found = [_candidates(sentence, lowercase) for sentence in sentences]
    # seen somewhere other than a sentence's first word
    inside = {span for spans in found for span, at_start in spans if not at_start}
    for si, spans in enumerate(found):
        for span in {_drop_opening_word(span, inside) if at_start else span for span, at_start in spans}:
            counts[span] += 1
            first_seen.setdefault(span, si)
    singles = [s for s in counts if " " not in s]
    for demonym in {d for place in singles for d in demonym_forms(place)} & set(singles):
        del counts[demonym]
    for word in singles:  # "City", "Poverty" where the text writes "city", "poverty" as often or more;
        # only ever opening a sentence: "Opponents" written in lower case too, "Either" a common word
        if word in counts and word.istitle() and (counts[word] <= lower_counts[word.lower()] or (
                word not in inside and (word.lower() in lowercase or word_zipf(word.lower()) >= COMMON_WORD_ZIPF)) or (
                word.lower() in lowercase and word_zipf(word.lower()) >= COMMON_WORD_ZIPF)):  # "Like" beside "like"
            del counts[word]
    if not counts:
        return []
    # merge a name part into the most frequent full name holding it: the last word
    # ("Putin" → "Vladimir Putin") or a first word before a hyphenated one ("Kim" → "Kim Jong-un")
    parent: dict[str, str] = {}
    spans = sorted(counts, key=lambda s: (-counts[s], first_seen[s], s))
    for span in spans:
        if " " in span:
            continue
        hosts = []
        for s in spans:
            words = s.split()
            if not 2 <= len(words) <= 3 or "of" in words or words[0] in _COMPASS:
                continue
            if words[-1] == span or (words[0] == span and "-" in words[1]):
                hosts.append(s)
        if hosts:
            parent[span] = max(hosts, key=lambda s: (counts[s], -first_seen[s]))

    def root(s: str) -> str:
        seen = set()
        while s in parent and s not in seen:
            seen.add(s)
            s = parent[s]
        return s

    groups: dict[str, list[str]] = {}
    for span in spans:
        groups.setdefault(root(span), []).append(span)
    ranked = sorted(groups.values(), key=lambda g: (-sum(counts[s] for s in g),
                                                    min(first_seen[s] for s in g)))
    out: list[Target] = []
    for group in ranked[:k]:
        name = root(group[0])
        forms = [s for s in sorted(group, key=lambda s: (-counts[s], first_seen[s], s)) if s != name]
        out.append(Target(name=name, aliases=tuple(forms)))
    return out


def parse_target(spec: str) -> Target:
    """A target from its text form: the name, then its aliases after '=' separated by ','
    ("North Korea=DPRK,Pyongyang"), as on the command line."""
    name, _, aliases = spec.partition("=")
    return Target(name=name.strip(), aliases=tuple(a.strip() for a in aliases.split(",") if a.strip()))


def parse_targets(value: object) -> tuple[Target, ...]:
    """An article's targets from a record's targets column or a front-matter `targets:` entry: a
    list of target texts, or one text of them separated by ';' ("Roy Moore; North Korea=DPRK").
    None and blank texts give no targets; any other type is a TypeError (the caller rejects the
    record). Repeated names are kept once."""
    if value is None:
        return ()
    if isinstance(value, str):
        specs = value.split(";")
    elif isinstance(value, (list, tuple)) and all(isinstance(v, str) or v is None for v in value):
        specs = [v for v in value if v is not None]
    else:
        raise TypeError(f"targets must be a list of names or one ';'-separated text, not {type(value).__name__}")
    out: dict[str, Target] = {}
    for spec in specs:
        if spec.strip() and spec.partition("=")[0].strip():
            target = parse_target(spec)
            out.setdefault(target.name, target)
    return tuple(out.values())
