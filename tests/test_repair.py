"""Glued-word repair: exact strings, both the splits and the words that must stay whole; mojibake
repair before parsing."""

import pytest

from newsflow.analysis import prepare_document
from newsflow.ingest import SourceDocument, content_id
from newsflow.repair import fix_mojibake, repair_glued_words


@pytest.mark.parametrize("glued, repaired", [
    # the seed's three, as extracted from the web page
    ("Putin notedthat the negotiations", "Putin noted that the negotiations"),
    ("a new level Kim Chen Inleader of the DPRK", "a new level Kim Chen In leader of the DPRK"),
    ("The prospects are good here Vladimir PutinPresident of Russia. Putin said. President Xi",
     "The prospects are good here Vladimir Putin President of Russia. Putin said. President Xi"),
    # made-up ones of the same kind, punctuation kept in place
    ("Officials saidthat, later, the meetingwith Kim ended.",
     "Officials said that, later, the meeting with Kim ended."),
    ("(notedthat)", "(noted that)"),
])
def test_glued_words_are_split(glued, repaired):
    assert repair_glued_words(glued) == repaired


@pytest.mark.parametrize("text", [
    "nowhere together therapist nonetheless however outnumbered",  # real words
    "overdrew photosharing flashpacking pacesetting",  # compounds wordfreq lacks: unlikely pairs
    "the county of Medog, the Saltare club, Firmstone and Farill",  # names the list lacks
    "ParkingEye and MindCandy and HarperCollins",  # camelCase names: halves never stand alone
    "https://example.com/notedthat www.saidthat.org thepromise.sja.org.uk mail@saidthat.com",
    "#notedthat @saidthat notedthat2024 2024notedthat noted_that",
    "NOTEDTHAT iPhone McCain DeSantis LeBron",
    "Les Misérables, Zürichsee",  # runs with non-ASCII letters
])
def test_words_that_must_stay_whole(text):
    assert repair_glued_words(text) == text


def test_camel_case_halves_are_looked_up_in_the_whole_document():
    paragraph = "Vladimir PutinPresident of Russia"
    assert repair_glued_words(paragraph) == paragraph  # "Putin" and "President" not on their own here
    document = "President Vladimir Putin arrived.\n\n" + paragraph
    assert repair_glued_words(paragraph, document) == "Vladimir Putin President of Russia"


def test_models_see_repaired_sentences_and_the_text_column_keeps_the_original():
    text = ("Talks ended\n\nPresident Putin notedthat the talks went well.\n\n"
            "Our guest is welcome, said Vladimir PutinPresident of Russia.")
    doc = prepare_document(SourceDocument(content_id(text), "t.txt", len(text), "utf-8", text))
    # the camelCase halves stand alone in the other paragraph: the whole document is the context
    assert doc.section_sentences == (("President Putin noted that the talks went well.",
                                      "Our guest is welcome, said Vladimir Putin President of Russia."),)
    assert doc.article.sections[0].paragraphs == (
        "President Putin notedthat the talks went well.",
        "Our guest is welcome, said Vladimir PutinPresident of Russia.")


def _mis_decoded(text: str) -> str:
    """What a UTF-8 text becomes when its bytes are read as Latin-1 and saved again as UTF-8."""
    return text.encode("utf-8").decode("latin-1")


@pytest.mark.parametrize("clean", [
    "WASHINGTON (AP) — Jeff Sessions wasn’t in his office.",
    "“We are acting in the name of peace,” Kim said at the café.",
    "2½ times the sugar",
])
def test_mis_decoded_utf8_is_repaired_and_clean_text_is_left_alone(clean):
    assert _mis_decoded(clean) != clean
    assert fix_mojibake(_mis_decoded(clean)) == clean
    assert fix_mojibake(clean) == clean


def test_the_windows_1252_forms_and_a_lone_c1_control_are_repaired_too():
    assert fix_mojibake("It\u00e2\u20ac\u2122s over") == "It\u2019s over"  # "Itâ€™s": UTF-8 read as Windows-1252
    assert fix_mojibake("pages 3\x964") == "pages 3\u20134"  # a Windows-1252 en dash decoded as Latin-1


def test_a_sequence_whose_bytes_were_lost_stays_and_quotes_are_not_straightened():
    assert fix_mojibake("Kelly wasnât there") == "Kelly wasnât there"  # "â\x80\x99" lost its two bytes
    assert fix_mojibake("He said “no” &amp; left") == "He said “no” &amp; left"  # only encoding fixes


def test_titles_paragraphs_and_sentences_are_read_from_the_repaired_text():
    text = _mis_decoded("Kim’s visit — a review\n\n"
                        "WASHINGTON (AP) — The talks ended.\n\n"
                        "“We are acting in the name of peace,” Kim said.")
    doc = prepare_document(SourceDocument(content_id(text), "t.txt", len(text), "utf-8", text))
    assert doc.article.title == "Kim’s visit — a review"
    assert doc.section_sentences == (("WASHINGTON (AP) — The talks ended.",
                                      "“We are acting in the name of peace,” Kim said."),)
    assert doc.article.sections[0].paragraphs == doc.section_sentences[0]  # the sections' text columns too
