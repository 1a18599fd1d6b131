"""The model library: specs, layout, forward pass, losses against closed forms, gradients against finite
differences, stability at huge logits, initialisation."""
import numpy as np
import pytest
from autograd import grad

from explorer.core.network import (ACTIVATIONS, MAX_DEPTH, MAX_WIDTH, ModelError, ModelSpec, Network, parse_model,
                                   task_of)
from tests.helpers import fd_gradient


# ---------------------------------------------------------------- specs

@pytest.mark.parametrize("text, spec", [
    ("linear", ModelSpec("linear")), ("logistic", ModelSpec("logistic")), ("softmax", ModelSpec("softmax")),
    ("mlp:4", ModelSpec("mlp", (4,), "tanh")), ("mlp:16,16:relu", ModelSpec("mlp", (16, 16), "relu")),
    (" MLP:3, 5:Sigmoid ", ModelSpec("mlp", (3, 5), "sigmoid"))])
def test_parse_model_reads_every_form(text, spec):
    assert parse_model(text) == spec


def test_canonical_text_reads_back_as_the_same_spec():
    for text in ("linear", "logistic", "softmax", "mlp:4:tanh", "mlp:16,16:relu", "mlp:2,3,4:linear"):
        assert parse_model(text).text == text
        assert parse_model(parse_model(text).text) == parse_model(text)
    assert parse_model("mlp:4").text == "mlp:4:tanh"


@pytest.mark.parametrize("text, words", [
    ("perceptron", "unknown model"), ("mlp", "needs its hidden widths"), ("mlp:", "needs its hidden widths"),
    ("mlp:0", "whole number from 1"), ("mlp:4.5", "whole number from 1"), ("mlp:-3", "whole number from 1"),
    (f"mlp:{MAX_WIDTH + 1}", "whole number from 1"), ("mlp:4,,4", "whole number from 1"),
    ("mlp:" + ",".join(["2"] * (MAX_DEPTH + 1)), "at most"), ("mlp:4:swish", "unknown activation"),
    ("mlp:4:tanh:x", "mlp:WIDTHS"), ("logistic:4", "takes no widths")])
def test_bad_model_text_is_one_line_naming_the_model_option(text, words):
    with pytest.raises(ModelError) as err:
        parse_model(text)
    assert words in str(err.value) and "\n" not in str(err.value) and err.value.part == "model"


def test_task_is_read_from_the_target():
    mlp = parse_model("mlp:4")
    assert task_of(mlp, [0, 1, 1, 0]) == ("binary", 1)
    assert task_of(mlp, [0, 1, 2, 2]) == ("classes", 3)
    assert task_of(mlp, [0.5, 1, 2]) == ("regression", 1)
    assert task_of(mlp, [0, 2, 2]) == ("regression", 1)   # class 1 missing: not 0..K−1
    assert task_of(parse_model("linear"), [0, 1, 1]) == ("regression", 1)
    assert task_of(parse_model("logistic"), [0.0, 1.0]) == ("binary", 1)
    assert task_of(parse_model("softmax"), [0, 1, 1]) == ("classes", 2)
    with pytest.raises(ModelError, match="0/1 target") as err:
        task_of(parse_model("logistic"), [0, 1, 2])
    assert err.value.part == "target"
    with pytest.raises(ModelError, match="whole numbers"):
        task_of(parse_model("softmax"), [0.5, 1])


@pytest.mark.parametrize("spec", [ModelSpec("mlp", ()), ModelSpec("mlp", (0,)), ModelSpec("mlp", (4,), "swish"),
                                  ModelSpec("linear", (3,)), ModelSpec("tree")])
def test_a_spec_built_by_hand_is_checked_like_its_text(spec):
    with pytest.raises(ModelError) as err:
        Network(spec, 2, "regression", 1)
    assert err.value.part == "model"


def test_negative_or_nonfinite_penalties_are_refused_naming_the_option():
    for part in ("l2", "l1"):
        for bad in (-0.1, float("nan"), "a"):
            with pytest.raises(ModelError) as err:
                Network(parse_model("logistic"), 2, "binary", 1, **{part: bad})
            assert err.value.part == part


# ---------------------------------------------------------------- layout

