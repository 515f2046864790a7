"""check_gradient passes correct gradients, fails wrong ones, and reads float32 sensibly."""

import numpy as np
import pytest

from affine import backward, check_gradient, forward


def layer(dtype=np.float64, seed=6):
    rng = np.random.default_rng(seed)
    X, W, b, dY = (rng.normal(size=s) for s in [(5, 4), (4, 3), 3, (5, 3)])
    return tuple(a.astype(dtype) for a in (X, W, b, dY))


def loss(X, W, b, dY):
    return float(np.sum(dY * forward(X, W, b)))


def test_correct_float64_gradients_pass_with_relative_error_below_1e_9():
    X, W, b, dY = layer()
    grads = backward(dY, X, W)
    for x, g in [(X, grads.dX), (W, grads.dW), (b, grads.db)]:
        result = check_gradient(lambda _: loss(X, W, b, dY), x, g)
        assert result.passed and result
        assert result.max_rel_error < 1e-9
        assert result.max_abs_error < 1e-8


@pytest.mark.parametrize(
    "wrong",
    [
        lambda X, W, dY: dY @ W.T[::-1],  # a permuted transpose: dX
        lambda X, W, dY: (X.T @ dY)[:, ::-1],
        lambda X, W, dY: dY[0],  # db = dY of the first sample only
        lambda X, W, dY: 2 * (dY @ W.T),
    ],
)
def test_wrong_gradients_fail(wrong):
    X, W, b, dY = layer()
    g = wrong(X, W, dY)
    x = {X.shape: X, W.shape: W, b.shape: b}[g.shape]
    result = check_gradient(lambda _: loss(X, W, b, dY), x, g)
    assert not result.passed and not result
    assert result.max_rel_error > 1e-2
    assert "FAILED" in str(result)


def test_float32_is_checked_in_float64_and_passes():
    X, W, b, dY = layer(np.float32)
    grads = backward(dY, X, W)
    assert grads.dW.dtype == np.float32
    result = check_gradient(lambda W_: loss(X, W_, b, dY), W, grads.dW)
    assert result.passed
    assert result.rtol == 1e-3
    assert result.max_rel_error < 1e-5  # float32 round-off of the analytic gradient only
    assert W.dtype == np.float32


def test_float32_wrong_gradient_fails():
    X, W, b, dY = layer(np.float32)
    result = check_gradient(lambda W_: loss(X, W_, b, dY), W, 1.01 * backward(dY, X, W).dW)
    assert not result.passed


def test_report_prints_errors_and_verdict():
    X, W, b, dY = layer()
    text = str(check_gradient(lambda _: loss(X, W, b, dY), W, backward(dY, X, W).dW))
    assert text.startswith("passed: max rel error ")
    assert "(tolerance 1e-06)" in text and "max abs error" in text


def test_nan_fails():
    X, W, b, dY = layer()
    g = backward(dY, X, W).dW.copy()
    g[0, 0] = np.nan
    assert not check_gradient(lambda _: loss(X, W, b, dY), W, g).passed


def test_zero_gradient_is_checked_against_the_floor():
    result = check_gradient(lambda x: 5.0, np.ones(3), np.zeros(3))
    assert result.passed and result.max_abs_error == 0.0


def test_shapes_must_match():
    with pytest.raises(ValueError, match=r"analytic has shape \(2,\) but x has shape \(3,\)"):
        check_gradient(lambda x: float(x.sum()), np.ones(3), np.ones(2))


def test_caller_arrays_are_left_intact():
    X, W, b, dY = layer()
    before = [a.copy() for a in (X, W, b, dY)]
    check_gradient(lambda _: loss(X, W, b, dY), W, backward(dY, X, W).dW)
    for a, a0 in zip((X, W, b, dY), before, strict=True):
        np.testing.assert_array_equal(a, a0)
