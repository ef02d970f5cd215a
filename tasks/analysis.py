"""encode → summarize / sentiment / stance over one batch of documents."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NONE

from models.base import SentimentResult, StanceResult, SummaryResult, Target
from models.registry import ModelSet, load_models
from newsflow import pipeline
from newsflow.config import RunConfig
from newsflow.pipeline import EncodedBatch, PreparedDocument


def models_for(config: RunConfig) -> ModelSet:
    return load_models(config.summarizer, config.sentiment, config.stance, config.quantize, config.batch_size)


@task(name="load models", cache_policy=NONE)
def load_model_set(config: RunConfig) -> dict[str, str]:
    """Load every chosen model up front, so a bad model fails before any document is processed."""
    return models_for(config).ids()


@task(name="encode sentences", cache_policy=NONE)
def encode_sentences(docs: list[PreparedDocument], config: RunConfig) -> EncodedBatch:
    return pipeline.encode_batch(docs, models_for(config).encoder, config.token_budget, config.batch_size)


@task(name="summarize", cache_policy=NONE)
def summarize_sections(batch: EncodedBatch, config: RunConfig) -> tuple[list[list[SummaryResult]], list[SummaryResult]]:
    return pipeline.summarize(batch, models_for(config), config)


@task(name="sentiment", cache_policy=NONE)
def score_sentiment(batch: EncodedBatch, config: RunConfig) -> list[list[list[SentimentResult]]]:
    return pipeline.score_sentiment(batch, models_for(config))


@task(name="stance", cache_policy=NONE)
def score_stance(batch: EncodedBatch, config: RunConfig
                 ) -> tuple[list[list[tuple[Target, str]]], list[list[list[StanceResult]]]]:
    targets = pipeline.choose_targets(batch, config)
    return targets, pipeline.score_stance(batch, models_for(config), targets)
