"""The session's spectrum of a network fit at the state on show: numpy's eigvalsh of autograd's Hessian at the
very parameters on show, computed once per state and kept, and nothing without a network."""
import numpy as np
from autograd import hessian

from explorer.session import Session
from explorer.session.model_spectrum import cached_spectrum, model_spectrum, spectrum_work


def model_fit(dataset="moons", model="mlp:4:tanh") -> Session:
    s = Session()
    s.set_expression("x^2 + y^2")
    s.forget_history()
    s.start_model_fit(dataset, model)
    return s


def dense(problem, theta):
    return np.linalg.eigvalsh(hessian(lambda t: problem.network.loss(t, problem.X_train, problem.y_train))(theta))


def test_the_spectrum_is_the_hessians_at_the_step_on_show_and_is_computed_once_per_step():
    s = model_fit()
    for _ in range(4):
        s.step_forward()
    theta = np.array(s.runs[0].current.point)
    work = spectrum_work(s)
    assert work is not None and cached_spectrum(s) is None
    out = work()
    np.testing.assert_allclose(out["hessian_eigenvalues"], dense(s.problem, theta), atol=1e-10)
    assert out["step"] == 4 and out["complete"]
    assert spectrum_work(s) is None and cached_spectrum(s) is out   # kept: not computed again
    s.step_back()
    assert cached_spectrum(s) is None                               # another step, another spectrum
    back = model_spectrum(s)
    assert back["step"] == 3
    np.testing.assert_allclose(back["hessian_eigenvalues"], dense(s.problem, s.runs[0].current.point), atol=1e-10)
    s.step_forward()
    assert cached_spectrum(s) is out


def test_nothing_without_a_network():
    s = Session()
    s.set_expression("x^2 + y^2")
    assert spectrum_work(s) is None and cached_spectrum(s) is None and model_spectrum(s) is None
