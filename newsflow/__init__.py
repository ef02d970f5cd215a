"""newsflow: batch NLP over news articles — sections, summaries, sentiment and stance, as Parquet."""

__version__ = "0.1.0"
