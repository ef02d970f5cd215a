from newsflow.sectioning import parse_article, split_attribution, split_sentences
from tests.conftest import ARTICLES

SEED_HEADINGS = [
    "Kim Jong-un called relations with Russia a top priority",
    "The leaders of Russia and the DPRK discussed economic and humanitarian cooperation",
    "Russia will help North Korea with satellite launch",
    "Western countries accuse Russia of violating UN sanctions due to negotiations with Kim",
    "North Korea supported Russia in “holy war against evil”",
    "Putin showed Kim Jong-un the Aurus car",
    "Kim Jong-un will visit Vladivostok and Komsomolsk-on-Amur",
]


def test_seed_sections_are_the_articles_real_structure(seed_text):
    article = parse_article(seed_text)
    assert article.title == "Putin and Kim Jong-un completed six-hour talks at the Vostochny Cosmodrome"
    assert [s.heading for s in article.sections] == [None, *SEED_HEADINGS]
    assert [s.kind for s in article.sections] == ["lead"] + ["body"] * 7
    assert [len(s.paragraphs) for s in article.sections] == [2, 5, 6, 3, 3, 3, 2, 2]
    assert article.photo_credits == (
        "Photo: Artem Geodakyan / Sputnik / Reuters",
        "Photo: Mikhail Metzel / Kremlin / Sputnik / Reuters",
    )


def test_seed_quotes_carry_speaker_role_and_section(seed_text):
    quotes = parse_article(seed_text).quotes
    assert [(q.speaker, q.role, q.section_position) for q in quotes] == [
        ("Kim Chen In", "leader of the DPRK", 1),
        ("Vladimir Putin", "President of Russia", 2),
        ("Kim Chen In", "leader of the DPRK", 5),
    ]
    assert quotes[0].text.endswith("to raise our relations to a new level")
    assert quotes[1].text.endswith("The prospects are good here")


def test_no_credit_or_bare_attribution_leaks_into_section_text(seed_text):
    for section in parse_article(seed_text).sections:
        for leak in ("Photo:", "/ Reuters", "Inleader", "PutinPresident", "Kim Chen In", "Putin President of Russia"):
            assert leak not in section.text, (section.heading, leak)


def test_markdown_headings():
    article = parse_article((ARTICLES / "markdown_headings.md").read_text())
    assert article.title == "City council approves new bike lanes"
    assert [s.heading for s in article.sections] == [None, "What the plan includes", "Who opposed it", "What happens next"]
    # hard-wrapped lines join into one paragraph; the credit is metadata
    assert article.sections[0].paragraphs == (
        "The city council voted 7-2 on Tuesday to build 40 kilometres of protected bike lanes. Construction starts in March.",
    )
    assert article.photo_credits == ("Photo: Jane Doe / City Press",)
    assert article.sections[2].paragraphs[0].endswith("on Harbour Street share that worry.")


def test_article_without_headings_is_one_lead_section():
    article = parse_article((ARTICLES / "no_headings.txt").read_text())
    assert article.title == "Heatwave breaks records across southern Europe"
    assert [(s.heading, s.kind, len(s.paragraphs)) for s in article.sections] == [(None, "lead", 3)]


def test_one_line_article_has_a_title_and_no_sections():
    article = parse_article((ARTICLES / "one_line.txt").read_text())
    assert (article.title, article.sections) == ("Markets closed early for the holiday", ())


def test_very_long_section_keeps_every_paragraph():
    article = parse_article((ARTICLES / "long_section.txt").read_text())
    assert [s.heading for s in article.sections] == [None, "Inside the numbers", "What comes next"]
    assert [len(s.paragraphs) for s in article.sections] == [1, 12, 1]
    assert sum(len(split_sentences(p)) for p in article.sections[1].paragraphs) == 96


def test_split_attribution_needs_a_glued_name():
    assert split_attribution("We will keep talking to everyone about the plan Anna SmithSpokeswoman of the union") == (
        "We will keep talking to everyone about the plan", "Anna Smith", "Spokeswoman of the union")
    assert split_attribution("A sentence that ends properly.") is None
    assert split_attribution("Short text Bob Leeleader") is None  # too short to be a quote


def test_split_sentences_respects_abbreviations_and_initials():
    assert split_sentences("The A.V. Alexandrov ensemble sang. U.S. forces left on Oct. 25 at noon. Mr. Lee agreed!") == [
        "The A.V. Alexandrov ensemble sang.", "U.S. forces left on Oct. 25 at noon.", "Mr. Lee agreed!"]
    assert split_sentences("“We came here,” he said. “That’s why.” Then he left.") == [
        "“We came here,” he said.", "“That’s why.”", "Then he left."]
