"""Eqs. (1), (2), (3') against central differences and against the element-wise chain rule (8)."""

import numpy as np
import pytest
from examples import exactly, layers
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
        (
            np.ones((2, 3)),
            np.ones((2, 3)),
            np.ones(3),
            "X has 3 features on its last axis (shape (2, 3)) but W has 2 rows (shape (2, 3))",
        ),
        (
            np.ones(3),
            np.ones((2, 3)),
            np.ones(3),
            "X has 3 features on its last axis (shape (3,)) but W has 2 rows (shape (2, 3))",
        ),
        (
            np.ones((1, 2)),
            np.ones(2),
            np.ones(3),
            "W must be 2-D with shape (n, m), got shape (2,)",
        ),
        (
            np.ones((1, 2)),
            np.ones((2, 3)),
            np.ones(2),
            "b has shape (2,) but W has 3 columns (shape (2, 3)); b must have shape (3,)",
        ),
        (
            np.ones((1, 2)),
            np.ones((2, 3)),
            np.ones((1, 3)),
            "b has shape (1, 3) but W has 3 columns (shape (2, 3)); b must have shape (3,)",
        ),
        (
            np.float64(1.0),
            np.ones((1, 3)),
            np.ones(3),
            "X must have shape (n,), (N, n) or (N, ..., n), got a scalar 1.0",
        ),
    ],
)
def test_forward_names_both_shapes_when_they_do_not_fit(X, W, b, message):
    with pytest.raises(ValueError, match=exactly(message)):
        forward(X, W, b)


def test_backward_names_the_shapes_when_dY_does_not_fit():
    message = "dY has shape (2, 4) but Y = X·W + b has shape (2, 3) (X (2, 2), W (2, 3))"
    with pytest.raises(ValueError, match=exactly(message)):
        backward(np.ones((2, 4)), np.ones((2, 2)), np.ones((2, 3)))
    message = "X has 2 features on its last axis (shape (2, 2)) but W has 3 rows (shape (3, 3))"
    with pytest.raises(ValueError, match=exactly(message)):
        backward(np.ones((2, 3)), np.ones((2, 2)), np.ones((3, 3)))
    with pytest.raises(
        ValueError, match=exactly("W must be 2-D with shape (n, m), got shape (3,)")
    ):
        backward(np.ones(3), np.ones(2), np.ones(3))
    message = "dY has shape (2, 3, 4) but Y = X·W + b has shape (2, 3, 3) (X (2, 3, 2), W (2, 3))"
    with pytest.raises(ValueError, match=exactly(message)):
        backward(np.ones((2, 3, 4)), np.ones((2, 3, 2)), np.ones((2, 3)))


@pytest.mark.parametrize("bad", [np.ones(2, dtype=complex), np.array(["a", "b"]), [None, 1]])
def test_non_real_input_names_its_dtype(bad):
    with pytest.raises(TypeError, match=r"X has dtype .*expected real numbers"):
        forward(bad, np.ones((2, 3)), np.ones(3))


def test_layer_backward_before_forward_is_a_clear_error():
    message = "Affine.backward called before forward: there is no X to use"
    with pytest.raises(RuntimeError, match=exactly(message)):
        Affine(np.ones((2, 3)), np.ones(3)).backward(np.ones(3))


def test_layer_checks_W_and_b_when_built():
    message = "b has shape (2,) but W has 3 columns (shape (2, 3)); b must have shape (3,)"
    with pytest.raises(ValueError, match=exactly(message)):
        Affine(np.ones((2, 3)), np.ones(2))
    with pytest.raises(
        ValueError, match=exactly("W must be 2-D with shape (n, m), got shape (3,)")
    ):
        Affine(np.ones(3), np.ones(3))


@pytest.mark.parametrize(
    ("batch", "n", "m"), [((2,), 0, 3), ((2,), 2, 0), ((0,), 0, 0), ((2, 3), 0, 2)]
)
def test_no_features_or_no_outputs_give_gradients_of_the_right_shapes(batch, n, m):
    rng = np.random.default_rng(4)
    X, W, b, dY = (rng.normal(size=s) for s in [(*batch, n), (n, m), m, (*batch, m)])
    assert forward(X, W, b).shape == dY.shape
    dX, dW, db = backward(dY, X, W)
    assert (dX.shape, dW.shape, db.shape) == (X.shape, W.shape, b.shape)
    np.testing.assert_array_equal(dX, np.zeros(X.shape))  # m = 0: f does not depend on X
    np.testing.assert_array_equal(db, dY.sum(axis=tuple(range(len(batch)))))  # (3')


