"""The field presets (16–21) do what their notes say: numbers a person can check by hand."""
import numpy as np
import pytest

from explorer.core.calculus import PointCalculus
from explorer.core.field_picture import KEPT, REVERSED, compute_field_picture
from explorer.core.field_scene import FIELD
from explorer.core.lens import jacobian_lens
from explorer.core.preset_library import load_presets
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}
GOLDEN = (1 + 5 ** 0.5) / 2


def session_of(scene, parameters=None):
    """The scene as the window holds it, every run played to its end."""
    s = Session.from_scene(scene)
    for name, value in (parameters or {}).items():
        s.set_parameter(name, value)
    s.jump(scene.max_steps, budget=None)
    return s


def lens_of(s):
    spec = s.setup.lens_at()
    return jacobian_lens(s.calculus, spec.point, spec.radius)


def picture_of(s):
    x = np.linspace(*s.setup.x_range, s.setup.resolution)
    y = np.linspace(*s.setup.y_range, s.setup.resolution)
    return compute_field_picture(s.calculus, x, y)


def check_polar(scene):
    s = session_of(scene)
    lens = lens_of(s)
    assert lens.center.tolist() == [2.0, 0.6]
    a = lens.analysis
    assert a.determinant == pytest.approx(2.0, abs=1e-12)                  # det J = r
    assert a.singular_values == pytest.approx([2.0, 1.0], abs=1e-12)       # stretched by r along θ, 1 along r
    assert lens.semi_axes == pytest.approx([0.6, 0.3], abs=1e-12)          # twice as long as wide
    np.testing.assert_allclose(a.jacobian, [[np.cos(0.6), -2 * np.sin(0.6)], [np.sin(0.6), 2 * np.cos(0.6)]])
    picture = picture_of(s)
    np.testing.assert_allclose(picture.jmap.det, np.broadcast_to(picture.x[:, None], picture.jmap.det.shape),
                               atol=1e-12)                                 # det J = x = r at every grid point
    (run,) = s.runs
    assert run.status == "root found" and len(run.records) == 1
    assert run.path[-1].tolist() == pytest.approx([0.0, 0.6])
    assert s.calculus.analyze(run.path[-1]).determinant == pytest.approx(0.0, abs=1e-12)


def check_shear(scene):
    s = session_of(scene)
    a = lens_of(s).analysis
    assert a.determinant == pytest.approx(1.0) and a.singular_values == pytest.approx([GOLDEN, 1 / GOLDEN])
    assert lens_of(s).gap == pytest.approx(0.0, abs=1e-12)                 # linear: the ellipse is the image
    assert np.all(picture_of(s).orientation == KEPT)
    (run,) = s.runs
    assert run.status == "root found" and len(run.records) == 1 and run.path[-1] == pytest.approx([0, 0], abs=1e-12)
    assert session_of(scene, {"k": 2.0}).calculus.analyze((0.3, -1.0)).determinant == pytest.approx(1.0)


def check_rotation_scaling(scene):
    s = session_of(scene)
    lens = lens_of(s)
    a = lens.analysis
    assert a.eigenvalues == pytest.approx([0.8 - 0.6j, 0.8 + 0.6j])
    assert a.determinant == pytest.approx(1.0) and a.singular_values == pytest.approx([1.0, 1.0])
    # the image of the circle is a circle of the same radius around F(p)
    assert np.linalg.norm(lens.image - lens.value, axis=1) == pytest.approx(np.full(len(lens.image), 0.4))
    (run,) = s.runs
    assert run.status == "root found" and len(run.records) == 1


def check_fold(scene):
    s = session_of(scene)
    a = lens_of(s).analysis
    assert a.point.tolist() == [0.75, 0.5]
    assert a.determinant == pytest.approx(0.0, abs=1e-12)                  # 3·0.5² − 0.75 = 0: on the fold
    assert a.singular_values[1] == pytest.approx(0.0, abs=1e-12)           # the ellipse is flat
    assert s.calculus.analyze((1.0, 0.0)).determinant == pytest.approx(-1.0)
    assert s.calculus.analyze((0.0, 1.0)).determinant == pytest.approx(3.0)
    picture = picture_of(s)
    assert picture.fraction(KEPT) > 0.2 and picture.fraction(REVERSED) > 0.2
    fold = picture.fold[np.isfinite(picture.fold[:, 0])]
    assert len(fold) > 50 and np.max(np.abs(fold[:, 0] - 3 * fold[:, 1] ** 2)) < 0.01   # the curve x = 3y²
    (run,) = s.runs
    assert run.status == "root found" and np.linalg.norm(run.path[-1]) < 1e-5
    y = run.path[1:, 1]
    np.testing.assert_allclose(y[1:] / y[:-1], 2 / 3)                      # linear convergence: y keeps 2/3


def check_two_roots(scene):
    s = session_of(scene)
    first, second = s.runs
    assert first.start.tolist() == [2.0, 0.0] and second.start.tolist() == [-3.0, 3.0]
    for run, root, det in ((first, (1.0, 1.0), 3.0), (second, (-2.0, 4.0), -3.0)):
        assert run.status == "root found"
        assert run.path[-1] == pytest.approx(root, abs=1e-9)
        assert s.calculus.analyze(run.path[-1]).determinant == pytest.approx(det)   # det J = 2x + 1
    picture = picture_of(s)
    assert not picture.gradient_field
    for root in ((1.0, 1.0), (-2.0, 4.0)):   # both zero curves pass through both roots
        for curve in (picture.zero_u, picture.zero_v):
            assert np.nanmin(np.linalg.norm(curve - root, axis=1)) < 0.05


def check_himmelblau_gradient(scene):
    assert scene.gradient_field and scene.kind == FIELD
    s = session_of(scene)
    picture = picture_of(s)
    assert picture.gradient_field                                          # J = Jᵀ on the whole grid
    a = lens_of(s).analysis
    np.testing.assert_allclose(a.jacobian, [[-42.0, 0.0], [0.0, -26.0]], atol=1e-12)   # f's Hessian at (0, 0)
    f = PointCalculus(scene.text)
    np.testing.assert_allclose(a.jacobian, f.analyze((0.0, 0.0)).hessian, atol=1e-12)
    classes = []
    for run in s.runs:
        assert run.status == "root found"
        end = f.analyze(run.path[-1])
        assert np.linalg.norm(end.gradient) < 1e-8
        classes.append(end.classification)
    assert classes == ["convex", "concave", "saddle"]
    assert s.runs[0].path[-1] == pytest.approx([3.0, 2.0], abs=1e-9)


FIELD_CLAIMS = {
    "16-polar-to-cartesian": check_polar,
    "17-shear": check_shear,
    "18-rotation-scaling": check_rotation_scaling,
    "19-fold": check_fold,
    "20-two-roots": check_two_roots,
    "21-himmelblau-gradient-field": check_himmelblau_gradient,
}


def test_every_field_preset_is_a_field_and_has_its_claim():
    fields = {name for name, scene in PRESETS.items() if scene.kind == FIELD}
    assert fields == set(FIELD_CLAIMS)


@pytest.mark.parametrize("name", sorted(FIELD_CLAIMS))
def test_the_field_preset_does_what_its_note_says(name):
    assert name in PRESETS, f"no preset file {name}.json"
    FIELD_CLAIMS[name](PRESETS[name])
