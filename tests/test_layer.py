"""Eqs. (1), (2), (3') against central differences and against the element-wise chain rule (8)."""

import numpy as np
import pytest
from examples import layers
from hypothesis import given
from hypothesis import strategies as st

from affine import (
    Affine,
    backward,
    chain_rule,
    dY_db,
    dY_dW,
    dY_dX,
    forward,
    numerical_gradient,
)


def f(X, W, b, dY):
    """A scalar loss with ∂f/∂Y = dY: f(Y) = Σ dY ∘ Y."""
    return float(np.sum(dY * forward(X, W, b)))


@given(layers())
def test_dX_equals_dY_Wt(layer):
    X, W, b, dY = layer
    expected = numerical_gradient(lambda X_: f(X_, W, b, dY), X.copy())
    np.testing.assert_allclose(backward(dY, X, W).dX, expected, rtol=1e-6, atol=1e-8)


@given(layers())
def test_dW_equals_Xt_dY(layer):
    X, W, b, dY = layer
    expected = numerical_gradient(lambda W_: f(X, W_, b, dY), W.copy())
    np.testing.assert_allclose(backward(dY, X, W).dW, expected, rtol=1e-6, atol=1e-8)


@given(layers())
def test_db_equals_dY_summed_over_the_batch(layer):
    X, W, b, dY = layer
    expected = numerical_gradient(lambda b_: f(X, W, b_, dY), b.copy())
    np.testing.assert_allclose(backward(dY, X, W).db, expected, rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize(
    ("batch", "n", "m"),
    [((), 1, 1), ((1,), 3, 1), ((1,), 1, 4), ((5,), 2, 1), ((2, 3, 1), 1, 2), ((1, 1), 3, 2)],
)
def test_formulas_at_the_edges_one_sample_one_output_one_input(batch, n, m):
    rng = np.random.default_rng(n * 10 + m)
    X, W, b, dY = (rng.normal(size=s) for s in [(*batch, n), (n, m), m, (*batch, m)])
    dX, dW, db = backward(dY, X, W)
    tolerance = {"rtol": 1e-6, "atol": 1e-8}
    np.testing.assert_allclose(
        dX, numerical_gradient(lambda X_: f(X_, W, b, dY), X.copy()), **tolerance
    )
    np.testing.assert_allclose(
        dW, numerical_gradient(lambda W_: f(X, W_, b, dY), W.copy()), **tolerance
    )
    np.testing.assert_allclose(
        db, numerical_gradient(lambda b_: f(X, W, b_, dY), b.copy()), **tolerance
    )


@given(layers())
def test_formulas_equal_the_chain_rule_over_explicit_jacobians(layer):
    X, W, _, dY = layer
    n, m = W.shape
    X_rows, dY_rows = X.reshape(-1, n), dY.reshape(-1, m)
    dX = [chain_rule(g, dY_dX(W)) for g in dY_rows]  # (8') with (5), sample by sample
    dW = sum(
        (chain_rule(g, dY_dW(x, m)) for x, g in zip(X_rows, dY_rows, strict=True)), np.zeros((n, m))
    )
    db = sum((chain_rule(g, dY_db(m)) for g in dY_rows), np.zeros(m))
    grads = backward(dY, X, W)
    np.testing.assert_allclose(grads.dX, np.reshape(dX, X.shape), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads.dW, dW, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(grads.db, db, rtol=1e-12, atol=1e-12)


@given(layers())
def test_gradients_have_the_shapes_of_X_W_b(layer):
    X, W, b, dY = layer
    assert forward(X, W, b).shape == dY.shape
    dX, dW, db = backward(dY, X, W)
    assert (dX.shape, dW.shape, db.shape) == (X.shape, W.shape, b.shape)


@given(layers(), st.sampled_from(["X", "W", "b", "dY"]))
def test_no_argument_is_mutated(layer, name):
    X, W, b, dY = layer
    arrays = {"X": X, "W": W, "b": b, "dY": dY}
    before = arrays[name].copy()
    forward(X, W, b)
    backward(dY, X, W)
    layer_ = Affine(W, b)
    layer_.forward(X)
    layer_.backward(dY)
    np.testing.assert_array_equal(arrays[name], before)


def test_one_sample_gives_db_equal_dY_eq3():
    X, W, dY = np.array([1.0, 2.0]), np.arange(6.0).reshape(2, 3), np.array([0.5, -1.0, 2.0])
    dX, dW, db = backward(dY, X, W)
    np.testing.assert_array_equal(db, dY)  # (3): one sample, nothing to sum
    np.testing.assert_array_equal(dW, np.outer(X, dY))
    np.testing.assert_array_equal(dX, dY @ W.T)


def test_batch_of_one_equals_one_sample():
    rng = np.random.default_rng(1)
    X, W, dY = rng.normal(size=4), rng.normal(size=(4, 3)), rng.normal(size=3)
    one, batch = backward(dY, X, W), backward(dY[None], X[None], W)
    np.testing.assert_allclose(batch.dX[0], one.dX)
    np.testing.assert_allclose(batch.dW, one.dW)
    np.testing.assert_allclose(batch.db, one.db)


def test_leading_axes_are_folded_into_the_batch():
    rng = np.random.default_rng(2)
    X, W, dY = rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(2, 3, 5))
    folded = backward(dY.reshape(6, 5), X.reshape(6, 4), W)
    grads = backward(dY, X, W)
    np.testing.assert_allclose(grads.dX.reshape(6, 4), folded.dX)
    np.testing.assert_allclose(grads.dW, folded.dW)
    np.testing.assert_allclose(grads.db, folded.db)


def test_empty_batch_gives_zero_dW_and_db():
    W = np.ones((2, 3))
    dX, dW, db = backward(np.zeros((0, 3)), np.zeros((0, 2)), W)
    assert dX.shape == (0, 2)
    np.testing.assert_array_equal(dW, np.zeros((2, 3)))
    np.testing.assert_array_equal(db, np.zeros(3))
    assert forward(np.zeros((0, 2)), W, np.ones(3)).shape == (0, 3)


def test_integers_are_promoted_to_float64():
    Y = forward([[1, 2]], [[1, 2, 3], [4, 5, 6]], [1, 2, 3])
    assert Y.dtype == np.float64
    grads = backward([[1, 1, 1]], [[1, 2]], [[1, 2, 3], [4, 5, 6]])
    assert all(g.dtype == np.float64 for g in grads)
    np.testing.assert_array_equal(grads.dX, [[6.0, 15.0]])


def test_float32_stays_float32():
    rng = np.random.default_rng(3)
    X, W, b, dY = (rng.normal(size=s).astype(np.float32) for s in [(5, 4), (4, 3), 3, (5, 3)])
    assert forward(X, W, b).dtype == np.float32
    assert all(g.dtype == np.float32 for g in backward(dY, X, W))
    layer = Affine(W, b)
    assert layer.forward(X).dtype == np.float32
    assert layer.backward(dY).dtype == layer.dW.dtype == layer.db.dtype == np.float32


def test_nan_propagates():
    X = np.array([[np.nan, 1.0], [1.0, 2.0]])
    W, dY = np.ones((2, 3)), np.ones((2, 3))
    assert np.isnan(forward(X, W, np.zeros(3))[0]).all()
    assert not np.isnan(forward(X, W, np.zeros(3))[1]).any()
    assert np.isnan(backward(dY, X, W).dW[0]).all()


@pytest.mark.parametrize(
    ("X", "W", "b", "message"),
    [
        (np.ones((2, 3)), np.ones((2, 3)), np.ones(3), r"X has 3 features .* W has 2 rows"),
        (np.ones(3), np.ones((2, 3)), np.ones(3), r"X has 3 features .*\(3,\).* \(2, 3\)"),
        (np.ones((1, 2)), np.ones(2), np.ones(3), r"W must be 2-D .* got shape \(2,\)"),
        (np.ones((1, 2)), np.ones((2, 3)), np.ones(2), r"b has shape \(2,\) but W has 3 columns"),
        (np.ones((1, 2)), np.ones((2, 3)), np.ones((1, 3)), r"b has shape \(1, 3\)"),
        (np.float64(1.0), np.ones((1, 3)), np.ones(3), r"X must have shape \(n,\)"),
    ],
)
def test_forward_names_both_shapes_when_they_do_not_fit(X, W, b, message):
    with pytest.raises(ValueError, match=message):
        forward(X, W, b)


def test_backward_names_the_shapes_when_dY_does_not_fit():
    with pytest.raises(ValueError, match=r"dY has shape \(2, 4\) but Y .* has shape \(2, 3\)"):
        backward(np.ones((2, 4)), np.ones((2, 2)), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"X has 2 features .* W has 3 rows"):
        backward(np.ones((2, 3)), np.ones((2, 2)), np.ones((3, 3)))


@pytest.mark.parametrize("bad", [np.ones(2, dtype=complex), np.array(["a", "b"]), [None, 1]])
def test_non_real_input_names_its_dtype(bad):
    with pytest.raises(TypeError, match=r"X has dtype .*expected real numbers"):
        forward(bad, np.ones((2, 3)), np.ones(3))


def test_layer_backward_before_forward_is_a_clear_error():
    with pytest.raises(RuntimeError, match="backward called before forward"):
        Affine(np.ones((2, 3)), np.ones(3)).backward(np.ones(3))


def test_layer_checks_W_and_b_when_built():
    with pytest.raises(ValueError, match=r"b has shape \(2,\) but W has 3 columns"):
        Affine(np.ones((2, 3)), np.ones(2))
