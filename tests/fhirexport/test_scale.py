"""The job's cost as the clinic grows: a fixed number of queries per page (whatever the rows on
it), and memory flat (the tracemalloc peak of the job at two clinic sizes)."""

from __future__ import annotations

import gc
import tracemalloc
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from backto.readers.fhirexport.models import ExportJob, ExportState
from backto.readers.fhirexport.running import run_export
from tests.fhirexport.conftest import grow
from tests.fhirexport.test_export import job_of


def queries_of(exporter: Any, user: Any, page_size: int) -> tuple[int, ExportJob]:
    job = job_of(exporter(user).kickoff())
    with CaptureQueriesContext(connection) as ctx:
        assert run_export(job.pk, page_size=page_size) == ExportState.COMPLETED
    return len(ctx.captured_queries), ExportJob.objects.get(pk=job.pk)


def test_the_jobs_query_count_does_not_grow_with_the_rows_on_a_page(
    exporter, clock, clinic, cora, pat
):
    grow(clinic, cora, pat, 2)
    few, small = queries_of(exporter, cora, page_size=1000)
    grow(clinic, cora, pat, 4, start=2)
    many, large = queries_of(exporter, cora, page_size=1000)
    assert large.total > 2 * small.total  # three times the records...
    assert many == few  # ...in the same number of queries: one page per source either way


def test_each_further_page_costs_the_same_fixed_number_of_queries(
    exporter, clock, clinic, cora, pat
):
    grow(clinic, cora, pat, 3, days=2)
    one, job = queries_of(exporter, cora, page_size=4)
    two, again = queries_of(exporter, cora, page_size=2)
    assert again.counts == job.counts
    # halving the page doubles the pages: the difference is a fixed cost per extra page (the
    # rows' query, the builders' one or two, the teen-privacy query and the progress UPDATE)
    extra_pages = sum((n + 1) // 2 - (n + 3) // 4 for n in job.counts.values())
    assert 0 < two - one <= 5 * extra_pages


def peak_of(exporter: Any, user: Any) -> tuple[int, int]:
    job = job_of(exporter(user).kickoff())
    gc.collect()
    tracemalloc.start()
    try:
        assert run_export(job.pk, page_size=20) == ExportState.COMPLETED
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak, ExportJob.objects.get(pk=job.pk).total


@pytest.mark.slow
def test_memory_stays_flat_as_the_clinic_grows(exporter, clock, clinic, cora, pat):
    grow(clinic, cora, pat, 15)
    peak_of(exporter, cora)  # once first: what is loaded once per process (instruments, codes)
    small, written_small = peak_of(exporter, cora)
    grow(clinic, cora, pat, 45, start=15)
    large, written_large = peak_of(exporter, cora)
    assert written_large > 3.5 * written_small
    # four times the resources within a quarter more memory: one page is held, never a type
    # (measured 0.68 and 0.73 MB; holding the resources would add about 1.5 kB each)
    assert large < small * 1.25, (small, large)
