"""The lecture preset library: every scene loads, and its runs do what its note says they do."""
import json
import re
from pathlib import Path

import numpy as np
import pytest

from explorer.core.calculus import PointCalculus, SurfaceCalculus
from explorer.core.objective import Objective
from explorer.core.methods import make_optimizer
from explorer.core.preset_library import PRESET_FOLDER, find_preset, load_presets, preset_name, preset_paths
from explorer.core.scene import Scene, load_scene, scene_to_json
from explorer.core.trajectory import Run
from tests.helpers import gui_modules_loaded_by

PRESETS = {path.stem: scene for path, scene in load_presets()}


def runs_of(scene: Scene, parameters=None) -> list[Run]:
    """Every run of the scene, run to its end, exactly as the program would."""
    objective = Objective(scene.text, scene.parameter_values() if parameters is None else parameters)
    runs = []
    for spec in scene.runs:
        run = Run(make_optimizer(spec.method, objective, **spec.settings), spec.start, max_steps=scene.max_steps)
        run.run_to_end()
        runs.append(run)
    return runs


def analyze(scene: Scene, point, parameters=None):
    return PointCalculus(scene.text, scene.parameter_values() if parameters is None else parameters).analyze(point)


def curvature_along(scene: Scene, record) -> float:
    """pᵀ H p at the step's start: the second derivative of f along the step (times |p|²)."""
    h = analyze(scene, record.start).hessian
    return float(record.vector @ h @ record.vector)


# ---------------------------------------------------------------- the library as a whole

def test_the_folder_holds_at_least_fifteen_presets_in_lecture_order():
    paths = preset_paths()
    assert PRESET_FOLDER.is_dir()
    assert len(paths) >= 15
    assert paths == sorted(paths)
    numbers = []
    for path in paths:
        match = re.fullmatch(r"(\d\d)-[a-z0-9]+(?:-[a-z0-9]+)*\.json", path.name)
        assert match, f"{path.name} is not named NN-short-name.json"
        numbers.append(int(match[1]))
    assert numbers == list(range(1, len(paths) + 1))


@pytest.mark.parametrize("path", preset_paths(), ids=lambda p: p.stem)
def test_every_preset_loads_and_is_stored_as_the_program_would_write_it(path):
    scene = load_scene(path)
    assert path.read_text(encoding="utf-8") == scene_to_json(scene)


@pytest.mark.parametrize("path", preset_paths(), ids=lambda p: p.stem)
def test_every_preset_is_a_complete_lecture_scene(path):
    scene = load_scene(path)
    assert scene.title.strip() and scene.note.strip()
    assert len(scene.note) <= 300 and len(re.findall(r"[.!?](?:\s|$)", scene.note)) <= 2, "a note is 1-2 sentences"
    assert scene.runs, "a preset shows at least one run"
    assert scene.max_steps > 0 and scene.current_step == 0
    i, j = scene.fit.axis_indices if scene.fit is not None else (0, 1)   # a fit's map: its two axis parameters
    for spec in scene.runs:
        (x0, x1), (y0, y1) = scene.x_range, scene.y_range
        assert x0 <= spec.start[i] <= x1 and y0 <= spec.start[j] <= y1, "a start point lies inside the domain"
    data = json.loads(path.read_text(encoding="utf-8"))   # the file's own ranges (reading widens one to hold its value)
    for name, (low, high) in data["parameter_ranges"].items():
        assert low <= data["parameters"][name] <= high


def test_the_presets_are_package_data_inside_the_package():
    import explorer
    assert Path(PRESET_FOLDER).resolve().is_relative_to(Path(explorer.__file__).resolve().parent)


def test_every_preset_has_a_short_name_that_finds_it():
    names = [preset_name(path) for path in preset_paths()]
    assert len(set(names)) == len(names)
    assert preset_name(Path("08-rosenbrock.json")) == "rosenbrock"
    for path, name in zip(preset_paths(), names):
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", name)
        assert find_preset(name) == find_preset(path.stem) == find_preset(name.upper()) == path
    assert find_preset("no-such-preset") is None


def test_titles_and_notes_are_unique():
    scenes = [scene for _, scene in load_presets()]
    assert len({s.title for s in scenes}) == len(scenes)
    assert len({s.note for s in scenes}) == len(scenes)


