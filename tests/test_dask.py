"""The flow on a Dask cluster of two worker processes writes the same Parquet rows as the default
(thread pool) runner; each worker loads the models once and runs torch on its own thread."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.dataset as ds
import pytest

from newsflow.config import RunConfig

pytestmark = pytest.mark.slow

KEYS = {"documents": ["doc_id"], "sections": ["doc_id", "position"],
        "stances": ["doc_id", "section_position", "target"], "quotes": ["doc_id", "section_position", "position"]}
PER_RUN = ["run_id", "processed_at"]


def read_table(out: Path, name: str):
    table = ds.dataset(out / name, format="parquet", partitioning="hive").to_table()
    table = table.drop_columns([c for c in PER_RUN + ["run_date"] if c in table.column_names])
    return table.sort_by([(k, "ascending") for k in KEYS[name]]).to_pylist()


@pytest.fixture(scope="module")
def cluster():
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as local:
        yield local


def test_dask_runner_output_matches_default_runner(prefect_harness, cluster, tmp_path):
    import distributed

    from newsflow.flows.analyse_news import analyse_news
    from newsflow.flows.runners import dask_task_runner
    from tests.conftest import ARTICLES, SEED

    src = tmp_path / "in"
    src.mkdir()
    shutil.copy(SEED, src / SEED.name)
    for article in ARTICLES.iterdir():
        shutil.copy(article, src / article.name)
    common = {"input_dir": src}

    # torch's float sums depend on its thread count (last bits of the stance scores): the default
    # runner gets 1 thread explicitly; on Dask it must follow from the workers' nthreads=1.
    local = analyse_news(config=RunConfig(output_dir=tmp_path / "threads", execution={"docs_per_batch": 2, "torch_threads": 1}, **common))
    on_dask = analyse_news.with_options(task_runner=dask_task_runner(cluster.scheduler_address))(
        config=RunConfig(output_dir=tmp_path / "dask", execution={"docs_per_batch": 2}, **common))

    assert (on_dask.processed, on_dask.skipped, on_dask.rejected) == (local.processed, 0, 0) == (5, 0, 0)
    assert on_dask.sections == local.sections
    for name in KEYS:
        threads_rows, dask_rows = read_table(tmp_path / "threads", name), read_table(tmp_path / "dask", name)
        assert len(dask_rows) == len(threads_rows) > 0 or name == "quotes"
        for a, b in zip(threads_rows, dask_rows):
            assert a == b, (name, {k: (a[k], b[k]) for k in a if a[k] != b[k]})

    def probe():  # runs in each worker process
        import torch

        from newsflow.models.registry import load_models

        return load_models.cache_info().misses, load_models.cache_info().hits, torch.get_num_threads()

    with distributed.Client(cluster.scheduler_address) as client:
        per_worker = client.run(probe)
    assert len(per_worker) == 2
    assert all(misses <= 1 for misses, _, _ in per_worker.values())  # loaded at most once per process
    assert sum(hits for _, hits, _ in per_worker.values()) > 0  # and reused for later batches
    assert all(threads == 1 for misses, _, threads in per_worker.values() if misses)  # 1 core per worker
