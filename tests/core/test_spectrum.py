"""Lanczos on matrix-vector products: the extreme eigenvalues of a matrix never formed by its caller."""
import numpy as np
import pytest

from explorer.core.spectrum import extreme_eigenvalues


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
