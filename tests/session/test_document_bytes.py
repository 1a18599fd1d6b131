"""Scenes saved through the session are byte for byte what the program wrote before the session and the
scene shared one document model: every preset, presets stepped along, files with keys missing, a new
window, a command-line export's scene."""
import json

import pytest

from explorer.core.preset_library import preset_paths
from explorer.core.scene import load_scene, scene_to_json
from explorer.session import Session
from tests.session.document_cases import EXPECTED, SPARSE, cases, sparse_as_read

CASES = cases()
WRITTEN = json.loads(EXPECTED.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", preset_paths(), ids=lambda p: p.stem)
def test_every_preset_saved_through_the_session_is_its_own_file(path):
    assert scene_to_json(Session.from_scene(load_scene(path)).scene()) == path.read_text(encoding="utf-8")


def test_every_case_has_its_expected_text():
    assert sorted(CASES) == sorted(WRITTEN)


@pytest.mark.parametrize("name", sorted(CASES))
def test_the_session_saves_the_same_bytes_as_before(name):
    assert CASES[name]() == WRITTEN[name]


@pytest.mark.parametrize("name", sorted(SPARSE))
def test_a_file_with_keys_missing_reads_as_the_session_saves_it(name):
    """The scene as read holds what the window makes of it (a slider's range around its value, say)."""
    assert sparse_as_read(SPARSE[name]) == WRITTEN[name]
