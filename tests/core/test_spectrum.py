"""Lanczos on matrix-vector products: the extreme eigenvalues of a matrix never formed by its caller."""
import numpy as np
import pytest

from explorer.core.spectrum import extreme_eigenvalues, lanczos


def test_a_small_matrix_gives_its_exact_extremes():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(12, 12))
    h = a + a.T
    eigenvalues = np.linalg.eigvalsh(h)
    assert extreme_eigenvalues(lambda v: h @ v, 12) == pytest.approx((eigenvalues[0], eigenvalues[-1]), rel=1e-9)


def test_a_large_matrix_with_separated_extremes_gives_them_in_forty_products():
    rng = np.random.default_rng(1)
    q, _ = np.linalg.qr(rng.normal(size=(400, 400)))
    spectrum = np.concatenate([[-3.0], np.linspace(-1, 1, 398), [5.0]])
    h = (q * spectrum) @ q.T
    products = []
    low, high = extreme_eigenvalues(lambda v: products.append(1) or h @ v, 400)
    assert (low, high) == pytest.approx((-3.0, 5.0), abs=1e-9) and len(products) == 40


def test_a_product_that_is_not_finite_gives_nan():
    low, high = extreme_eigenvalues(lambda v: v * np.inf, 5)
    assert np.isnan(low) and np.isnan(high)


def test_the_residual_stop_ends_once_the_watched_pairs_satisfy_hv_equals_lambda_v():
    rng = np.random.default_rng(2)
    q, _ = np.linalg.qr(rng.normal(size=(300, 300)))
    spectrum = np.concatenate([np.linspace(-1, 1, 297), [4.0, 6.0, 9.0]])
    h = (q * spectrum) @ q.T
    ritz = lanczos(lambda v: h @ v, 300, iterations=300, watch=2, residual=1e-8)
    top = ritz.top(2)
    assert ritz.products < 100
    np.testing.assert_allclose(top.values, [9.0, 6.0], rtol=1e-10)
    for value, vector in zip(top.values, top.vectors.T):   # each pair's true residual, by one more product
        assert np.linalg.norm(h @ vector - value * vector) <= 1e-8 * 9.0 * 1.01