def test_every_preset_has_its_claim_checked():
    from tests.core.test_field_presets import FIELD_CLAIMS   # the field presets' claims live there
    from tests.core.test_lesson_presets import LESSON_CLAIMS   # and the second-derivative lesson's
    from tests.core.test_fit_presets import FIT_CLAIMS         # and the data-fitting presets'
    from tests.core.test_training_presets import TRAINING_CLAIMS   # and stochastic training's
    from tests.core.test_model_presets import MODEL_PRESETS          # and the models'
    from tests.core.test_spectrum_presets import SPECTRUM_PRESETS    # and the curvature of models': spectra,
    from tests.core.test_direction_presets import DIRECTION_PRESETS  # slices along directions,
    from tests.core.test_sharpness_presets import SHARPNESS_PRESETS  # sharpness along a run
    from tests.core.test_sensitivity_presets import SENSITIVITY_PRESETS   # and the input–output Jacobian
    from tests.core.test_xray_presets import XRAY_PRESETS   # and each method's state drawn (issue 27)
    assert set(PRESETS) == (set(CLAIMS) | set(FIELD_CLAIMS) | set(LESSON_CLAIMS) | set(FIT_CLAIMS) | set(TRAINING_CLAIMS)
                            | set(MODEL_PRESETS) | set(SPECTRUM_PRESETS) | set(DIRECTION_PRESETS)
                            | set(SHARPNESS_PRESETS) | set(SENSITIVITY_PRESETS) | set(XRAY_PRESETS))


def test_the_library_module_needs_no_qt():
    assert gui_modules_loaded_by("import explorer.core.preset_library as m; m.load_presets()") == []


# ---------------------------------------------------------------- each preset does what its note says

def check_linear_step(scene):
    # zero second derivative along the step: actual decrease == linear prediction -∇f·p, every step
    (gd,) = runs_of(scene)
    assert gd.records
    for record in gd.records:
        assert curvature_along(scene, record) == 0
        assert record.predicted_linear > 0
        assert record.actual == pytest.approx(record.predicted_linear, rel=1e-9)


def check_convex_step(scene):
    # positive curvature along the step: the decrease falls short of the linear prediction
    (gd,) = runs_of(scene)
    first = gd.records[0]
    assert curvature_along(scene, first) > 0
    assert first.actual < first.predicted_linear
    for record in gd.records:
        if record.predicted_linear > 1e-6:  # every step that moves measurably
            assert record.actual < record.predicted_linear
        assert record.actual == pytest.approx(record.predicted_quadratic, rel=1e-9, abs=1e-12)
    assert gd.status == "converged"


def check_concave_step(scene):
    # negative curvature along the step: the decrease exceeds the linear prediction, steps grow
    (gd,) = runs_of(scene)
    first = gd.records[0]
    assert curvature_along(scene, first) < 0
    assert first.actual > first.predicted_linear > 0
    assert all(r.actual > r.predicted_linear for r in gd.records)
    lengths = [r.length for r in gd.records]
    assert all(b > a for a, b in zip(lengths, lengths[1:]))


def check_learning_rate_too_large(scene):
    big, small = runs_of(scene)
    lam_max = max(float(np.max(analyze(scene, spec.start).eigenvalues)) for spec in scene.runs)
    assert lam_max == pytest.approx(4.0)
    assert scene.runs[0].settings["lr"] > 2 / lam_max > scene.runs[1].settings["lr"]
    assert big.status == "diverged"
    assert small.status == "converged"
    assert np.linalg.norm(small.path[-1]) < 1e-5


def zigzags(path: np.ndarray) -> int:
    """How often the y coordinate changes sign along a path."""
    signs = np.sign(path[:, 1])
    signs = signs[signs != 0]
    return int(np.sum(signs[1:] != signs[:-1]))


def check_ill_conditioned_bowl(scene):
    gd, newton = runs_of(scene)
    assert analyze(scene, (0.0, 0.0)).condition_number == pytest.approx(10.0)
    assert newton.status == "converged" and len(newton.records) == 1
    assert gd.status == "converged" and len(gd.records) >= 20 * len(newton.records)
    assert zigzags(gd.path) >= 10


