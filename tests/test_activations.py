"""ReLU and the sigmoid: their backward passes against central differences, and their edges."""

import re

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from numpy.testing import assert_allclose, assert_array_equal

from affine import ReLU, Sigmoid, check_gradient, numerical_gradient
from affine.activations import relu, relu_backward, sigmoid, sigmoid_backward

SHAPES = [(1, 4), (3, 5), (5, 3), (2, 3, 4)]  # N = 1, non-square both ways, extra batch axis


def _upstream_check(forward, backward, X, dY):
    """Check dX = backward(dY, X) against the central difference of f(X) = Σ dY ⊙ forward(X)."""
    return check_gradient(lambda X: np.sum(dY * forward(X)), X, backward(dY, X))


# ReLU


def test_relu_is_max_of_zero_and_x():
    assert_array_equal(relu([[-2.0, -0.5, 0.0, 0.5, 2.0]]), [[0.0, 0.0, 0.0, 0.5, 2.0]])


@pytest.mark.parametrize("shape", SHAPES)
def test_relu_grad_equals_numerical(shape):
    rng = np.random.default_rng(0)
    X = rng.standard_normal(shape)
    X[np.abs(X) < 1e-2] = 0.5  # the central difference is wrong within h of the kink
    dY = rng.standard_normal(shape)
    result = _upstream_check(relu, relu_backward, X, dY)
    assert result, str(result)


def test_relu_backward_passes_dY_where_x_positive_and_zero_elsewhere():
    X = np.array([[-1.0, 2.0, -3.0], [4.0, -5.0, 6.0]])
    dY = np.array([[10.0, 20.0, 30.0], [40.0, 50.0, 60.0]])
    assert_array_equal(relu_backward(dY, X), [[0.0, 20.0, 0.0], [40.0, 0.0, 60.0]])


def test_relu_backward_at_zero_is_zero():
    assert_array_equal(relu_backward([[3.0, 3.0]], [[0.0, -0.0]]), [[0.0, 0.0]])


def test_relu_backward_does_not_mutate_dY():
    X = np.array([[-1.0, 2.0, -3.0]])
    dY = np.array([[1.0, 1.0, 1.0]])
    dX = relu_backward(dY, X)
    assert_array_equal(dY, [[1.0, 1.0, 1.0]])
    assert not np.shares_memory(dX, dY)


def test_relu_layer_backward_does_not_mutate_dY():
    layer = ReLU()
    layer.forward(np.array([[-1.0, 2.0, -3.0]]))
    dY = np.array([[1.0, 1.0, 1.0]])
    dY.flags.writeable = False  # any write would raise
    assert_array_equal(layer.backward(dY), [[0.0, 1.0, 0.0]])


@given(
    hnp.arrays(np.float64, hnp.array_shapes(max_dims=3, max_side=5), elements=st.floats(-1e6, 1e6))
)
def test_relu_backward_is_dY_times_indicator(X):
    dY = np.arange(X.size, dtype=np.float64).reshape(X.shape) + 1
    assert_array_equal(relu_backward(dY, X), dY * (X > 0))


# The sigmoid


def test_sigmoid_at_zero_is_one_half_and_its_slope_one_quarter():
    assert_array_equal(sigmoid([0.0]), [0.5])
    assert_array_equal(sigmoid_backward([1.0], [0.0]), [0.25])


@pytest.mark.parametrize("shape", SHAPES)
def test_sigmoid_grad_equals_numerical(shape):
    rng = np.random.default_rng(1)
    X = 3 * rng.standard_normal(shape)
    dY = rng.standard_normal(shape)
    result = _upstream_check(sigmoid, sigmoid_backward, X, dY)
    assert result, str(result)


def test_sigmoid_grad_equals_sigma_times_one_minus_sigma():
    X = np.linspace(-10, 10, 41)
    S = 1 / (1 + np.exp(-X))
    assert_allclose(sigmoid_backward(np.ones_like(X), X), S * (1 - S), rtol=1e-12, atol=1e-15)


@given(st.floats(-700, 700))
def test_sigmoid_of_minus_x_is_one_minus_sigmoid_of_x(x):
    assert_allclose(sigmoid([x]) + sigmoid([-x]), [1.0], rtol=1e-15)


