"""Production settings plus one bench-only URL (a bare view to measure against); never used in production."""

from rocbap.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
