"""Plain-text subheading detection, one error class at a time.

Every article here is invented for this file (no text from any news site). Each class is a line
shape that once became a false subheading (a caption, a dateline, a list item, a line of an
embedded post, a teaser, a byline, a key-point bullet) or a real subheading that was missed (a
question, a two-sentence heading). Each test asserts the exact headings and checks that no
character was dropped: a line that is no heading is a paragraph of the current section.
"""

from __future__ import annotations

import time

import pytest

from newsflow.sectioning import (is_byline, is_caption, is_dateline, is_post_signature, is_teaser, list_items,
                                 parse_article, plain_heading_flags)
from tests.test_parser_properties import check_nothing_dropped

LONG = ("The regional council met on Tuesday evening to debate the plan, which would close two "
        "branch libraries and move their staff to the new central building by next spring.")
LONGER = ("Residents who spoke at the meeting said the closures would hit older people hardest, "
          "because many of them do not drive and the bus service to the centre runs only twice an hour.")


def parsed(*lines: str):
    text = "\n\n".join(lines)
    check_nothing_dropped(text)
    return parse_article(text)


def layout(article) -> list[tuple[str | None, int]]:
    return [(s.heading, len(s.paragraphs)) for s in article.sections]


# --- datelines ------------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Feb. 21, 2019", "Sept. 25, 2018", "21 February 2019", "March 3",
                                  "Updated: Sept. 25, 2018 at 9:30 a.m. ET", "Published 12 March 2020, 14:05 GMT",
                                  "2019-02-21", "1:39 PM ET", "Tuesday, Oct. 8, 2019",
                                  "2/26/2015 7:11 AM PST BY TMZ STAFF", "Feb. 21, 2019 by Jane Doe"])
def test_dates_and_times_are_datelines(line):
    assert is_dateline(line)


@pytest.mark.parametrize("line", ["Update", "Updated", "", "May the best team win", "2019 in review",
                                  "Seven days in March", "March 18 by the numbers"])
def test_headings_that_mention_a_date_are_not_datelines(line):
    assert not is_dateline(line)


def test_a_dateline_under_the_standfirst_is_a_paragraph():
    article = parsed("Libraries face cuts", "Oct. 8, 2019", LONG, "What the council decided", LONGER)
    assert layout(article) == [(None, 2), ("What the council decided", 1)]
    assert article.sections[0].paragraphs[0] == "Oct. 8, 2019"


# --- embedded posts -------------------------------------------------------------------------

def test_the_lines_of_an_embedded_tweet_are_no_headings():
    article = parsed(
        "Libraries face cuts", LONG,
        "Our libraries are not a luxury for this town",
        "Come to the meeting and tell them so pic.twitter.com/AbC123xyz",
        "— Friends of Millbrook Library (@MillbrookReads) October 8, 2019",
        "What the council decided", LONGER)
    assert article.headings == ("What the council decided",)
    assert layout(article) == [(None, 4), ("What the council decided", 1)]


def test_a_heading_above_a_punctuated_paragraph_before_a_tweet_survives():
    article = parsed("Libraries face cuts", LONG, "Reaction online", LONGER, "This is a sad day for readers",
                     "— Jane Doe (@janedoe) October 8, 2019", LONG)
    assert article.headings == ("Reaction online",)


@pytest.mark.parametrize("line", ["Follow the vote live at www.example.org", "Join us @MillbrookReads tonight",
                                  "The petition is at https://example.org/save"])
def test_a_line_with_a_link_or_handle_is_no_heading(line):
    assert parsed("Libraries face cuts", LONG, line, LONGER).headings == ()


def test_post_signatures():
    assert is_post_signature("— Jane Doe (@janedoe) October 8, 2019")
    assert is_post_signature("- Millbrook Council (@millbrook_cc) 8 October 2019")
    assert not is_post_signature("— and then the vote came")


# --- lists ----------------------------------------------------------------------------------

def test_labelled_list_lines_are_paragraphs_under_the_heading_above_them():
    article = parsed("Libraries face cuts", LONG, "The options",
                     "Option A: close Eastgate and Hillside", "Option B: close Eastgate only",
                     "Option C: cut opening hours everywhere", LONGER)
    assert layout(article) == [(None, 1), ("The options", 4)]


def test_two_labelled_lines_are_already_a_list():
    article = parsed("Libraries face cuts", LONG, "Option A: close Eastgate and Hillside",
                     "Option B: close Eastgate only", LONGER)
    assert layout(article) == [(None, 4)]


def test_table_rows_are_paragraphs_under_the_heading_above_them():
    article = parsed("Libraries face cuts", LONG, "Visits per year", "Branch | 2018 | 2019",
                     "Eastgate | 41,000 | 38,500", "Hillside | 22,300 | 19,900", LONGER)
    assert layout(article) == [(None, 1), ("Visits per year", 4)]


