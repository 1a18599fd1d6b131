"""The inspector's rows for a network of many parameters: sizes, norms, ‖∇L‖, H's extreme eigenvalues and
the metrics on both parts, instead of θ and H entry by entry."""
import numpy as np

from explorer.ui.text.inspector_text import as_plain_text
from explorer.ui.text.model_text import model_rows
from tests.ui.model_fakes import model_problem, trained_run


def summary_of(problem, theta, extremes):
    arrays = problem.network.unflatten(theta)
    return {"parameters": problem.dimension, "norms": {n: float(np.linalg.norm(a)) for n, a in arrays.items()},
            "gradient_norm": 0.125, "hessian_extremes": extremes}


def test_rows_name_every_layer_and_the_extreme_curvatures():
    problem = model_problem("moons", "mlp:8,8:tanh", rows=80)
    run = trained_run(problem, steps=5)
    theta = run.current.point
    rows = dict(model_rows(run, summary_of(problem, theta, (-0.5, 2.0)), run.current.value,
                           {"step": 5, **problem.metrics(theta)}))
    assert rows["parameters"] == "105"   # 2·8 + 8 + 8·8 + 8 + 8·1 + 1
    assert rows["‖W2‖"] == f"{np.linalg.norm(problem.network.unflatten(theta)['W2']):.6g}"
    assert rows["λmin of H"] == "-0.5" and rows["λmax of H"] == "2" and "cond" not in rows   # not convex: no κ
    text = as_plain_text(model_rows(run, summary_of(problem, theta, (-0.5, 2.0)), run.current.value,
                                    problem.metrics(theta)))
    assert "test" in text and "accuracy" in text and "H " not in text.replace("of H", "")


def test_too_many_parameters_for_eigenvalues_say_so():
    problem = model_problem("moons", "mlp:16:relu", rows=60)
    run = trained_run(problem, steps=2)
    rows = dict(model_rows(run, summary_of(problem, run.current.point, None), run.current.value))
    assert rows["λ of H"] == "not computed"


def test_before_the_summary_is_asked_the_rows_say_when_it_comes():
    problem = model_problem("moons", "mlp:16:relu", rows=60)
    run = trained_run(problem, steps=2)
    rows = dict(model_rows(run, None, run.current.value, None, problem.dimension))
    assert rows["parameters"] == "65" and rows["λ of H"] == "computed when the run stands still"