def test_layout_of_mlp_3_4_on_two_inputs():
    net = Network(parse_model("mlp:3,4"), 2, "binary", 1)
    assert net.layout == [("W1", (2, 3)), ("b1", (3,)), ("W2", (3, 4)), ("b2", (4,)), ("W3", (4, 1)), ("b3", (1,))]
    assert net.size == 2 * 3 + 3 + 3 * 4 + 4 + 4 + 1 == 30
    labels = net.labels
    assert len(labels) == 30
    assert labels[:7] == ("W1[0,0]", "W1[0,1]", "W1[0,2]", "W1[1,0]", "W1[1,1]", "W1[1,2]", "b1[0]")
    assert labels[-2:] == ("W3[3,0]", "b3[0]")


def test_linear_logistic_softmax_have_no_hidden_layer():
    assert Network(parse_model("linear"), 3, "regression", 1).layout == [("W1", (3, 1)), ("b1", (1,))]
    assert Network(parse_model("logistic"), 2, "binary", 1).size == 3
    assert Network(parse_model("softmax"), 2, "classes", 4).layout == [("W1", (2, 4)), ("b1", (4,))]


def test_flatten_is_the_inverse_of_unflatten_in_row_major_order():
    net = Network(parse_model("mlp:3,4"), 2, "binary", 1)
    theta = np.arange(30.0)
    arrays = net.unflatten(theta)
    np.testing.assert_array_equal(arrays["W1"], [[0, 1, 2], [3, 4, 5]])
    np.testing.assert_array_equal(arrays["b1"], [6, 7, 8])
    np.testing.assert_array_equal(arrays["W2"][0], [9, 10, 11, 12])
    np.testing.assert_array_equal(net.flatten(arrays), theta)
    lists = net.as_lists(theta)
    assert lists["W1"] == [[0, 1, 2], [3, 4, 5]] and lists["b3"] == [29]
    np.testing.assert_array_equal(net.flatten(lists), theta)
    with pytest.raises(ModelError, match="shape"):
        net.flatten({**arrays, "W2": np.zeros((4, 3))})
    with pytest.raises(ModelError, match="not an array of numbers"):
        net.flatten({**arrays, "b1": [1, [2, 3], "x"]})
    with pytest.raises(ModelError, match="not finite"):
        net.flatten({**arrays, "b1": [1, float("nan"), 3]})
    with pytest.raises(ModelError, match="no 'b3'"):
        net.flatten({k: v for k, v in arrays.items() if k != "b3"})


# ---------------------------------------------------------------- forward pass and losses

def hand_forward(net, theta, X, act):
    a = X
    arrays = net.unflatten(theta)
    layers = len(net.layout) // 2
    for k in range(1, layers + 1):
        z = a @ arrays[f"W{k}"] + arrays[f"b{k}"]
        a = z if k == layers else act(z)
    return a


HAND_ACTIVATIONS = {"tanh": np.tanh, "relu": lambda z: np.maximum(z, 0), "sigmoid": lambda z: 1 / (1 + np.exp(-z)),
                    "linear": lambda z: z}


@pytest.mark.parametrize("activation", ACTIVATIONS)
def test_logits_match_a_hand_numpy_forward_pass(rng, activation):
    net = Network(parse_model(f"mlp:5,3:{activation}"), 2, "classes", 3)
    theta, X = rng.normal(size=net.size), rng.normal(size=(7, 2))
    np.testing.assert_allclose(net.logits(theta, X), hand_forward(net, theta, X, HAND_ACTIVATIONS[activation]),
                               rtol=1e-12, atol=1e-12)


def test_logits_of_many_parameter_vectors_match_one_at_a_time(rng):
    net = Network(parse_model("mlp:4"), 2, "binary", 1, l2=0.3, l1=0.1)
    thetas, X, y = rng.normal(size=(5, net.size)), rng.normal(size=(6, 2)), np.array([0, 1, 1, 0, 1, 0])
    np.testing.assert_allclose(net.loss(thetas, X, y), [net.loss(t, X, y) for t in thetas], rtol=1e-12)


def test_losses_at_zero_logits_are_log2_and_logk():
    X = np.ones((4, 2))
    binary = Network(parse_model("logistic"), 2, "binary", 1)
    assert binary.data_loss(np.zeros(3), X, np.array([0, 1, 1, 0])) == pytest.approx(np.log(2))
    classes = Network(parse_model("softmax"), 2, "classes", 5)
    assert classes.data_loss(np.zeros(classes.size), X, np.array([0, 4, 2, 1])) == pytest.approx(np.log(5))
    regression = Network(parse_model("linear"), 2, "regression", 1)
    assert regression.data_loss(np.array([0.0, 0.0, 1.0]), X, np.array([1.0, 2.0, 3.0, 5.0])) == pytest.approx(
        (0 + 1 + 4 + 16) / 4)


