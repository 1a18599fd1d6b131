import os
import tempfile

import numpy as np
import pytest
from hypothesis import settings

settings.register_profile("ci", max_examples=60, deadline=None, derandomize=True)
settings.load_profile("ci")


@pytest.fixture
def rng():
    """The one seeded source of randomness for tests that draw numbers themselves."""
    return np.random.default_rng(20261123)


# Settings, recent files and the autosave go to a private folder, never the tester's own.
_HOME = tempfile.mkdtemp(prefix="landscape-explorer-tests-")
os.environ["XDG_CONFIG_HOME"] = os.path.join(_HOME, "config")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "data")
