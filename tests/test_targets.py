"""Target mentions: names, configured aliases and the surname of a full personal name."""

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
    sentence = "Putin's aide said Vladimir Putin would meet Putinova, not putin."
    assert mention_spans(sentence, t) == [(0, 7), (18, 32), (58, 63)]
    assert mention_spans("Moscow said so.", Target(name="Russia", aliases=("Moscow",))) == [(0, 6)]
    assert mentioning_sentences(["Koellmann said no.", "He left."], Target(name="Benjamin Koellmann")) == [0]


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
    monkeypatch.setattr(config, "DISCOVERY_VERSION", "3")
    assert discovering.fingerprint(versions) != before[0]
    assert targeted.fingerprint(versions) == before[1]


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
