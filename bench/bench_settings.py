"""Settings for HTTP benchmarks: the real settings plus the bare baseline views' URLs."""

from backto.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bench_urls"
AXES_ENABLED = False  # the load generator signs in many times from one address
# The load generator signs in with a password only. Two-step sign-in is asked once per session,
# so it does not change what a page costs; without this a clinician is sent to enrol instead.
TWO_FACTOR_ENFORCED = False
