"""The one batcher: indices grouped into length-sorted batches, so padding (wasted FLOPs) stays
near zero. Used by the MiniLM encoder (token budget) and the Hub adapters (items per batch, and
a key that items of one batch must share, e.g. a generation length)."""

from __future__ import annotations

from typing import Hashable, Sequence


def length_sorted_batches(lengths: Sequence[int], token_budget: int | None = None, max_batch: int = 128,
                          keys: Sequence[Hashable] | None = None) -> list[list[int]]:
    """Indices sorted by (key, length), cut into batches of at most `max_batch` items whose padded
    size (items × longest) stays within `token_budget` (when given); a batch never mixes keys.
    Ties keep input order."""
    if max_batch < 1:
        raise ValueError(f"max_batch must be >= 1, got {max_batch}")
    key_list: Sequence[Hashable] = keys if keys is not None else [0] * len(lengths)
    # sort by the key's repr so mixed-type keys never compare
    order = sorted(range(len(lengths)), key=lambda i: (repr(key_list[i]), lengths[i]))
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        longest = lengths[i]  # sorted ascending within a key, so the newcomer is the longest
        if current and (len(current) >= max_batch or key_list[current[0]] != key_list[i]
                        or (token_budget is not None and longest * (len(current) + 1) > token_budget)):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches
