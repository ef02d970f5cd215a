"""Target mentions: names, configured aliases and the surname of a full personal name."""

import pytest

from newsflow.targets import Target, mention_names, mention_spans, mentioning_sentences, surname


def test_surname_of_full_personal_names_only():
    assert surname("Vladimir Putin") == "Putin"
    assert surname("Kim Jong-un") == "Kim"  # family name first
    assert surname("Benjamin Koellmann") == "Koellmann"
    for not_a_person in ("North Korea", "European Union", "United States", "UN sanctions", "Russia",
                         "the West", "Bank of England"):
        assert surname(not_a_person) is None


def test_mention_names_add_surnames_of_the_name_and_aliases():
    t = Target(name="Vladimir Putin", aliases=("the Kremlin leader",))
    assert mention_names(t) == ("Vladimir Putin", "the Kremlin leader", "Putin")
    assert mention_names(Target(name="North Korea", aliases=("DPRK",))) == ("North Korea", "DPRK")


def test_mention_spans_whole_words_longest_first_possessives():
    t = Target(name="Vladimir Putin")
    sentence = "Putin's aide said Vladimir Putin would meet Putinova, not putin, but PUTIN."
    assert mention_spans(sentence, t) == [(0, 7), (18, 32), (69, 74)]  # a capital initial is needed
    assert mention_spans("Moscow said so.", Target(name="Russia", aliases=("Moscow",))) == [(0, 6)]
    assert mentioning_sentences(["Koellmann said no.", "He left."], Target(name="Benjamin Koellmann")) == [0]


def test_acronyms_match_as_written_and_capitalised_forms_need_their_capital():
    us = Target(name="US", aliases=("U.S.",))
    assert mention_spans("Let us go: the US and the U.S. agree, Us too.", us) == [(15, 17), (26, 30)]
    assert mention_spans("Press freedom and the press.", Target(name="Press")) == [(0, 5)]
    assert mention_spans("Wikileaks said so.", Target(name="WikiLeaks")) == [(0, 9)]  # capital initial: enough
    west = Target(name="the West", aliases=("sanctions",))  # written in lower case: either case
    assert mention_spans("Sanctions hurt the West; The West said sanctions work.", west) == [
        (0, 9), (15, 23), (25, 33), (39, 48)]


def test_discovery_drops_contractions_titles_and_demonyms_and_keeps_places_apart():
    from newsflow.targets import demonym_forms, discover_targets

    sentences = [
        "It’s the worst air in North India, Vice President Biden said.",  # "It’s": a contraction
        "It’s getting worse in India, and Syrian and Iraqi officials agree.",
        "We're told India will act, Biden said; Syria and Iraq did not comment.",
        "India is the world's second most populous country.",
        "House Speaker Nancy Pelosi met Finance Minister Fujii.",
        "Pelosi said Syria and Iraq were invited.",
    ]
    targets = {t.name: t.aliases for t in discover_targets(sentences, k=10)}
    assert targets == {"India": (), "Syria": (), "Iraq": (), "Biden": (), "Nancy Pelosi": ("Pelosi",),
                       "North India": (), "Fujii": ()}
    assert {"Syrian", "Iranian", "Israeli", "Chinese", "Ukrainian", "German"} <= (
        demonym_forms("Syria") | demonym_forms("Iran") | demonym_forms("Israel") | demonym_forms("China")
        | demonym_forms("Ukraine") | demonym_forms("Germany"))


def test_the_discovery_rules_version_keys_only_runs_that_discover_targets(monkeypatch):
    from newsflow import config
    from newsflow.config import RunConfig

    versions = {"encoder": "e", "stance": "s"}
    discovering, targeted = RunConfig(), RunConfig(analysis={"targets": [{"name": "Russia"}]})
    before = (discovering.fingerprint(versions), targeted.fingerprint(versions))
    monkeypatch.setattr(config, "DISCOVERY_VERSION", str(int(config.DISCOVERY_VERSION) + 1))
    assert discovering.fingerprint(versions) != before[0]
    assert targeted.fingerprint(versions) == before[1]
    monkeypatch.setattr(config, "MENTION_RULE_VERSION", str(int(config.MENTION_RULE_VERSION) + 1))  # mentions count in every run
    assert targeted.fingerprint(versions) != before[1]
    after_mentions = targeted.fingerprint(versions)
    monkeypatch.setattr(config, "SECTIONING_VERSION", str(int(config.SECTIONING_VERSION) + 1))  # so do the section parser's rules
    assert targeted.fingerprint(versions) != after_mentions


def test_discovery_reads_sentence_starts_possessives_and_compound_adjectives():
    from newsflow.targets import discover_targets

    sentences = [
        "Poverty rose in Tunisia, said the Pakistan-based group.",  # "poverty" is also written in lower case
        "The poverty line moved, and Tunisians protested against Verizon’s Yahoo deal.",
        "See Yahoo for the Kremlin-backed offer.",  # "see" also appears in lower case
        "It is how analysts see Tunisia.",
    ]
    assert [t.name for t in discover_targets(sentences, k=10)] == ["Tunisia", "Yahoo", "Pakistan", "Verizon",
                                                                   "Kremlin"]