def test_binary_and_class_losses_against_their_textbook_forms(rng):
    X, y = rng.normal(size=(9, 2)), rng.integers(0, 2, 9)
    net = Network(parse_model("logistic"), 2, "binary", 1)
    theta = rng.normal(size=3)
    p = 1 / (1 + np.exp(-(X @ theta[:2] + theta[2])))
    assert net.data_loss(theta, X, y) == pytest.approx(-np.mean(y * np.log(p) + (1 - y) * np.log(1 - p)))
    k3 = Network(parse_model("softmax"), 2, "classes", 3)
    theta, y3 = rng.normal(size=k3.size), rng.integers(0, 3, 9)
    z = X @ theta[:6].reshape(2, 3) + theta[6:]
    q = np.exp(z) / np.exp(z).sum(axis=1, keepdims=True)
    assert k3.data_loss(theta, X, y3) == pytest.approx(-np.mean(np.log(q[np.arange(9), y3])))
    np.testing.assert_allclose(k3.probabilities(theta, X), q, rtol=1e-12)
    np.testing.assert_array_equal(k3.predict(theta, X), np.argmax(q, axis=1))


def test_penalty_counts_weights_only():
    net = Network(parse_model("mlp:2"), 1, "regression", 1, l2=0.5, l1=0.25)
    arrays = {"W1": np.array([[1.0, -2.0]]), "b1": np.array([100.0, 100.0]), "W2": np.array([[3.0], [0.0]]),
              "b2": np.array([-50.0])}
    theta = net.flatten(arrays)
    assert net.penalty(theta) == pytest.approx(0.5 * (1 + 4 + 9) + 0.25 * (1 + 2 + 3))
    X, y = np.array([[0.3], [-1.0]]), np.array([1.0, 2.0])
    assert net.loss(theta, X, y) == pytest.approx(net.data_loss(theta, X, y) + net.penalty(theta))


@pytest.mark.parametrize("task, k, expected", [("binary", 1, 2e4 / 3), ("classes", 3, 3e4 / 3)])
def test_huge_logits_give_a_finite_loss_and_gradient(task, k, expected):
    net = Network(parse_model("logistic" if task == "binary" else "softmax"), 1, task, k)
    X = np.array([[1.0], [-1.0], [1.0]])
    y = np.array([0, 1, 1]) if task == "binary" else np.array([0, 2, 1])
    theta = np.concatenate([np.full(k, 1e4), np.zeros(k)])   # logits ±1e4
    if task == "classes":
        theta[:k] = [1e4, -1e4, 0.0]
    loss = net.data_loss(theta, X, y)
    g = grad(lambda t: net.data_loss(t, X, y))(theta)
    assert np.isfinite(loss) and np.all(np.isfinite(g))
    # a wrongly confident row costs the gap between the largest logit and its own: binary rows 1e4, 1e4, 0;
    # class rows z = (1e4, −1e4, 0) with y = 0: 0; (−1e4, 1e4, 0) with y = 2: 1e4; y = 1: 2e4
    assert loss == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------- gradients

CASES = [("mlp:3,2:tanh", "binary", 1), ("mlp:3:relu", "binary", 1), ("mlp:4:sigmoid", "classes", 3),
         ("mlp:3:linear", "regression", 1), ("mlp:2,2:tanh", "classes", 3), ("mlp:3:relu", "regression", 1),
         ("logistic", "binary", 1), ("softmax", "classes", 3), ("linear", "regression", 1)]


@pytest.mark.parametrize("text, task, k", CASES)
def test_gradient_matches_finite_differences_with_both_penalties(rng, text, task, k):
    net = Network(parse_model(text), 2, task, k, l2=0.3, l1=0.2)
    X = rng.normal(size=(11, 2))
    y = rng.normal(size=11) if task == "regression" else rng.integers(0, max(k, 2), 11)
    theta = rng.normal(size=net.size)
    theta[np.abs(theta) < 0.05] = 0.3   # keep |w| and relu's inputs off their kinks
    g = grad(lambda t: net.loss(t, X, y))(theta)
    np.testing.assert_allclose(g, fd_gradient(lambda t: net.loss(t, X, y), theta), rtol=1e-5, atol=1e-7)


