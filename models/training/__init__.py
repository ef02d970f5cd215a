"""Training data and deterministic retraining for the embedded sentiment and stance heads."""
