"""`run --json`: each step's "gradient" and "state" (what the method carried into it), checked against the step it
then took by each method's recurrence; the new methods' options and their one-line refusals."""
import numpy as np
import pytest

from tests.cli.cli_calls import error, output, strict_json

BOWL = "x^2 + 10*y^2"   # ∇f = (2x, 20y)


def runs(capsys, *argv):
    return {r["method"]: r for r in strict_json(output(capsys, "run", *argv, "--json"))["runs"]}


def steps(run):
    for s in run["steps"]:
        yield (np.array(s["from"]), np.array(s["vector"]), np.array(s["gradient"]), s["state"])


def test_every_step_carries_the_gradient_at_its_start(capsys):
    for run in runs(capsys, BOWL, "--method", "gd,adagrad,l-bfgs,trust-region,cg", "--start", "1,1",
                    "--steps", "4", "--lr", "0.05").values():
        for x, _, g, _ in steps(run):
            np.testing.assert_allclose(g, [2 * x[0], 20 * x[1]], rtol=1e-12)


def test_momentums_step_is_its_velocity_part_plus_its_gradient_part(capsys):
    (run,) = runs(capsys, BOWL, "--method", "momentum", "--start", "1,1", "--steps", "5", "--lr", "0.02",
                  "--momentum", "0.8").values()
    for _, p, g, state in steps(run):
        np.testing.assert_allclose(p, 0.8 * np.array(state["velocity"]) - 0.02 * g, rtol=1e-12, atol=1e-15)


def test_adagrads_step_divides_by_the_root_of_its_sum_of_squares(capsys):
    (run,) = runs(capsys, BOWL, "--method", "adagrad", "--start", "1,1", "--steps", "5", "--lr", "0.3",
                  "--eps", "1e-6").values()
    for _, p, g, state in steps(run):
        total = np.array(state["sum_sq"]) + g * g
        np.testing.assert_allclose(p, -0.3 * g / (np.sqrt(total) + 1e-6), rtol=1e-12)


def test_quasi_newton_steps_go_along_minus_h_times_the_gradient(capsys):
    out = runs(capsys, "x^2 + 10*y^2 + x*y + x^4", "--method", "bfgs,l-bfgs", "--start", "1,1", "--steps", "6",
               "--memory", "2")
    for method in ("bfgs", "l-bfgs"):
        for _, p, g, state in steps(out[method]):
            h = np.array(state["inverse_hessian"])
            assert h.shape == (2, 2)
            direction = -h @ g
            t = (p @ direction) / (direction @ direction)   # the line search's step length
            assert t > 0
            np.testing.assert_allclose(p, t * direction, rtol=1e-9, atol=1e-14)
    assert all(s["state"]["memory"] <= 2 for s in out["l-bfgs"]["steps"])
    assert out["l-bfgs"]["settings"]["memory"] == 2


def test_cg_starts_without_beta_and_trust_region_steps_stay_in_their_radius(capsys):
    out = runs(capsys, "x^2 - y^2 + y^4/4", "--method", "cg,trust-region", "--start", "1,0.001",
               "--steps", "20", "--radius", "0.5", "--max-radius", "2")
    assert out["cg"]["steps"][0]["state"]["beta"] is None
    for _, p, _, state in steps(out["trust-region"]):
        assert np.linalg.norm(p) <= state["radius"] * (1 + 1e-9) <= 2.0 * (1 + 1e-9)
    assert out["trust-region"]["end_point"] == "minimum"


def test_a_fits_and_a_models_steps_carry_them_too(capsys):
    fit = strict_json(output(capsys, "run", "--dataset", "line", "--loss", "(w*X + b - Y)^2", "--train", "w,b",
                             "--method", "adagrad", "--start", "0,0", "--steps", "3", "--json"))["runs"][0]
    assert [sorted(s["state"]) for s in fit["steps"]] == [["sum_sq"]] * 3
    model = strict_json(output(capsys, "run", "--dataset", "classes-2d", "--target", "Y", "--features", "X1,X2",
                               "--model", "logistic", "--method", "l-bfgs", "--steps", "3", "--json"))["runs"][0]
    for s in model["steps"]:
        assert len(s["gradient"]) == 3 and np.array(s["state"]["inverse_hessian"]).shape == (3, 3)


@pytest.mark.parametrize("argv, message", [
    (("--method", "l-bfgs", "--memory", "0"), "l-bfgs: memory must be a whole number >= 1, not 0"),
    (("--method", "trust-region", "--radius", "-1"), "trust-region: radius must be positive, not -1"),
    (("--method", "trust-region", "--radius", "3", "--max-radius", "1"),
     "trust-region: max_radius must be at least radius (3), not 1"),
    (("--method", "gd", "--memory", "3"), "--memory: none of gd has a setting 'memory'"),
    (("--method", "l-bfgs", "--memory", "many"), "--memory"),
])
def test_bad_settings_are_one_line(capsys, argv, message):
    assert message in error(capsys, "run", BOWL, "--start", "1,1", *argv)
