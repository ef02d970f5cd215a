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
