"""Real-shaped articles through the real CLI: the page shapes that once crashed a run.

The articles in tests/real_shaped/ were written for this project (invented content, released
under CC0); no text is copied from any news site. Each is a plain news article whose layout has
a shape real pages have: a heading whose links were stripped followed directly by the next
heading ("Story Timeline"), a heading as the very last line, lists of short "Path A: …" label
lines, a "Watch: …" teaser over an embedded video, a heading over a table, heading-only pages, a pull-quote-only
section, one-word paragraphs, a 320-word sentence without a full stop, mixed scripts, emoji and
zero-width characters. (No README in that folder: discovery would read it as an article.)

Several of them parse into sections with no sentences. Team decision for those: the section
stays in `sections` (positions and headings are faithful to the page) with n_sentences 0,
summary "", all four sentiment columns NULL, and no `stances` rows. An analysis error in one
document becomes a `rejects` row (reason `analysis_failed`) and the run still exits 0; none of
these articles should need that.

One CLI run (module-scoped fixture) is shared by every assertion; the parser expectations are
also checked directly, without models, by the fast test at the top.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsflow.environment import isolated_environment
from newsflow.sectioning import parse_article, split_sentences

ROOT = Path(__file__).resolve().parent.parent
ARTICLES = Path(__file__).parent / "real_shaped"
TARGET = "Iceland"

# What newsflow.sectioning.parse_article makes of each article: title, then per section
# (heading, n_sentences) in position order. Taken from the parser, not guessed: e.g. a plain-text
# heading on the last line is no heading (nothing follows it) but a paragraph, a run of list lines
# ("Path A: …", table rows like "Greens | 14 | +5") is paragraphs under the heading above it, a
# "Watch: …" teaser is a paragraph, a CJK line is never a heading (no upper case), "[Video]" is a
# one-sentence paragraph.
EXPECTED: dict[str, tuple[str, list[tuple[str | None, int]]]] = {
    "01_election_night.md": ("Coastal province heads to the polls in tight governor race", [
        (None, 2),
        ("Story Timeline", 0),  # its links were stripped: the next heading follows at once
        ("What the polls say", 2),
        ("Key issues", 2),
        ("How the count works", 2),
        ("More about the election", 0),  # a Markdown heading as the article's last line
    ]),
    "02_playoff_draw.txt": ("Iceland drawn against Bulgaria in qualifying play-off", [
        (None, 3),
        ("Story Timeline", 0),  # plain text: a heading followed directly by the next heading
        ("Play-off paths", 6),  # its 4 "Path X: …" list lines are paragraphs (1 sentence each) + 2
        ("Tickets", 3),  # the trailing "Read more" is a paragraph of this section
    ]),
    "03_river_flood.txt": ("River bursts its banks in Oldmarsh after record rainfall", [
        (None, 4),  # the "Watch: …" teaser and "[Video]" are paragraphs of the lead
        ("Rainfall in the last 24 hours", 0),  # heading over a chart that was stripped
        ("Where to get help", 3),
        ("Forecast", 1),
    ]),
    "04_results_page.txt": ("Municipal by-election results", [
        ("Results by ward", 1),  # title + 2 headings: the last line is a paragraph
    ]),
    "05_photo_gallery.txt": ("In pictures: the first snow of winter", [
        ("Mountain villages", 0),  # title + 2 headings + a photo credit: no sentence at all
        ("City streets", 0),
    ]),
    "06_dock_strike.txt": ("Dockworkers extend strike into second week", [
        (None, 3),
        ("The union's view", 1),  # only a pull quote
        ("What the port says", 4),
    ]),
    "07_live_updates.txt": ("Council votes on new cycle lanes: live updates", [
        (None, 4),  # "Will the plan pass?" and "Yes." are paragraphs: a question answered in a word
        ("Update", 1),
        ("Update", 3),  # "No." is a one-word paragraph
        ("Result", 1),
    ]),
    "08_budget_runon.txt": ("Finance minister defends budget in marathon speech", [
        (None, 1),
        ("What she said", 7),  # one 320-word sentence without a full stop → 7 chunks (46×6 + 44 words)
        ("Opposition response", 2),
    ]),
    "09_aegean_tourism.txt": ("Tourists return to the Aegean islands 🌊☀️", [
        (None, 3),
        ("Αντιδράσεις στο λιμάνι", 2),
        ("Реакция туроператоров", 6),  # "東京からの観光客" is a paragraph, not a heading
        ("Small print", 4),  # "👍" is a one-sentence paragraph
    ]),
    "10_city_council_seats.txt": ("Greens become largest party on Norrby city council", [
        (None, 1),
        ("Final seat count", 7),  # heading over a table: its 5 rows are paragraphs (1 sentence each) + 2
        ("Turnout", 2),  # the trailing plain-text "More about the election" is its paragraph
    ]),
}
EMPTY_SECTIONS = {(name, pos) for name, (_, layout) in EXPECTED.items()
                  for pos, (_, n) in enumerate(layout) if n == 0}


def test_the_articles_parse_as_expected():
    """The fixtures are what the CLI test below assumes (fast: no models)."""
    assert sorted(p.name for p in ARTICLES.iterdir()) == sorted(EXPECTED)
    for name, (title, layout) in EXPECTED.items():
        text = (ARTICLES / name).read_text(encoding="utf-8")
        assert len(text.splitlines()) <= 60, name
        article = parse_article(text)
        assert article.title == title, name
        got = [(s.heading, sum(len(split_sentences(p)) for p in s.paragraphs)) for s in article.sections]
        assert got == layout, name
        assert [s.position for s in article.sections] == list(range(len(layout))), name
    assert len(EMPTY_SECTIONS) == 6
    # the shapes that make empty sections: a plain-text heading followed directly by the next heading,
    # the same in Markdown, a trailing Markdown heading, a heading-only page
    assert {("02_playoff_draw.txt", 1), ("03_river_flood.txt", 1), ("01_election_night.md", 1),
            ("01_election_night.md", 5), ("05_photo_gallery.txt", 0)} <= EMPTY_SECTIONS
    # the shapes the articles are meant to carry really are there
    runon = (ARTICLES / "08_budget_runon.txt").read_text(encoding="utf-8").splitlines()[6]
    assert len(runon.split()) == 320 and "." not in runon
    mixed = (ARTICLES / "09_aegean_tourism.txt").read_text(encoding="utf-8")
    assert all(ch in mixed for ch in ("\u200b", "\u200d", "\ufeff", "👍", "λιμάνι", "Люди", "東京"))
    assert not mixed.startswith("\ufeff")  # U+FEFF only inside a word, never as a BOM


# --- one real CLI run -----------------------------------------------------------------------

def _table(out: Path, name: str) -> list[dict]:
    parts = sorted((out / name).glob("*/*.parquet"))
    return ds.dataset(parts, format="parquet").to_table().to_pylist() if parts else []


@pytest.fixture(scope="module")
def cli_run(tmp_path_factory):
    base = tmp_path_factory.mktemp("real_shaped")
    src, out = base / "in", base / "out"
    shutil.copytree(ARTICLES, src)
    env = isolated_environment(base / "prefect", PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-m", "newsflow", "run", str(src), "--out", str(out), "-t", TARGET],
                          capture_output=True, text=True, timeout=300, cwd=base, env=env)
    tables = {name: _table(out, name) for name in ("documents", "sections", "quotes", "stances", "rejects", "runs")}
    return proc, tables


def _ok(cli_run) -> dict[str, list[dict]]:
    proc, tables = cli_run
    log = proc.stdout + proc.stderr
    errors = "\n".join(line for line in log.splitlines() if "| ERROR" in line or "| WARNING" in line)
    assert proc.returncode == 0, f"newsflow run exited {proc.returncode}:\n{errors}\n...\n{log[-2000:]}"
    return tables


def _docs_by_path(tables) -> dict[str, dict]:
    return {d["source_path"]: d for d in tables["documents"]}


def _sections_of(tables, doc_id: str) -> list[dict]:
    return sorted((s for s in tables["sections"] if s["doc_id"] == doc_id), key=lambda s: s["position"])


@pytest.mark.slow
def test_the_run_exits_zero(cli_run):
    _ok(cli_run)


@pytest.mark.slow
def test_every_file_is_accounted_for_exactly_once(cli_run):
    tables = _ok(cli_run)
    processed = [d["source_path"] for d in tables["documents"]]
    rejected = [r["source_path"] for r in tables["rejects"]]
    assert sorted(processed + rejected) == sorted(EXPECTED)  # none missing, none twice
    # they are all plain articles: none may end as a reject (analysis_failed or otherwise)
    assert [(r["source_path"], r["reason"], r["message"]) for r in tables["rejects"]] == []
    assert len({d["doc_id"] for d in tables["documents"]}) == len(EXPECTED)
    [run] = tables["runs"]
    assert (run["n_discovered"], run["n_processed"], run["n_skipped"], run["n_rejected"]) == (len(EXPECTED), len(EXPECTED), 0, 0)
    assert run["n_sections"] == sum(len(layout) for _, layout in EXPECTED.values()) == len(tables["sections"])


@pytest.mark.slow
def test_sections_are_faithful_to_the_page(cli_run):
    tables = _ok(cli_run)
    docs = _docs_by_path(tables)
    for name, (title, layout) in EXPECTED.items():
        doc = docs[name]
        sections = _sections_of(tables, doc["doc_id"])
        assert doc["title"] == title
        assert doc["n_sections"] == len(sections) == len(layout), name
        assert [s["position"] for s in sections] == list(range(len(layout))), name  # no gaps
        assert [(s["heading"], s["n_sentences"]) for s in sections] == layout, name
        assert [s["kind"] for s in sections] == ["lead" if h is None else "body" for h, _ in layout], name
        assert doc["n_sentences"] == sum(n for _, n in layout), name
    assert sum(1 for s in tables["sections"]) == sum(d["n_sections"] for d in tables["documents"])


@pytest.mark.slow
def test_a_section_without_sentences_has_no_summary_sentiment_or_stance(cli_run):
    tables = _ok(cli_run)
    docs = _docs_by_path(tables)
    stance_keys = [(s["doc_id"], s["section_position"]) for s in tables["stances"]]
    for name, pos in sorted(EMPTY_SECTIONS):
        doc_id = docs[name]["doc_id"]
        section = _sections_of(tables, doc_id)[pos]
        heading = EXPECTED[name][1][pos][0]
        assert (section["heading"], section["n_sentences"], section["paragraphs"]) == (heading, 0, []), (name, pos)
        assert section["summary"] == "", (name, heading)
        assert section["sentiment"] is None, (name, heading)
        assert (section["sentiment_negative"], section["sentiment_neutral"], section["sentiment_positive"]) \
            == (None, None, None), (name, heading)
        assert (doc_id, pos) not in stance_keys, (name, heading)


@pytest.mark.slow
def test_a_section_with_sentences_keeps_its_analysis(cli_run):
    """The other sections of the same documents are analysed as before: a summary, a sentiment,
    one stance row per target."""
    tables = _ok(cli_run)
    docs = _docs_by_path(tables)
    stances: dict[tuple[str, int], list[str]] = {}
    for s in tables["stances"]:
        stances.setdefault((s["doc_id"], s["section_position"]), []).append(s["target"])
    expected_keys = set()
    for name, (_, layout) in EXPECTED.items():
        doc_id = docs[name]["doc_id"]
        for section in _sections_of(tables, doc_id):
            if section["n_sentences"] == 0:
                continue
            expected_keys.add((doc_id, section["position"]))
            where = (name, section["heading"])
            assert section["summary"].strip(), where
            assert section["sentiment"] in ("negative", "neutral", "positive"), where
            probs = (section["sentiment_negative"], section["sentiment_neutral"], section["sentiment_positive"])
            assert None not in probs and abs(sum(probs) - 1.0) < 1e-3, where
            assert stances.get((doc_id, section["position"])) == [TARGET], where
    assert set(stances) == expected_keys


@pytest.mark.slow
def test_a_document_without_sentences_is_kept_with_empty_analysis(cli_run):
    """05: title, two headings and a photo credit. Extends the section rule to the document: nothing
    to summarize or score, so summary "" and NULL sentiment (not an invented neutral)."""
    tables = _ok(cli_run)
    doc = _docs_by_path(tables)["05_photo_gallery.txt"]
    assert (doc["n_sections"], doc["n_paragraphs"], doc["n_sentences"], doc["n_words"]) == (2, 0, 0, 0)
    assert doc["photo_credits"] == ["Photo: Anna Berglund"]
    assert doc["targets"] == [TARGET]
    assert doc["summary"] == ""
    assert doc["sentiment"] is None
    assert (doc["sentiment_negative"], doc["sentiment_neutral"], doc["sentiment_positive"]) == (None, None, None)


@pytest.mark.slow
def test_exact_values_from_the_text(cli_run):
    tables = _ok(cli_run)
    docs = _docs_by_path(tables)
    # the glued attribution after a quote in the dock-strike story
    strike = docs["06_dock_strike.txt"]
    quotes = [q for q in tables["quotes"] if q["doc_id"] == strike["doc_id"]]
    assert [(q["section_position"], q["position"], q["text"], q["speaker"], q["role"]) for q in quotes] == [
        (2, 0, "We will stay at the gates until the ministry sits down and listens to us", "Jane Doe",
         "president of the Halbrook dockworkers' union")]
    assert {q["doc_id"] for q in tables["quotes"]} == {strike["doc_id"]}  # no other article has one
    pull = _sections_of(tables, strike["doc_id"])[1]
    assert pull["paragraphs"] == ["“We will not back down,” said Jane Doe, the union's president."]
    # one-word paragraphs survive as paragraphs
    live = _sections_of(tables, docs["07_live_updates.txt"]["doc_id"])
    assert live[0]["paragraphs"][1:3] == ["Will the plan pass?", "Yes."]
    assert live[2]["paragraphs"][0] == "No."
    # the "Watch: …" teaser and the video placeholder stay in the lead, as paragraphs
    flood = _sections_of(tables, docs["03_river_flood.txt"]["doc_id"])
    assert flood[0]["paragraphs"][-2:] == ["Watch: the moment the flood barrier gave way", "[Video]"]
    # the run-on sentence: every word kept, the summary within its budget
    budget = _sections_of(tables, docs["08_budget_runon.txt"]["doc_id"])[1]
    assert budget["n_words"] == 320
    assert 0 < len(budget["summary"].split()) <= 60  # RunConfig.summary_words
    # mixed scripts, emoji and zero-width characters come through byte for byte
    aegean = docs["09_aegean_tourism.txt"]
    assert aegean["encoding"] == "utf-8"
    text = "\n\n".join(s["text"] for s in _sections_of(tables, aegean["doc_id"]))
    for piece in ("list\u200bings", "soft\u200bware", "cafe\ufeffteria", "web\u200dsite",
                  "«Καλώς ήρθατε»", "«Люди хотят к морю»", "東京からの観光客", "希腊之旅", "ギリシャ旅行", "\n\n👍\n\n",
                  "2019 \U0001F468\u200d\U0001F469\u200d\U0001F467"):
        assert piece in text, piece
    # the trailing plain-text "More about the election" is a paragraph of the last section
    seats = _sections_of(tables, docs["10_city_council_seats.txt"]["doc_id"])
    assert seats[-1]["paragraphs"][-1] == "More about the election"
    assert all(d["targets"] == [TARGET] for d in tables["documents"])
