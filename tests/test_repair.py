"""Glued-word repair: exact strings, both the splits and the words that must stay whole."""

import pytest

from newsflow.analysis import prepare_document
from newsflow.ingest import SourceDocument, content_id
from newsflow.repair import repair_glued_words


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
