"""Property-based tests of the parser: it never raises, and it never silently drops text.

Every non-whitespace character of the input, except Markdown heading `#` markers and the syntax of
a Markdown image line (`![caption](picture)`: its caption stays), must appear in
title + headings + paragraphs + quote attributions (speaker, role) + photo credits: the main
stream (title, headings, paragraphs with each quote's speaker and role after it) in input order,
each photo credit in input order, and as a whole the same characters, each as often.
"""

from __future__ import annotations

import re
import time
from collections import Counter

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newsflow.sectioning import (FALLBACK_CHUNK_WORDS, MAX_SENTENCE_WORDS, ParsedArticle, parse_article,
                                 split_sentences)

# A Markdown ATX heading: 1-6 `#`, a space, text; an optional closing `#` run after a space.
_ATX = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
# A line that is one Markdown image: ![caption](destination "optional title").
_IMAGE = re.compile(r'^!\[(.*)\]\(\s*(?:<[^<>]*>|[^()\s]*)(?:\s+"[^"]*")?\s*\)$')


def expected_chars(text: str) -> str:
    """The input's non-whitespace characters, heading markers removed (what must survive)."""
    kept = []
    for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = " ".join(raw.split())
        md = _ATX.match(line)
        image = _IMAGE.match(line)
        if md and md.group(2):
            line = md.group(2)
        elif image:
            line = image.group(1)
        kept.append(line)
    return "".join(ch for ch in "".join(kept) if not ch.isspace())


def _chars(parts) -> str:
    return "".join(ch for ch in "".join(parts) if not ch.isspace())


def main_stream(article: ParsedArticle) -> str:
    """Title, then each section's heading and paragraphs (quotes' attributions are checked apart:
    a quote does not say which of two identical paragraphs it came from)."""
    parts = [article.title]
    for section in article.sections:
        parts += ([section.heading] if section.heading is not None else []) + list(section.paragraphs)
    return _chars(parts)


def is_subsequence(needle: str, haystack: str) -> bool:
    it = iter(haystack)
    return all(ch in it for ch in needle)


def check_nothing_dropped(text: str) -> None:
    article = parse_article(text)
    expected = expected_chars(text)
    stream = main_stream(article)
    credits = _chars(article.photo_credits)
    attributions = _chars(part for q in article.quotes for part in (q.speaker or "", q.role or ""))
    assert is_subsequence(stream, expected), "title/headings/paragraphs out of order or invented"
    assert is_subsequence(credits, expected), "photo credits out of order or invented"
    for quote in article.quotes:  # each quote's text, speaker, role: in this order in the input
        paragraphs = article.sections[quote.section_position].paragraphs
        assert quote.text in paragraphs
        assert is_subsequence(_chars([quote.text, quote.speaker or "", quote.role or ""]), expected)
    assert Counter(stream + credits + attributions) == Counter(expected), "characters dropped or duplicated"
    # positions are 0..n-1
    assert [s.position for s in article.sections] == list(range(len(article.sections)))


# Lines shaped like the things the parser looks for, so the interesting branches are reached.
_words = st.sampled_from(["Putin", "Kim", "talks", "the", "DPRK", "Chen", "Inleader", "PutinPresident",
                          "of", "Russia", "said", "C#", "#", "##", "Photo:", "Credit", "by", "©", "фото:",
                          "Путин", "«quote»", "“Yes”", "U.S.", "Dr.", "A.V.", "25", "…", "-", "\u00a0",
                          "a.", "B!", "c?", "x,",
                          # shapes the heading cues look for: dates, links, handles, labels, table cells
                          "Feb.", "21,", "2019", "9:30", "pic.twitter.com/x1", "(@handle)", "—", "Profile:",
                          "Read", "|", "(Getty", "Images)", "By", "correspondent", "»", ":"])
