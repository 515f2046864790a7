"""Test settings: hypothesis runs 200 examples a property, with no deadline."""

from hypothesis import settings

settings.register_profile("default", max_examples=200, deadline=None)
settings.load_profile("default")

collect_ignore = ["benchmark.py"]  # run by `nox -s bench`, not a test
