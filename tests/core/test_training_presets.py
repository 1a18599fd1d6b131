"""The stochastic-training presets (30–33) do what their notes say, checked against references computed without
autograd: numpy.linalg.lstsq for the least-squares line, scipy's least_squares for the exponential model, and
the batches' rows re-derived from the documented rule (numpy's default_rng seeded with (seed, epoch))."""
import numpy as np
import pytest
from scipy.optimize import least_squares

from explorer.core.datasets import generate
from explorer.core.preset_library import load_presets
from explorer.core.schedules import make_schedule
from explorer.session import Session

PRESETS = {path.stem: scene for path, scene in load_presets()}
LINE = generate("line", 0)
BEST_LINE = np.linalg.lstsq(np.column_stack([LINE.column("X"), np.ones(LINE.rows)]), LINE.column("Y"), rcond=None)[0]


def played(name, seed=None):
    """The preset as the window holds it (optionally every batched run on another seed), played to its end."""
    s = Session.from_scene(PRESETS[name])
    if seed is not None:
        for i, r in enumerate(s.setup.runs):
            s.set_run_batch(i, r.batch, seed)
    s.jump(s.setup.max_steps, budget=None)
    return s


def distances(run):
    return np.linalg.norm(run.path - BEST_LINE, axis=1)


def first_within(run, excess):
    """The first step whose full loss is within `excess` of the least loss, and the epochs used by then."""
    least = np.mean((BEST_LINE[0] * LINE.column("X") + BEST_LINE[1] - LINE.column("Y")) ** 2)
    k = int(np.argmax(run.values - least < excess))
    assert run.values[k] - least < excess
    return k, float(run.cost("epochs")[k])


def check_sgd_race(scene):
    s = played("30-sgd-minibatch-full-batch")
    full, batch, sgd = s.runs
    assert [r.optimizer.settings()["lr"] for r in s.runs] == [0.05] * 3
    assert (full.optimizer.batches, batch.optimizer.batches.size, sgd.optimizer.batches.size) == (None, 10, 1)
    assert first_within(full, 0.01) == (34, 35.0)       # full batch: every state costs all 50 rows
    k, epochs = first_within(batch, 0.01)
    assert k == 35 and epochs == pytest.approx(7.2)     # (35 + 1) batches of 10 rows over 50 rows
    k, epochs = first_within(sgd, 0.01)
    assert k == 38 and epochs == pytest.approx(0.78)
    assert full.end_point == "minimum" and len(full.records) == 151
    assert batch.status == sgd.status == "step limit" and len(sgd.records) == 500
    assert round(distances(batch)[-1], 4) == 0.0095 and round(distances(sgd)[-1], 2) == 0.13
    assert np.all(np.diff(full.values) <= 0) and np.any(np.diff(sgd.values) > 0)   # only SGD's loss goes up


def mean_wander(run, start=300):
    return float(distances(run)[start:].mean())


def check_momentum_noise(scene):
    s = played("31-momentum-minibatches")
    gd, slow, fast = s.runs
    assert (slow.optimizer.lr / (1 - slow.optimizer.momentum)) == pytest.approx(gd.optimizer.lr)
    assert [round(mean_wander(r), 3) for r in s.runs] == [0.023, 0.009, 0.091]
    over_seeds = np.mean([[mean_wander(r) for r in played("31-momentum-minibatches", seed).runs]
                          for seed in range(10)], axis=0)
    assert np.round(over_seeds, 3).tolist()[:2] == [0.023, 0.009] and round(over_seeds[2], 2) == 0.08


def check_gauss_newton(scene):
    s = played("32-gauss-newton-growth")
    runs = {r.method: r for r in s.runs}
    data = generate("growth", 0)
    x, y = data.column("X"), data.column("Y")
    answer = least_squares(lambda t: t[0] * np.exp(t[1] * x) - y, [1.0, 0.1], xtol=1e-15, ftol=1e-15, gtol=1e-15).x
    assert np.round(answer, 4).tolist() == [2.0150, 0.5032]
    start = np.array([3.5, 0.0])
    assert all(r.start.tolist() == start.tolist() for r in s.runs)
    hessian = s.objective.analyze(start).hessian
    assert np.round(np.linalg.eigvalsh(hessian), 1).tolist() == [-129.5, 2.6]              # indefinite
    assert np.round(np.linalg.eigvalsh(s.problem.gauss_newton_matrix(start)), 2).tolist() == [0.47, 149.91]
    gn, lm = runs["gauss-newton"], runs["levenberg-marquardt"]
    assert (len(gn.records), len(lm.records)) == (8, 11)
    for r in (gn, lm):
        assert r.end_point == "minimum" and r.current.point == pytest.approx(answer, abs=1e-6)
    newton = runs["newton"]
    model = s.objective.analyze(start)
    step = -np.linalg.solve(model.hessian, model.gradient)      # to the model's stationary point: a saddle
    assert newton.path[1] == pytest.approx(start + step)
    assert newton.status == "still falling" and newton.current.point[1] < -100   # exp(b·X) ≈ 0: flat ground
    assert round(float(np.linalg.norm(runs["gd"].current.point - answer)), 1) == 0.8


def check_schedules(scene):
    s = played("33-learning-rate-schedules")
    constant, inverse, cosine = s.runs
    assert inverse.optimizer.schedule == make_schedule("inverse-time", decay=0.02)
    assert [inverse.lr_of_step(t) for t in (0, 50, 499)] == pytest.approx([0.05, 0.05 / 2, 0.05 / (1 + 0.02 * 499)])
    assert cosine.lr_of_step(250) == pytest.approx(0.025) and cosine.lr_of_step(500) == 0.0
    assert [round(float(distances(r)[400:].mean()), 3) for r in s.runs] == [0.143, 0.017, 0.012]
    over_seeds = np.mean([[distances(r)[400:].mean() for r in played("33-learning-rate-schedules", seed).runs]
                          for seed in range(10)], axis=0)
    assert np.round(over_seeds, 3).tolist() == [0.145, 0.022, 0.011]


TRAINING_CLAIMS = {
    "30-sgd-minibatch-full-batch": check_sgd_race,
    "31-momentum-minibatches": check_momentum_noise,
    "32-gauss-newton-growth": check_gauss_newton,
    "33-learning-rate-schedules": check_schedules,
}


SLOW_CLAIMS = {"31-momentum-minibatches", "33-learning-rate-schedules"}   # over 10 s each: many seeds played out


@pytest.mark.parametrize("name", [pytest.param(name, marks=pytest.mark.slow) if name in SLOW_CLAIMS else name
                                  for name in sorted(TRAINING_CLAIMS)])
def test_the_training_preset_does_what_its_note_says(name):
    TRAINING_CLAIMS[name](PRESETS[name])