def test_numbered_headings_between_paragraphs_stay_headings_but_a_numbered_run_is_a_list():
    headings = parsed("Libraries face cuts", LONG, "1. The money", LONGER, "2. The buildings", LONG)
    assert headings.headings == ("1. The money", "2. The buildings")
    listed = parsed("Libraries face cuts", LONG, "Busiest branches", "1. Central", "2. Eastgate", "3. Hillside", LONGER)
    assert layout(listed) == [(None, 1), ("Busiest branches", 4)]


def test_key_point_bullets_after_a_colon_are_a_list():
    article = parsed("Libraries face cuts", LONG, "At the meeting the council leader also said:",
                     "The central library will open longer on Sundays",
                     "No member of staff will lose their job",
                     LONGER)
    assert layout(article) == [(None, 5)]


def test_a_run_of_key_point_statements_is_a_list_without_the_colon():
    article = parsed("Libraries face cuts", LONG,
                     "The central library will open longer on Sundays",
                     "No member of staff will lose their job",
                     "Mobile libraries will visit the outlying villages weekly",
                     "What happens next", LONGER)
    assert layout(article) == [(None, 4), ("What happens next", 1)]


def test_a_heading_after_a_colon_paragraph_and_before_text_stays_a_heading():
    article = parsed("Libraries face cuts", LONG, "Here is what we know so far:", "The closures were long expected",
                     LONGER)
    assert article.headings == ("The closures were long expected",)


@pytest.mark.parametrize("run, introduced, expected", [
    (["Key points", "Staff keep their jobs and their pay", "Sunday hours grow by two hours"], False,
     [False, True, True]),
    (["Story so far", "What happens next"], False, [False, False]),  # a heading then the next heading
    (["Eastgate", "Hillside", "Central"], False, [True, True, True]),
    (["Eastgate", "Hillside"], True, [True, True]),
    (["Staff keep their jobs and their pay", "Sunday hours grow by two hours every week", "What happens next"],
     False, [True, True, False]),  # the last line, of another shape, is the heading after the list
])
def test_list_items(run, introduced, expected):
    assert list_items(run, introduced) == expected


# --- teasers and link boxes -----------------------------------------------------------------

@pytest.mark.parametrize("line", ["Profile: the council leader", "Read more: the budget in full", "Watch: the debate",
                                  "Read the full report", "More about the library plan", "Map: where the branches are",
                                  "Continue reading the main story", "Mayor defends the cuts »"])
def test_teasers(line):
    assert is_teaser(line)


@pytest.mark.parametrize("line", ["Analysis: what the vote means", "Readers respond", "Watchdog steps in",
                                  "Moreover, the plan", "Read between the lines", "Watch this space",
                                  "More than 100 evacuated"])
def test_labels_and_words_that_are_not_teasers(line):
    assert not is_teaser(line)


def test_a_teaser_and_the_link_after_it_are_paragraphs():
    article = parsed("Libraries face cuts", LONG, "Profile: the council leader", "Timeline of the dispute", LONGER,
                     "What the council decided", LONG)
    assert layout(article) == [(None, 4), ("What the council decided", 1)]


def test_an_analysis_box_heading_stays_a_heading():
    article = parsed("Libraries face cuts", LONG, "Analysis: Jane Doe, arts editor", LONGER)
    assert article.headings == ("Analysis: Jane Doe, arts editor",)


# --- bylines --------------------------------------------------------------------------------

@pytest.mark.parametrize("line, expected", [
    ("Jane Doe, arts correspondent", True), ("By Jane Doe", True), ("By Jane Doe and Li Wei", True),
    ("Tomas Reyle, Marenvale Post political editor", True), ("By the numbers", False), ("By The Numbers", False),
    ("Eastgate, Hillside and the centre", False), ("Kim Jong-un called relations with Russia a top priority", False),
])
def test_bylines(line, expected):
    assert is_byline(line) is expected


def test_a_byline_under_a_heading_is_the_sections_first_paragraph():
    article = parsed("Libraries face cuts", LONG, "A town divided", "Jane Doe, arts correspondent", LONGER)
    assert layout(article) == [(None, 1), ("A town divided", 2)]


# --- photo captions -------------------------------------------------------------------------

@pytest.mark.parametrize("line", ["Image caption Readers queue at the Eastgate branch",
                                  "Readers queue at the Eastgate branch (Getty Images)",
                                  "Readers queue at the Eastgate branch (Jane Doe/The Millbrook Post)",
                                  "Readers queue at the Eastgate branch. AP Photo/Jane Doe",
                                  "Readers queue at the Eastgate branch. Photograph: Jane Doe/Reuters",
                                  "Readers queue at the Eastgate branch Jane Doe/Reuters",
                                  "Courtesy of the Millbrook Library", "Credit Jane Doe", "Photo"])
def test_captions(line):
    assert is_caption(line)


@pytest.mark.parametrize("line", ["Credit card debt soars", "Image rights and wrongs", "What the pool costs",
                                  "Photo finish in the by-election"])