# ---------------------------------------------------------------- initialisation

def test_initial_is_reproducible_and_follows_the_documented_rule():
    tanh = Network(parse_model("mlp:200"), 50, "binary", 1)
    a, b = tanh.initial(3), tanh.initial(3)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, tanh.initial(4))
    arrays = tanh.unflatten(a)
    bound = np.sqrt(6 / (50 + 200))   # Glorot uniform
    assert np.max(np.abs(arrays["W1"])) <= bound and np.max(np.abs(arrays["W1"])) > 0.95 * bound
    assert not np.any(arrays["b1"]) and not np.any(arrays["b2"])
    relu = Network(parse_model("mlp:400:relu"), 100, "regression", 1).unflatten(
        Network(parse_model("mlp:400:relu"), 100, "regression", 1).initial(0))
    assert np.std(relu["W1"]) == pytest.approx(np.sqrt(2 / 100), rel=0.02)   # He normal
    for text, task, k in (("linear", "regression", 1), ("logistic", "binary", 1), ("softmax", "classes", 3)):
        assert not np.any(Network(parse_model(text), 2, task, k).initial(7))


def test_derivatives_at_the_kinks_are_the_documented_ones():
    net = Network(parse_model("mlp:1:relu"), 1, "regression", 1, l1=1.0)
    theta = net.flatten({"W1": [[0.0]], "b1": [0.0], "W2": [[1.0]], "b2": [0.0]})   # relu input 0, |W1| at 0
    X, y = np.array([[1.0]]), np.array([0.0])
    # L = (relu(W1·1 + b1)·W2 + b2 − 0)² + |W1| + |W2|; at this point the output is 0, so the squared part has
    # zero gradient in every coordinate and the penalty gives |W1|' = 0, |W2|' = 1
    np.testing.assert_array_equal(grad(lambda t: net.loss(t, X, y))(theta), [0.0, 0.0, 1.0, 0.0])
    relu_only = Network(parse_model("mlp:1:relu"), 1, "regression", 1)
    at_kink = relu_only.flatten({"W1": [[1.0]], "b1": [-1.0], "W2": [[1.0]], "b2": [1.0]})   # z = 0, output 1
    # ∂L/∂b1 = 2·(output − y)·W2·relu'(0) = 2·1·1·½
    assert grad(lambda t: relu_only.loss(t, X, y))(at_kink)[1] == 1.0


@pytest.mark.parametrize("activation", ["tanh", "sigmoid"])
def test_huge_pre_activations_keep_the_loss_hessian_finite_and_the_values_those_of_numpy(activation):
    # weights of ±2,000 on inputs near 1 give pre-activations near 800: past cosh's overflow (710), where autograd's
    # second derivative of np.tanh is nan; the network's tanh is held flat from |z| = 40, where it is ±1 anyway
    from autograd import hessian
    from scipy.special import expit   # the textbook sigmoid without exp's overflow at −800
    act = {"tanh": np.tanh, "sigmoid": expit}[activation]
    net = Network(parse_model(f"mlp:2:{activation}"), 1, "binary", 1)
    X, y = np.array([[0.4], [-0.4], [0.1]]), np.array([1.0, 0.0, 1.0])
    theta = np.array([2000.0, -2000.0, 0.0, 0.0, 1.5, -0.5, 0.2])   # W1 (1×2), b1, W2 (2×1), b2
    np.testing.assert_allclose(net.logits(theta, X), hand_forward(net, theta, X, act), rtol=0, atol=1e-15)
    H = hessian(lambda t: net.loss(t, X, y))(theta)
    assert np.all(np.isfinite(H))
    # in the output layer the loss is smooth and the hidden units saturated: H there is σ'·aaᵀ, by hand
    a = act(X @ theta[0:2].reshape(1, 2))
    p = 1 / (1 + np.exp(-(a @ theta[4:6] + theta[6])))
    block = (a * (p * (1 - p))[:, None]).T @ a / len(y)
    np.testing.assert_allclose(H[4:6, 4:6], block, rtol=1e-12, atol=1e-15)
