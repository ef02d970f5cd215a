"""HTML pages as inputs: title, body paragraphs, h2-h4 subheadings and captions kept (captions as
Markdown images, which the parser keeps with the photo credits), page chrome dropped
(readability-lxml); a page without an article is one reject. Tiny pages written here."""

from __future__ import annotations

from pathlib import Path

from newsflow.analysis import prepare_document
from newsflow.html import extract_article
from newsflow.ingest import SourceDocument, content_id, discover, read_document
from newsflow.sectioning import parse_article

PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Council backs new harbour plan | The Reykjavik Ledger</title>
<script>var tracking = "do not keep";</script></head>
<body>
<nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a> <a href="/login">Log in</a></nav>
<article>
<h1>Council backs new harbour plan</h1>
<p>The city council of Reykjavik voted on Monday to back a new harbour plan, ending two years of debate over
how the old docks should be rebuilt and who should pay for the work.</p>
<p>Supporters said the plan would bring jobs and visitors to the waterfront, while critics warned that the
budget had been drawn up in a hurry and left out the cost of dredging the inner basin.</p>
<figure><img src="harbour.jpg" alt=""><figcaption>The old docks at dawn, seen from the harbour wall.</figcaption></figure>
<h2>What happens next</h2>
<p>Building work is due to begin next spring, the mayor said, once the final designs have been approved by
the planning committee and the contracts have been put out to tender across the region.</p>
<p>A public meeting on the designs will be held in the town hall next month, and residents will be able to
comment on the plans online until the end of the year.</p>
</article>
<footer><p>© 2024 The Reykjavik Ledger. All rights reserved.</p><a href="/privacy">Privacy</a></footer>
</body></html>
"""

LEAD_1 = ("The city council of Reykjavik voted on Monday to back a new harbour plan, ending two years of debate over "
          "how the old docks should be rebuilt and who should pay for the work.")
LEAD_2 = ("Supporters said the plan would bring jobs and visitors to the waterfront, while critics warned that the "
          "budget had been drawn up in a hurry and left out the cost of dredging the inner basin.")
CAPTION = "The old docks at dawn, seen from the harbour wall."
NEXT_1 = ("Building work is due to begin next spring, the mayor said, once the final designs have been approved by "
          "the planning committee and the contracts have been put out to tender across the region.")
NEXT_2 = ("A public meeting on the designs will be held in the town hall next month, and residents will be able to "
          "comment on the plans online until the end of the year.")
EXPECTED_TEXT = "\n\n".join(["Council backs new harbour plan", LEAD_1, LEAD_2, f"![{CAPTION}]()", "## What happens next",
                             NEXT_1, NEXT_2])


def test_title_body_subheading_and_caption_without_the_page_chrome():
    article = extract_article(PAGE)
    assert article.title == "Council backs new harbour plan"  # the <title> without " | The Reykjavik Ledger"
    assert article.blocks == (LEAD_1, LEAD_2, f"![{CAPTION}]()", "## What happens next", NEXT_1, NEXT_2)
    assert article.text == EXPECTED_TEXT


def test_an_html_file_reads_as_the_text_of_its_article_and_sections_on_its_subheading(tmp_path: Path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "legacy.htm").write_bytes(PAGE.replace('charset="utf-8"', 'charset="iso-8859-1"')
                                          .replace("©", "é").encode("latin-1"))
    found, rejected = discover(tmp_path)
    assert [p.name for p in found] == ["legacy.htm", "page.html"] and rejected == []
    doc = read_document(tmp_path / "page.html", tmp_path)
    assert isinstance(doc, SourceDocument)
    assert (doc.text, doc.doc_id, doc.source_path) == (EXPECTED_TEXT, content_id(EXPECTED_TEXT), "page.html")
    assert read_document(tmp_path / "legacy.htm", tmp_path).text == EXPECTED_TEXT
    prepared = prepare_document(doc)
    assert prepared.article.title == "Council backs new harbour plan"
    assert [(s.heading, s.paragraphs) for s in prepared.article.sections] == [
        (None, (LEAD_1, LEAD_2)), ("What happens next", (NEXT_1, NEXT_2))]
    assert prepared.article.photo_credits == (CAPTION,)  # a caption is no prose to summarise
    assert prepared.language == "en"


def test_a_page_without_an_article_is_rejected(tmp_path: Path):
    (tmp_path / "empty.html").write_text("<html><head><title>Nothing</title></head><body><nav><a href='/'>Home</a>"
                                         "</nav></body></html>", encoding="utf-8")
    result = read_document(tmp_path / "empty.html", tmp_path)
    assert (result.source_path, result.reason, result.message) == (
        "empty.html", "no_article", "no article text found in the page")


def test_captions_by_element_or_class_stay_out_of_the_prose_and_a_long_sentence_heading_is_a_standfirst():
    dek = ("The city council voted on Monday to back a new harbour plan, ending two years of debate over how the "
           "old docks should be rebuilt.")
    page = PAGE.replace("<h1>Council backs new harbour plan</h1>", f"<h1>Council backs new harbour plan</h1><h2>{dek}</h2>"
                        ).replace(
        '<figcaption>The old docks at dawn, seen from the harbour wall.</figcaption>',
        '<figcaption><span class="caption">The old docks at dawn.</span><span class="credit">Photo by Jane Doe'
        '</span></figcaption>').replace(
        "<h2>What happens next</h2>",
        '<div class="image no_caption"><img src="x.jpg"><p class="article_caption_w_attr">City Archive</p></div>'
        '<p class="credit-card-offer">Get the Ledger on your phone, free for a month with any card.</p>'
        "<h2>What happens next</h2>")
    article = extract_article(page)
    assert article.blocks == (dek, LEAD_1, LEAD_2, "![The old docks at dawn. Photo by Jane Doe]()",
                              "![City Archive]()", "Get the Ledger on your phone, free for a month with any card.",
                              "## What happens next", NEXT_1, NEXT_2)
    parsed = parse_article(article.text)
    assert [(s.heading, s.paragraphs) for s in parsed.sections] == [
        (None, (dek, LEAD_1, LEAD_2, "Get the Ledger on your phone, free for a month with any card.")),
        ("What happens next", (NEXT_1, NEXT_2))]
    assert parsed.photo_credits == ("The old docks at dawn. Photo by Jane Doe", "City Archive")


def test_a_paragraph_or_list_item_that_is_only_a_link_is_navigation():
    linked = ('<p>The mayor <a href="/mayor">said</a> the work would start in the spring, once the final designs '
              'have been approved.</p>')
    page = PAGE.replace("<h2>What happens next</h2>",
                        '<p><a href="/more">Continue reading the main story</a></p>'
                        '<ul><li><a href="/x">Harbour fees to rise next year</a></li></ul>'
                        f"{linked}<h2>What happens next</h2>")
    blocks = extract_article(page).blocks
    assert blocks == (LEAD_1, LEAD_2, f"![{CAPTION}]()",
                      "The mayor said the work would start in the spring, once the final designs have been approved.",
                      "## What happens next", NEXT_1, NEXT_2)