_line = st.one_of(
    st.lists(_words, min_size=0, max_size=14).map(" ".join),
    st.builds(lambda h, ws: h + " " + " ".join(ws), st.sampled_from(["#", "##", "###", "#######", "#\t"]),
              st.lists(_words, max_size=5)),
    st.builds(lambda ws: "Photo: " + " ".join(ws), st.lists(_words, min_size=1, max_size=4)),
    st.builds(lambda ws, dest: "![" + " ".join(ws) + "](" + dest + ")", st.lists(_words, max_size=6),
              st.sampled_from(["", "a.jpg", 'a.jpg "T"', "<a b.jpg>", "a b"])),
    st.builds(lambda ws, who: " ".join(ws) + " " + who,
              st.lists(_words, min_size=6, max_size=10),
              st.sampled_from(["Kim Chen Inleader of the DPRK", "Vladimir PutinPresident of Russia"])),
    st.text(max_size=40),
)
_articles = st.one_of(
    st.lists(_line, max_size=12).map("\n".join),
    st.lists(_line, max_size=12).map("\n\n".join),
    st.text(max_size=300),
    st.text(alphabet=st.sampled_from("# \n\r\t.:aZ©Я\u2028\x1c"), max_size=120),
)

_SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@_SETTINGS
@given(_articles)
@example("Title\n# C#\nBody.")  # found: the closing-marker regex ate the `#` of "C#"
@example("Title\n## Section ##\nText.")  # a real closing sequence is a marker, dropped
@example("Title\n\n#\n\nText")
@example("0\n" + "talks Putin Putin Putin Putin Putin Putin talks\n" * 2  # a quote equal to an
         + "talks Putin Putin Putin Putin Putin Putin talks Kim Chen Inleader of the DPRK")  # earlier paragraph
@example("T\n\nSaid:\n\nA b c\n\nB c d\n\nText.")  # a list after a colon: its lines stay paragraphs
@example("T\nPath A: x\nPath B: y\nC | 1\nD | 2\nWhy? Because the text says so.\nE\n— F (@g) May 1, 2019\nH.")
@example("![Photo](x.jpg)\n\nT\n\n![A [b] c](y.png)\n\nText (Getty Images)\n\nMore.")
def test_parse_article_never_raises_and_drops_nothing(text: str):
    check_nothing_dropped(text)


@_SETTINGS
@given(st.text(max_size=400))
def test_split_sentences_keeps_every_character_in_order(paragraph: str):
    paragraph = " ".join(paragraph.split())
    sentences = split_sentences(paragraph)
    assert "".join("".join(s.split()) for s in sentences) == "".join(paragraph.split())
    assert all(s == s.strip() and s for s in sentences)
    assert all(len(s.split()) <= MAX_SENTENCE_WORDS for s in sentences)


def test_markdown_heading_keeps_a_hash_that_is_part_of_the_text():
    article = parse_article("Title\n\n# C# and F#\n\nBody text.\n\n## Results ##\n\nMore.")
    assert article.headings == ("C# and F#", "Results")


def test_two_megabytes_without_punctuation_is_parsed_fast_into_bounded_chunks():
    words = " ".join(f"word{i % 97}" for i in range(300_000))  # ~2.1 MB, no punctuation, one line
    t0 = time.perf_counter()
    article = parse_article("A title\n" + words)
    sentences = [s for sec in article.sections for p in sec.paragraphs for s in split_sentences(p)]
    elapsed = time.perf_counter() - t0
    assert len(words) > 2_000_000
    assert elapsed < 10, f"took {elapsed:.1f}s"
    assert max(len(s.split()) for s in sentences) == FALLBACK_CHUNK_WORDS
    assert " ".join(sentences) == words  # chunks are slices of the text: nothing lost
    assert len(sentences) == 300_000 // FALLBACK_CHUNK_WORDS


def test_many_abbreviations_split_in_linear_time():
    text = "Dr. Smith met St. Louis officials. " * 20_000  # ~700 KB; was quadratic in the text since the last split
    t0 = time.perf_counter()
    sentences = split_sentences(text)
    assert time.perf_counter() - t0 < 5
    assert sentences[0] == "Dr. Smith met St. Louis officials."
    assert len(sentences) == 20_000


def test_thousands_of_headings():
    text = "Title\n" + "\n".join(f"Heading {i}\nParagraph {i} says something." for i in range(3000))
    t0 = time.perf_counter()
    article = parse_article(text)
    assert time.perf_counter() - t0 < 5
    assert len(article.sections) == 3000
    assert article.headings[0] == "Heading 0" and article.headings[-1] == "Heading 2999"
    check_nothing_dropped(text)
