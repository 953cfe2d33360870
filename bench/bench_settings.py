"""Settings for HTTP benchmarks: the real settings plus the bare baseline views' URLs."""

from backto.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
AXES_ENABLED = False  # the load generator signs in many times from one address