def test_sigmoid_is_stable_at_large_inputs():
    X = np.array([-1e308, -1000.0, -746.0, 746.0, 1000.0, 1e308, -np.inf, np.inf])
    Y = sigmoid(X)  # an overflow warning would be an error (filterwarnings = error)
    assert_array_equal(Y, [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0, 1.0])
    assert_array_equal(sigmoid_backward(np.ones_like(X), X), np.zeros_like(X))


def test_sigmoid_grad_keeps_relative_accuracy_in_the_tails():
    X = np.array([-40.0, 40.0, 300.0])
    # σ'(x) = e^{-|x|} / (1 + e^{-|x|})², which is e^{-|x|} to within 1e-17 here
    assert_allclose(sigmoid_backward(np.ones(3), X), np.exp(-np.abs(X)), rtol=1e-14)


def test_sigmoid_float32_is_stable_and_stays_float32():
    X = np.array([-200.0, -120.0, 0.0, 120.0, 200.0], dtype=np.float32)
    Y = sigmoid(X)
    assert Y.dtype == np.float32
    assert_array_equal(Y, np.array([0.0, 0.0, 0.5, 1.0, 1.0], dtype=np.float32))
    assert sigmoid_backward(np.ones_like(X), X).dtype == np.float32


def test_sigmoid_backward_does_not_mutate_dY():
    dY = np.array([[2.0, -3.0]])
    dY.flags.writeable = False
    assert_allclose(sigmoid_backward(dY, [[0.0, 0.0]]), [[0.5, -0.75]])


def test_sigmoid_layer_matches_the_functions():
    rng = np.random.default_rng(2)
    X, dY = rng.standard_normal((3, 4)), rng.standard_normal((3, 4))
    layer = Sigmoid()
    assert_array_equal(layer.forward(X), sigmoid(X))
    assert_array_equal(layer.backward(dY), sigmoid_backward(dY, X))


# Both


@pytest.mark.parametrize("forward", [relu, sigmoid])
def test_integers_are_promoted_to_float64(forward):
    assert forward(np.array([[-1, 0, 2]])).dtype == np.float64


@pytest.mark.parametrize("backward", [relu_backward, sigmoid_backward])
def test_float32_gradient_stays_float32(backward):
    X = np.array([[-1.0, 2.0]], dtype=np.float32)
    assert backward(np.ones_like(X), X).dtype == np.float32


@pytest.mark.parametrize("backward", [relu_backward, sigmoid_backward])
def test_backward_rejects_dY_of_another_shape(backward):
    message = (
        "dY has shape (1, 3) but X has shape (3, 1); an element-wise layer's output has the "
        "shape of its input"
    )
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        backward(np.ones((1, 3)), np.ones((3, 1)))


@pytest.mark.parametrize("forward", [relu, sigmoid])
def test_non_numeric_input_is_a_type_error(forward):
    with pytest.raises(
        TypeError, match=r"^X has dtype <U1; expected real numbers \(integer or float\)$"
    ):
        forward(np.array(["a"]))


@pytest.mark.parametrize("Layer", [ReLU, Sigmoid])
def test_backward_before_forward_is_an_error(Layer):
    message = f"{Layer.__name__}.backward called before forward: there is no X to use"
    with pytest.raises(RuntimeError, match=f"^{re.escape(message)}$"):
        Layer().backward(np.ones(3))


@pytest.mark.parametrize("Layer", [ReLU, Sigmoid])
def test_layer_gradient_equals_numerical_with_random_upstream(Layer):
    rng = np.random.default_rng(3)
    X = rng.uniform(0.1, 2.0, (4, 3)) * rng.choice([-1.0, 1.0], (4, 3))
    dY = rng.standard_normal((4, 3))
    layer = Layer()
    layer.forward(X)
    dX = layer.backward(dY)
    assert_allclose(dX, numerical_gradient(lambda X: np.sum(dY * Layer().forward(X)), X), atol=1e-8)


def test_layers_print_their_kind():
    assert (repr(ReLU()), repr(Sigmoid())) == ("ReLU()", "Sigmoid()")