def test_float16_gradients_are_summed_in_float32():
    N = 70_000  # float16 counts by ones only up to 2048, and its largest value is 65504
    X, W, dY = np.ones((N, 2), np.float16), np.ones((2, 3), np.float16), np.ones((N, 3), np.float16)
    dX, dW, db = backward(dY, X, W)
    assert dX.dtype == dW.dtype == db.dtype == np.float32
    np.testing.assert_array_equal(dW, np.full((2, 3), N))  # (2): X^T dY sums N ones
    np.testing.assert_array_equal(db, np.full(3, N))  # (3'): N ones
    np.testing.assert_array_equal(dX, np.full((N, 2), 3))  # (1): m = 3 ones per sample


@pytest.mark.parametrize("wide", ["X", "W", "dY"])
def test_gradients_take_the_widest_dtype_of_X_W_and_dY(wide):
    arrays = {"X": np.ones((2, 2)), "W": np.ones((2, 3)), "dY": np.ones((2, 3))}
    arrays = {
        name: a.astype(np.float64 if name == wide else np.float16) for name, a in arrays.items()
    }
    assert all(g.dtype == np.float64 for g in backward(arrays["dY"], arrays["X"], arrays["W"]))


def test_layer_holds_writeable_float_W_and_b_by_reference():
    W, b = np.ones((2, 3)), np.zeros(3)
    layer = Affine(W, b)
    assert layer.W is W and layer.b is b
    W *= 2  # an optimiser's step in place reaches the layer
    b += 1
    np.testing.assert_array_equal(layer.forward(np.ones((1, 2))), [[5.0, 5.0, 5.0]])


def test_layer_converts_integers_and_copies_read_only_arrays():
    W = np.ones((2, 3))
    W.flags.writeable = False
    b = [0, 0, 0]
    layer = Affine(W, b)
    assert layer.W is not W and layer.W.flags.writeable
    assert layer.b.dtype == np.float64
    layer.W += 1  # the layer's own array: the caller's read-only W is untouched
    np.testing.assert_array_equal(W, np.ones((2, 3)))
    b[0] = 5  # an edit of the original list does not reach the layer
    np.testing.assert_array_equal(layer.b, np.zeros(3))


def test_editing_X_between_forward_and_backward_changes_dW_only():
    rng = np.random.default_rng(5)
    X, W, dY = rng.normal(size=(4, 2)), rng.normal(size=(2, 3)), rng.normal(size=(4, 3))
    seen = X.copy()
    layer = Affine(W, np.zeros(3))
    layer.forward(X)
    X += 1  # the layer keeps X itself, not a copy
    dX = layer.backward(dY)
    np.testing.assert_allclose(layer.dW, X.T @ dY)  # (2) with the edited X
    assert not np.allclose(layer.dW, seen.T @ dY)
    np.testing.assert_allclose(dX, dY @ W.T)  # (1) and (3') do not read X
    np.testing.assert_allclose(layer.db, dY.sum(axis=0))


def test_layers_sharing_W_sum_their_dW():
    rng = np.random.default_rng(6)
    W, b = rng.normal(size=(2, 3)), rng.normal(size=3)
    X1, X2 = rng.normal(size=(4, 2)), rng.normal(size=(5, 2))
    dY1, dY2 = rng.normal(size=(4, 3)), rng.normal(size=(5, 3))
    first, second = Affine(W, b), Affine(W, b)
    first.forward(X1)
    second.forward(X2)
    first.backward(dY1)
    second.backward(dY2)
    expected = numerical_gradient(lambda W_: f(X1, W_, b, dY1) + f(X2, W_, b, dY2), W.copy())
    np.testing.assert_allclose(first.dW + second.dW, expected, rtol=1e-6, atol=1e-8)
    assert not np.allclose(first.dW, expected)


def test_layer_repr_names_its_shape_and_dtype():
    layer = Affine(np.ones((2, 3), np.float32), np.ones(3, np.float32))
    assert repr(layer) == "Affine(n=2, m=3, dtype=float32)"
