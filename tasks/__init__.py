"""Prefect tasks: thin wrappers over `newsflow` functions. Models are loaded inside tasks (cached
per process), never passed as task inputs, so Prefect neither hashes nor pickles them."""
