"""A saved news page → its article as newsflow text: the title on the first line, then the body's
paragraphs, its subheadings (h2-h4, as Markdown `## ` lines, which the section parser splits on)
and its figure captions (as Markdown images, `![caption]()`, which the section parser keeps with
the photo credits, out of the analysed prose), each block separated by a blank line. A caption is
a `figcaption` or an element whose class names a caption or credit (`class="article_caption"`); an
h2-h4 that is a long sentence (over `sectioning.MAX_HEADING_WORDS` words, ending as a sentence
ends) is a standfirst, kept as a paragraph. A paragraph or list item that is one link and nothing
else is the page's navigation, left out like the menus readability drops: on the saved pages
"Continue reading the main story" (NYT, 7×), "Related: …" (CNN), "[Read: …]" and the related-story
links under the Washington Post's article.

The article is found by readability-lxml (a port of Mozilla's Readability). On the 23 saved
pages of ../shared/eval/html it kept 98.0 % of the expected body's words at 99.5 % precision
(token F1 0.987; trafilatura 2.3: 0.972, jusText: 0.810), and it keeps the page's subheadings
(24 of 29, trafilatura 13) and captions (8 of 10, trafilatura 4) in place
(benchmarks/html_extractors.py). The expected bodies come from Mozilla's Readability, so
readability-lxml shares their notion of an article; the structure counts decided it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsflow.sectioning import MAX_HEADING_WORDS

HEADINGS = {"h2", "h3", "h4"}
MIN_ARTICLE_WORDS = 10  # fewer words in the body: the page holds no article (a menu, a login wall)
# elements whose whole text is one block; anything else is walked into
_LEAF_BLOCKS = {"p", "figcaption", "li", "blockquote", "pre", "dt", "dd", "caption", "h1", "h5", "h6", "td", "th"}
_SKIP = {"script", "style", "noscript", "template", "svg", "button", "form", "iframe"}
# a class token naming a caption ("caption", "article_caption_w_attr", "caption-text") or ending in
# a credit ("credit", "photo_credit"; not "credit-card-offer"), not their absence ("no_caption")
_CAPTION_CLASS = re.compile(r"(?:^|[-_])captions?(?:$|[-_])|(?:^|[-_])credits?$", re.IGNORECASE)
_NO_CAPTION_CLASS = re.compile(r"(?:^|[-_])no[-_]?(?:caption|credit)", re.IGNORECASE)
MAX_CAPTION_WORDS = 120  # a "caption" element holding more is a container, walked into


@dataclass(frozen=True)
class ExtractedArticle:
    title: str
    blocks: tuple[str, ...]  # paragraphs, captions and `## ` subheadings, in page order

    @property
    def text(self) -> str:
        """The article as newsflow text (title line, blank line, blocks)."""
        return "\n\n".join(([self.title] if self.title else []) + list(self.blocks))


def _clean(text: str) -> str:
    return " ".join(text.split())


def _is_caption(element, tag: str) -> bool:
    if tag != "figcaption" and not any(_CAPTION_CLASS.search(c) and not _NO_CAPTION_CLASS.search(c)
                                       for c in (element.get("class") or "").split()):
        return False
    return len(element.text_content().split()) <= MAX_CAPTION_WORDS


def _is_link_only(element, tag: str, text: str) -> bool:
    """A paragraph or list item whose whole text is one link's: a pointer to other content."""
    if tag not in ("p", "li"):
        return False
    links = element.findall(".//a")
    return len(links) == 1 and _clean(links[0].text_content()) == text


def _caption_text(element) -> str:
    """A caption's text, its parts (caption, credit) kept apart by a space: "… plan. Photo by …"."""
    return _clean(" ".join(element.itertext()))


def _blocks(element, out: list[str]) -> None:
    tag = element.tag if isinstance(element.tag, str) else ""
    if tag in _SKIP:
        return
    if tag in HEADINGS:
        if heading := _clean(element.text_content()):
            standfirst = len(heading.split()) > MAX_HEADING_WORDS and heading.rstrip("\"'”’»)").endswith((".", "!", "?"))
            out.append(heading if standfirst else f"## {heading}")
        return
    if _is_caption(element, tag):
        if caption := _caption_text(element):
            out.append(f"![{caption}]()")
        return
    if tag in _LEAF_BLOCKS:
        if (text := _clean(element.text_content())) and not _is_link_only(element, tag, text):
            out.append(text)
        return
    loose = [element.text or ""]  # text directly inside a container (a div with bare text)
    for child in element:
        child_tag = child.tag if isinstance(child.tag, str) else ""
        if (child_tag in HEADINGS or child_tag in _LEAF_BLOCKS or child_tag in _SKIP or len(child)
                or _is_caption(child, child_tag)):
            if text := _clean("".join(loose)):
                out.append(text)
            loose = []
            _blocks(child, out)
        else:  # inline (a, em, span…): part of the running text
            loose.append(child.text_content() if child_tag != "br" else " ")
        loose.append(child.tail or "")
    if text := _clean("".join(loose)):
        out.append(text)


def extract_article(html: str) -> ExtractedArticle:
    """Title and body blocks of a news page; no blocks when no article is found (readability
    falls back to the page's whole body, so a body under MIN_ARTICLE_WORDS counts as none). Raises
    ValueError for a document lxml cannot parse at all (the caller rejects the file)."""
    import lxml.html
    from readability import Document

    page = Document(html)
    title = _clean(page.short_title() or "")
    body = lxml.html.fromstring(page.summary(html_partial=True))
    blocks: list[str] = []
    _blocks(body, blocks)
    if blocks and title and _clean(blocks[0].lstrip("#")) == title:  # the headline repeated in the body
        blocks = blocks[1:]
    if sum(len(b.split()) for b in blocks) < MIN_ARTICLE_WORDS:
        blocks = []
    return ExtractedArticle(title, tuple(blocks))
