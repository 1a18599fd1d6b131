import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci")


@pytest.fixture
def rng():
    """The one seeded source of randomness for tests that draw numbers themselves."""
    return np.random.default_rng(20261123)
