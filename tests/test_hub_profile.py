"""`--profile hub` end to end: the real CLI, flow and `from_pretrained` path, with tiny locally
built checkpoints placed in a Hugging Face cache under the profile's own model ids (offline)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsflow.config import PROFILES
from newsflow.environment import isolated_environment

HUB_PROFILE = PROFILES["hub"].model_dump()
from tests.tiny_models import build_tiny_models

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parent.parent

ARTICLE = """Officials react to the launch

North Korea launched another missile , officials in Seoul said . Pyongyang denied the report and accused the United States of lying .

Markets

Markets rose sharply after the central bank cut interest rates . Analysts expect growth to slow next year . The company reported record profits but cut hundreds of jobs . Critics said the plan would raise energy prices for families . Supporters praised the minister for acting quickly . Many residents welcome the new park in the city centre . Analysts expect growth to slow next year . Nobody knows what will happen next ?
"""


def cache_as_hub(model_dir: Path, hub_id: str, cache: Path) -> None:
    """Lay a local checkpoint out as the Hub cache does: models--org--name/{refs/main, snapshots/<rev>/}."""
    revision = "0" * 40
    repo = cache / ("models--" + hub_id.replace("/", "--"))
    shutil.copytree(model_dir, repo / "snapshots" / revision)
    (repo / "refs").mkdir(parents=True)
    (repo / "refs" / "main").write_text(revision)


@pytest.fixture(scope="module")
def hub_run(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hub-profile")
    tiny = build_tiny_models(tmp / "tiny")
    cache = tmp / "hf-cache"
    for task, folder in (("summarizer", "bart"), ("sentiment", "sentiment"), ("stance", "nli")):
        cache_as_hub(tiny[folder], HUB_PROFILE[task], cache)
    (tmp / "in").mkdir()
    (tmp / "in" / "article.txt").write_text(ARTICLE)
    env = isolated_environment(tmp / "prefect", HF_HUB_CACHE=str(cache), HF_HUB_OFFLINE="1", OMP_NUM_THREADS="1")
    proc = subprocess.run(
        [sys.executable, "-m", "newsflow", "run", str(tmp / "in"), "--out", str(tmp / "out"), "--profile", "hub",
         "--target", "North Korea=Pyongyang,DPRK", "--target", "the union"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    return tmp / "out"


def q(out: Path, query: str) -> list[tuple]:
    return duckdb.sql(query.replace("{out}", str(out))).fetchall()


def test_profile_models_are_recorded(hub_run):
    [(summary_model, sentiment_model)] = q(hub_run, "select distinct summary_model, sentiment_model from '{out}/sections/*/*.parquet'")
    assert (summary_model, sentiment_model) == (HUB_PROFILE["summarizer"], HUB_PROFILE["sentiment"])
    assert q(hub_run, "select distinct stance_model from '{out}/stances/*/*.parquet'") == [(HUB_PROFILE["stance"],)]


def test_long_section_is_chunked_not_truncated(hub_run):
    rows = q(hub_run, "select heading, n_words, summary_chunks, length(summary) > 0 from '{out}/sections/*/*.parquet' order by position")
    # The tiny BART reads 62 content tokens (one per whitespace token here): the 23-token lead fits
    # one window, the 75-token section needs two.
    assert rows == [(None, 23, 1, True), ("Markets", 75, 2, True)]


def test_stance_rests_only_on_mentioning_sentences(hub_run):
    rows = q(hub_run, "select section_position, target, label, evidence from '{out}/stances/*/*.parquet' order by 1, 2")
    assert [(r[0], r[1]) for r in rows] == [(0, "North Korea"), (0, "the union"), (1, "North Korea"), (1, "the union")]
    lead_korea, lead_union, markets_korea, markets_union = rows
    assert lead_korea[2] in ("FAVOR", "AGAINST", "NONE")
    assert set(lead_korea[3]) <= {"North Korea launched another missile , officials in Seoul said .",
                                  "Pyongyang denied the report and accused the United States of lying ."}
    assert len(lead_korea[3]) >= 1
    for row in (lead_union, markets_korea, markets_union):  # sections that never name the target
        assert (row[2], list(row[3])) == ("NONE", [])


def test_sentiment_labels_are_mapped(hub_run):
    labels = {r[0] for r in q(hub_run, "select sentiment from '{out}/sections/*/*.parquet'")}
    assert labels <= {"negative", "neutral", "positive"} and labels