def test_discovery_drops_common_words_and_keeps_camel_case_names():
    from newsflow.targets import discover_targets

    sentences = ["Either way, WhatsApp and McDonald’s agreed.", "Either the city pays or WhatsApp does.",
                 "City officials met WhatsApp in the city.", "Bitcoin fell, as bitcoin does.", "Traders sold Bitcoin, as traders do."]
    # "Either" only opens sentences and is common, "Traders" only opens one and is written "traders" too;
    # "City" is written "city" as often; "Bitcoin" more often capitalised, also inside a sentence
    assert [t.name for t in discover_targets(sentences, k=10)] == ["WhatsApp", "Bitcoin", "McDonald"]


def test_discovery_keeps_institution_names_and_drops_common_opening_words():
    from newsflow.targets import discover_targets

    sentences = [
        "The Press Council is concerned about press freedom.",  # "Council" alone is no target, in a name it stays
        "(See Facebook's own description of this process.)",  # "see": common, opens the sentence
        "Facebook users can opt out, the Press Council said.",
        'Many sites show a "Like" button for Facebook.',  # "Like": a common word the text also writes in lower case
        "A network like the internet helps. Like the State Department, Facebook declined.",
        "Mark Zuckerberg said Facebook would change.",  # "Mark": a name here, not a common opening word
        "Zuckerberg did not say when.",
        "Related: Rich people pay more.",  # after a colon: opens, and the text writes "rich" too
        "Even so, the rich pay less.",
    ]
    targets = {t.name: t.aliases for t in discover_targets(sentences, k=10)}
    assert targets == {"Facebook": (), "Press Council": (), "Mark Zuckerberg": ("Zuckerberg",),
                       "State Department": ()}



@pytest.mark.parametrize("sentence, prose", [
    ("WASHINGTON (AP) — Jeff Sessions was in his office.", "Jeff Sessions was in his office."),
    ("LAKE CHARLES, La. (Reuters) - The storm hit.", "The storm hit."),
    ("DAVOS Switzerland (Reuters) - The Swiss town", "The Swiss town"),  # PerSenT drops commas
    ("WASHINGTON/KHOBAR Saudi Arabia (Reuters) - Intervening in", "Intervening in"),
    ("ABUJA, Nigeria — Gunmen attacked", "Gunmen attacked"),
    ("(CNN) -- Police said", "Police said"),
    ("Washington (CNN) Former President Barack Obama said", "Former President Barack Obama said"),
    ("Hong Kong (Reuters) — Shares fell", "Shares fell"),
    ("Trump (R) said", "Trump (R) said"),  # not an agency
    ("(WASHINGTON) — The Senate has approved", "The Senate has approved"),
    ("NATO — the alliance — said no.", "NATO — the alliance — said no."),  # no agency, no region: prose
    ("ROME - The pope said", "ROME - The pope said"),
    ("FBI (officials) - no", "FBI (officials) - no"),
    ("Trump, Putin — and Kim — met", "Trump, Putin — and Kim — met"),
])
def test_a_wire_storys_place_line_is_cut_and_prose_is_not(sentence, prose):
    from newsflow.sectioning import strip_wire_dateline

    assert strip_wire_dateline(sentence) == prose


def test_discovered_targets_come_from_the_prose_not_the_place_line_or_a_byline():
    from newsflow.analysis import choose_targets, prepare_document
    from newsflow.config import RunConfig
    from newsflow.ingest import SourceDocument, content_id

    text = ("Sessions under fire\n\nWASHINGTON (AP) — Jeff Sessions was in his office, looking deflated.\n\n"
            "By Jane Doe and Li Wei\n\n"
            "Donald Trump had criticised Sessions for months. Trump wants him out.")
    doc = prepare_document(SourceDocument(content_id(text), "t.txt", len(text), "utf-8", text))
    assert "By Jane Doe and Li Wei" in doc.sentences  # still a sentence of the section, not a target's source
    assert [(c.target.name, c.target.aliases) for c in choose_targets(doc, RunConfig())] == [
        ("Jeff Sessions", ("Sessions",)), ("Donald Trump", ("Trump",))]


def test_a_bare_place_line_is_cut_only_from_the_articles_first_sentence():
    from newsflow.sectioning import strip_wire_dateline

    assert strip_wire_dateline("WASHINGTON — President Trump has set", first=True) == "President Trump has set"
    assert strip_wire_dateline("WASHINGTON — President Trump has set") == "WASHINGTON — President Trump has set"
    assert strip_wire_dateline("NATO — the alliance said", first=True) == "NATO — the alliance said"


def test_a_reuters_file_photo_line_is_a_caption_not_prose():
    from newsflow.sectioning import is_furniture

    assert is_furniture("FILE PHOTO: Harvey Weinstein speaks at the UBS 40th Annual Global Media Conference in "
                        "New York, U.S., December 6, 2011.")
    assert not is_furniture("The file was sent to the photo desk: nobody answered.")