def test_headings_that_are_not_captions(line):
    assert not is_caption(line)


def test_a_caption_is_no_heading_and_no_paragraph_but_a_photo_credit():
    caption = "Readers queue at the Eastgate branch (Getty Images)"
    article = parsed("Libraries face cuts", LONG, caption, LONGER)
    assert layout(article) == [(None, 2)]
    assert article.sections[0].paragraphs == (LONG, LONGER) and article.photo_credits == (caption,)


def test_a_long_paragraph_ending_in_an_agency_stays_prose():
    wire = ("Lawmakers met again on Tuesday to debate the budget, which has been delayed for months as the two parties "
            "argued over spending on schools, roads and hospitals, and over how the city should pay for the new "
            "harbour, the dredging of the inner basin and the repairs to the old docks, which flooded twice last "
            "winter and again in the spring (AP)")
    assert is_caption(wire) and len(wire.split()) > 60
    article = parsed("Libraries face cuts", LONG, wire)
    assert article.sections[0].paragraphs == (LONG, wire) and article.photo_credits == ()


def test_a_misdecoded_accent_is_no_copyright_sign():
    assert not is_caption("Mary Lou McDonald was elected the new leader of Sinn FÃ©in at a conference in Dublin.")
    assert is_caption("Readers queue at the Eastgate branch. © Jane Doe") and is_caption("© Jane Doe")


def test_a_markdown_image_is_its_caption_among_the_photo_credits():
    article = parsed("Libraries face cuts", LONG, '![Readers queue at the Eastgate branch](eastgate.jpg "Eastgate")',
                     "![](spacer.gif)", "## A town divided", LONGER)
    assert layout(article) == [(None, 1), ("A town divided", 1)]
    assert article.photo_credits == ("Readers queue at the Eastgate branch",)


def test_a_statement_right_above_a_photo_credit_is_its_caption():
    article = parsed("Libraries face cuts", LONG, "Readers queue outside the Eastgate branch on Monday",
                     "Photo: Jane Doe", LONGER, "What happens next", LONG)
    assert layout(article) == [(None, 3), ("What happens next", 1)]
    assert article.photo_credits == ("Photo: Jane Doe",)


def test_a_short_heading_above_a_photo_credit_stays_a_heading():
    article = parsed("Libraries face cuts", LONG, "Eastgate", "Photo: Jane Doe", LONGER)
    assert layout(article) == [(None, 1), ("Eastgate", 1)]


# --- questions and two-sentence headings (missed before) -------------------------------------

def test_a_question_followed_by_its_answer_paragraph_is_a_heading():
    article = parsed("Libraries face cuts", LONG, "Why are the branches closing?", LONGER)
    assert layout(article) == [(None, 1), ("Why are the branches closing?", 1)]


def test_a_quoted_question_is_dialogue():
    assert parsed("Libraries face cuts", LONG, "“Where will the children go?”", LONGER).headings == ()


def test_a_question_answered_in_a_word_is_dialogue():
    article = parsed("Libraries face cuts", LONG, "Will the plan pass?", "Yes.", LONGER)
    assert layout(article) == [(None, 4)]


def test_two_short_sentences_between_long_paragraphs_are_a_heading():
    article = parsed("Libraries face cuts", LONG, "Reading is up. Lending is down.", LONGER)
    assert article.headings == ("Reading is up. Lending is down.",)


@pytest.mark.parametrize("line", [
    "The vote is on Thursday.",  # one sentence: a short paragraph
    "He disagrees. The vote is on Thursday.",  # opens with a word that refers back
    "Reading is up. Lending is down, the report said.",  # attributed: reported speech
    "Reading is up. Lending fell 5 percent.",  # figures: a statement of fact
    "“Reading is up. Lending is down.”",  # a quotation
])
def test_short_paragraphs_ending_in_a_full_stop_are_no_headings(line):
    assert parsed("Libraries face cuts", LONG, line, LONGER).headings == ()


def test_two_short_sentences_between_short_paragraphs_are_a_paragraph():
    assert parsed("Libraries face cuts", LONG, "Reading is up. Lending is down.", "The vote is on Thursday.",
                  LONGER).headings == ()


# --- the whole flag list --------------------------------------------------------------------

def test_plain_heading_flags_leave_markdown_headings_to_their_marker():
    blocks = ["What the council decided", LONG, "Key points", LONGER]
    assert plain_heading_flags(blocks) == [True, False, True, False]
    assert plain_heading_flags(blocks, [False, False, True, False]) == [True, False, False, False]


def test_a_long_line_above_a_post_signature_is_checked_in_linear_time():
    text = "Title\n" + "a-" * 200_000 + ".\n— Jane Doe (@janedoe) May 1, 2019\nEnd."  # was quadratic in the link test
    t0 = time.perf_counter()
    article = parse_article(text)
    assert time.perf_counter() - t0 < 2
    assert article.headings == ()