def check_condition_number_slider(scene):
    low, high = scene.parameters["k"].low, scene.parameters["k"].high
    assert low <= 10 < 100 <= high
    steps = {}
    for k in (10.0, 100.0):
        params = dict(scene.parameter_values(), k=k)
        assert analyze(scene, (0.0, 0.0), params).condition_number == pytest.approx(k)
        gd, newton = runs_of(scene, params)
        assert gd.status == "converged" and newton.status == "converged"
        assert len(newton.records) == 1
        steps[k] = len(gd.records)
    assert steps[100.0] > 3 * steps[10.0]


def check_momentum_overshoot(scene):
    momentum, gd = runs_of(scene)
    assert momentum.status == gd.status == "converged"
    minimum = momentum.path[-1]
    assert analyze(scene, minimum).classification == "convex"
    assert np.any(np.diff(momentum.values) > 0), "momentum's value goes up again at some step"
    assert np.all(np.diff(gd.values) <= 0), "plain gradient descent only goes down"
    # passing the minimum: the path reaches the far side of it, seen from the start
    start = momentum.path[0] - minimum
    assert np.min((momentum.path - minimum) @ start) < 0
    assert np.min((gd.path - minimum) @ start) >= 0


def check_rosenbrock(scene):
    gd, bfgs, newton = runs_of(scene)
    target = np.array([1.0, 1.0])
    assert analyze(scene, target).classification == "convex" and np.allclose(analyze(scene, target).gradient, 0)
    assert gd.status == "step limit" and len(gd.records) == scene.max_steps == 1000
    assert np.linalg.norm(gd.path[-1] - target) > 0.1
    for run in (bfgs, newton):
        assert run.status == "converged" and len(run.records) < 50
        assert np.linalg.norm(run.path[-1] - target) < 1e-4


def check_saddle(scene):
    newton, damped = runs_of(scene)
    assert newton.status == "converged"
    assert np.allclose(newton.path[-1], 0.0, atol=1e-12)
    assert analyze(scene, newton.path[-1]).classification == "saddle"
    assert np.all(np.diff(damped.values) < 0)
    assert damped.values[-1] < damped.values[0]
    start_distance = np.linalg.norm(damped.path[0])
    assert np.linalg.norm(damped.path[-1]) > 10 * start_distance
    assert damped.status != "converged"


def check_monkey_saddle(scene):
    origin = analyze(scene, (0.0, 0.0))
    assert np.all(origin.hessian == 0) and np.all(origin.gradient == 0)
    assert origin.classification == "degenerate"
    newton, gd = runs_of(scene)
    distances = np.linalg.norm(newton.path, axis=1)
    assert len(distances) > 5
    assert np.allclose(distances[1:] / distances[:-1], 0.5, rtol=1e-6), "Newton halves the distance, no faster"
    assert np.all(np.diff(gd.values) < 0)
    assert gd.status == "diverged" and gd.values[-1] < gd.values[0] - 1e3


def check_himmelblau(scene):
    runs = runs_of(scene)
    assert len({(spec.method, tuple(sorted(spec.settings.items()))) for spec in scene.runs}) == 1, "one method"
    ends = []
    for run in runs:
        assert run.status == "converged"
        end = analyze(scene, run.path[-1])
        assert end.classification == "convex" and end.value < 1e-8
        ends.append(run.path[-1])
    assert len(ends) == 4
    assert min(np.linalg.norm(a - b) for i, a in enumerate(ends) for b in ends[i + 1:]) > 1.0


def check_rastrigin(scene):
    trapped, central = runs_of(scene)
    for run in (trapped, central):
        assert run.status == "converged"
        assert analyze(scene, run.path[-1]).classification == "convex"
    assert trapped.values[-1] > 1.0
    assert np.linalg.norm(trapped.path[-1]) > 1.0
    assert abs(central.values[-1]) < 1e-8 and np.linalg.norm(central.path[-1]) < 1e-4


