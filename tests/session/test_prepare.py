"""Preparing a scene (check + runs) apart from the session, then handing the runs over."""
import pytest

from explorer.core.preset_library import load_presets
from explorer.core.scene import SceneCancelled, check_computable
from explorer.session.model import Session
from explorer.session.prepare import prepare_scene


def test_the_session_takes_the_prepared_runs_with_their_checked_step():
    _, scene = load_presets()[7]
    builder = prepare_scene(scene)
    prepared = {id(run) for run in builder._runs.values()}
    session = Session()
    session.load_scene(scene, prepared=builder)
    assert len(session.runs) == len(scene.runs)
    assert all(id(run) in prepared for run in session.runs)


def test_a_prepared_scene_plays_exactly_as_one_built_by_the_session():
    _, scene = load_presets()[7]
    a, b = Session(), Session()
    a.load_scene(scene, prepared=prepare_scene(scene))
    b.load_scene(scene)
    for s in (a, b):
        for _ in range(30):
            s.step_forward()
    for ra, rb in zip(a.runs, b.runs):
        assert ra.path.tolist() == rb.path.tolist()


def test_cancelling_stops_the_check_before_the_next_run():
    _, scene = load_presets()[7]
    asked = []

    def cancelled():
        asked.append(1)
        return len(asked) > 1          # let the function's grid through, stop before the first run

    with pytest.raises(SceneCancelled):
        check_computable(scene, cancelled)
    assert len(asked) == 2


def test_a_builder_keeps_every_run_of_a_setup_with_many_runs():
    """64 runs exceed the builder's spare cache of 24: none of the setup's own runs is evicted."""
    from dataclasses import replace
    _, scene = load_presets()[7]
    run = scene.runs[0]
    many = replace(scene, runs=tuple(replace(run, start=(0.01 * i, 0.5)) for i in range(64)))
    builder = prepare_scene(many)
    assert len(builder._runs) == 64
