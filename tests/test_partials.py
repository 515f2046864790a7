"""The element-wise partials (5), (6), (7) and the chain rule (8), (8')."""

import numpy as np
import pytest
from examples import B_EXAMPLE, W_EXAMPLE, exactly, layers
from hypothesis import given
from hypothesis import strategies as st

from affine import backward, chain_rule, dY_db, dY_dW, dY_dX, forward, jacobian

ONE_SAMPLE = st.just(())  # the partials are written for one sample X of shape (n,)


@given(layers(batch_shapes=ONE_SAMPLE))
def test_dy_dx_is_w_jk_eq5(layer):
    X, W, b, _ = layer
    J = dY_dX(W)
    assert J.shape == (W.shape[1], W.shape[0])  # m × n
    for j in range(W.shape[1]):
        for k in range(W.shape[0]):
            assert J[j, k] == W[k, j]  # w_jk sits in row k, column j of W
    np.testing.assert_allclose(J, jacobian(lambda X_: forward(X_, W, b), X), rtol=1e-7, atol=1e-9)


@given(layers(batch_shapes=ONE_SAMPLE))
def test_dy_dw_is_x_k_where_i_equals_j_else_0_eq6(layer):
    X, W, b, _ = layer
    n, m = W.shape
    T = dY_dW(X, m)
    for j in range(m):
        for k in range(n):
            for i in range(m):
                assert T[j, k, i] == (X[k] if i == j else 0.0)
    np.testing.assert_allclose(T, jacobian(lambda W_: forward(X, W_, b), W), rtol=1e-7, atol=1e-9)


@given(layers(batch_shapes=ONE_SAMPLE))
def test_dy_db_is_the_kronecker_delta_eq7(layer):
    X, W, b, _ = layer
    np.testing.assert_array_equal(dY_db(W.shape[1]), np.eye(W.shape[1]))
    np.testing.assert_allclose(
        dY_db(W.shape[1]), jacobian(lambda b_: forward(X, W, b_), b), rtol=1e-7, atol=1e-9
    )


@given(layers(batch_shapes=ONE_SAMPLE))
def test_chain_rule_with_5_6_7_gives_1_2_3(layer):
    X, W, _, dY = layer
    m = W.shape[1]
    grads = backward(dY, X, W)
    np.testing.assert_allclose(chain_rule(dY, dY_dX(W)), grads.dX, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(chain_rule(dY, dY_dW(X, m)), grads.dW, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(chain_rule(dY, dY_db(m)), grads.db, rtol=1e-12, atol=1e-12)


def test_chain_rule_is_a_sum_over_the_outputs_eq8():
    dY, J = np.array([1.0, -2.0, 0.5]), np.arange(6.0).reshape(3, 2)
    expected = [sum(dY[j] * J[j, k] for j in range(3)) for k in range(2)]
    np.testing.assert_array_equal(chain_rule(dY, J), expected)


def test_worked_example_partials():
    assert str(dY_dX(W_EXAMPLE)) == "[[1. 4.]\n [2. 5.]\n [3. 6.]]"
    assert str(chain_rule(np.ones(3), dY_dX(W_EXAMPLE))) == "[ 6. 15.]"
    assert forward(np.array([1.0, 2.0]), W_EXAMPLE, B_EXAMPLE).tolist() == [10.0, 14.0, 18.0]


def test_dy_dx_is_a_copy():
    W = W_EXAMPLE.copy()
    dY_dX(W)[0, 0] = 99.0
    np.testing.assert_array_equal(W, W_EXAMPLE)


def test_bad_shapes_are_named():
    with pytest.raises(
        ValueError, match=exactly("W must be 2-D with shape (n, m), got shape (3,)")
    ):
        dY_dX(np.ones(3))
    with pytest.raises(
        ValueError, match=exactly("X must be one sample of shape (n,), got shape (2, 2)")
    ):
        dY_dW(np.ones((2, 2)), 3)
    with pytest.raises(ValueError, match=exactly("m must be a positive integer, got 0")):
        dY_db(0)
    with pytest.raises(ValueError, match=exactly("m must be a positive integer, got 2.5")):
        dY_dW(np.ones(2), 2.5)
    with pytest.raises(
        ValueError,
        match=r"^dY has 3 entries but J has shape \(2, 3\): its first axis must be the 3 outputs$",
    ):
        chain_rule(np.ones(3), np.ones((2, 3)))
    with pytest.raises(ValueError, match=r"^dY has 1 entries but J has shape \(\)"):
        chain_rule(np.ones(1), 2.0)


def test_dY_is_one_sample_of_m_outputs():
    with pytest.raises(
        ValueError, match=r"^dY must be one sample of shape \(m,\), got shape \(2, 3\)$"
    ):
        chain_rule(np.ones((2, 3)), dY_dX(W_EXAMPLE))


def test_dy_db_keeps_the_dtype_it_is_asked_for():
    assert dY_db(2, dtype=np.float32).dtype == np.float32
    assert dY_db(2).dtype == np.float64


def test_dy_dw_keeps_the_dtype_of_X():
    assert dY_dW(np.ones(2, np.float32), 3).dtype == np.float32