def check_beale(scene):
    gd, newton, bfgs = runs_of(scene)
    minimum = np.array([3.0, 0.5])
    assert analyze(scene, minimum).value == 0 and analyze(scene, minimum).classification == "convex"
    assert len(newton.records) == 1 and newton.status == "converged"
    assert np.allclose(newton.path[-1], (0.0, 1.0), atol=1e-12)
    assert analyze(scene, newton.path[-1]).classification == "saddle"
    assert bfgs.status == "converged" and len(bfgs.records) < 20
    assert np.linalg.norm(bfgs.path[-1] - minimum) < 1e-6
    assert gd.status == "step limit" and len(gd.records) == scene.max_steps == 500
    assert np.all(np.diff(gd.values) < 0), "creeping: downhill every step"
    assert np.linalg.norm(gd.path[-1] - minimum) > 0.05
    # the flat valley: along gradient descent's last 100 steps f changes by less than 1e-2
    assert gd.values[-100] - gd.values[-1] < 1e-2


def check_six_hump_camel(scene):
    runs = runs_of(scene)
    assert len(runs) == 6 and {spec.method for spec in scene.runs} == {"gd"}
    ends, values = [], []
    for run in runs:
        assert run.status == "converged"
        end = analyze(scene, run.path[-1])
        assert end.classification == "convex"
        ends.append(run.path[-1])
        values.append(end.value)
    assert min(np.linalg.norm(a - b) for i, a in enumerate(ends) for b in ends[i + 1:]) > 0.1, "six different minima"
    lowest = min(values)
    assert lowest == pytest.approx(-1.0316, abs=1e-4)
    global_ends = [end for end, v in zip(ends, values) if v < lowest + 1e-6]
    assert len(global_ends) == 2
    assert sorted(np.round(e, 2).tolist() for e in global_ends) == [[-0.09, 0.71], [0.09, -0.71]]
    # and no start point of the domain does better: the brute-force minimum on a fine grid
    x = np.linspace(*scene.x_range, 801)
    y = np.linspace(*scene.y_range, 801)
    assert SurfaceCalculus(scene.text).values(x, y).min() >= lowest - 1e-9


def check_sine_bowl(scene):
    classes = SurfaceCalculus(scene.text).curvature_map(
        np.linspace(*scene.x_range, scene.resolution), np.linspace(*scene.y_range, scene.resolution)).classes
    for code in (1, 2, 3):                        # convex, concave and saddle each cover a tenth of the map
        assert np.mean(classes == code) > 0.1
    gd, newton = runs_of(scene)
    assert newton.status == "converged" and analyze(scene, newton.path[-1]).classification == "saddle"
    assert gd.status == "converged" and analyze(scene, gd.path[-1]).classification == "convex"
    assert gd.values[-1] == pytest.approx(0.02, abs=0.005)
    x, y = np.linspace(*scene.x_range, 1201), np.linspace(*scene.y_range, 1201)
    z = SurfaceCalculus(scene.text).values(x, y)
    i, j = np.unravel_index(np.argmin(z), z.shape)
    assert z[i, j] == pytest.approx(-0.79, abs=0.005) and gd.values[-1] > z[i, j] + 0.8
    assert np.hypot(x[i] + 1.3, y[j]) < 0.05


CLAIMS = {
    "01-linear-step": check_linear_step,
    "02-convex-step": check_convex_step,
    "03-concave-step": check_concave_step,
    "04-learning-rate-too-large": check_learning_rate_too_large,
    "05-ill-conditioned-bowl": check_ill_conditioned_bowl,
    "06-condition-number-slider": check_condition_number_slider,
    "07-momentum-overshoot": check_momentum_overshoot,
    "08-rosenbrock": check_rosenbrock,
    "09-saddle": check_saddle,
    "10-monkey-saddle": check_monkey_saddle,
    "11-himmelblau": check_himmelblau,
    "12-rastrigin": check_rastrigin,
    "13-beale": check_beale,
    "14-six-hump-camel": check_six_hump_camel,
    "15-sine-bowl": check_sine_bowl,
}


@pytest.mark.parametrize("name", sorted(CLAIMS))
def test_the_preset_does_what_its_note_says(name):
    assert name in PRESETS, f"no preset file {name}.json"
    CLAIMS[name](PRESETS[name])


def test_preset_notes_write_minus_signs_as_minus_signs():
    """'f = −1.03', not 'f = -1.03': a hyphen reads as a dash on a projector."""
    for path, scene in load_presets():
        assert not re.search(r"(?<=[\s(,=])-(?=[\d∇.])", scene.note), path.name
