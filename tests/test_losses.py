"""The losses and their gradients ∂f/∂Y."""

import numpy as np
import pytest

from affine import (
    mean_squared_error,
    mean_squared_error_grad,
    numerical_gradient,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    total,
    total_grad,
)


@pytest.fixture
def Y():
    return np.random.default_rng(7).normal(size=(4, 3))


def test_total_grad_is_all_ones(Y):
    np.testing.assert_allclose(total_grad(Y), numerical_gradient(total, Y.copy()), rtol=1e-9)
    assert total(Y) == pytest.approx(Y.sum())


def test_mse_grad_is_2_Y_minus_T_over_size(Y):
    T = np.random.default_rng(8).normal(size=Y.shape)
    grad = mean_squared_error_grad(Y, T)
    np.testing.assert_allclose(grad, 2 * (Y - T) / Y.size)
    numerical = numerical_gradient(lambda Y_: mean_squared_error(Y_, T), Y.copy())
    np.testing.assert_allclose(grad, numerical, rtol=1e-7, atol=1e-10)


def test_softmax_rows_sum_to_one_and_survive_large_scores():
    P = softmax(np.array([[1000.0, 1000.0, -1000.0], [0.0, 1.0, 2.0]]))
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(P[0], [0.5, 0.5, 0.0])
    assert np.isfinite(P).all()


def test_cross_entropy_grad_is_softmax_minus_onehot_over_N(Y):
    t = np.array([0, 2, 1, 2])
    grad = softmax_cross_entropy_grad(Y, t)
    expected = softmax(Y)
    expected[np.arange(4), t] -= 1
    np.testing.assert_allclose(grad, expected / 4)
    numerical = numerical_gradient(lambda Y_: softmax_cross_entropy(Y_, t), Y.copy())
    np.testing.assert_allclose(grad, numerical, rtol=1e-6, atol=1e-10)


def test_cross_entropy_is_the_mean_negative_log_probability(Y):
    t = np.array([0, 2, 1, 2])
    expected = -np.mean(np.log(softmax(Y)[np.arange(4), t]))
    assert softmax_cross_entropy(Y, t) == pytest.approx(expected, rel=1e-12)


def test_cross_entropy_is_stable_for_large_scores():
    Y = np.array([[1000.0, 0.0], [0.0, -1000.0]])
    assert softmax_cross_entropy(Y, [1, 1]) == pytest.approx((1000.0 + 1000.0) / 2)
    assert np.isfinite(softmax_cross_entropy_grad(Y, [1, 1])).all()


def test_cross_entropy_of_one_sample():
    y = np.array([0.5, -0.5, 2.0])
    assert softmax_cross_entropy(y, 2) == pytest.approx(softmax_cross_entropy(y[None], [2]))
    assert softmax_cross_entropy_grad(y, 2).shape == (3,)


def test_losses_do_not_mutate_Y(Y):
    before = Y.copy()
    softmax_cross_entropy_grad(Y, [0, 1, 2, 0])
    mean_squared_error_grad(Y, np.zeros_like(Y))
    softmax(Y)
    np.testing.assert_array_equal(Y, before)


def test_bad_labels_and_targets_are_named():
    Y = np.zeros((2, 3))
    with pytest.raises(ValueError, match=r"^labels must be in range\(3\), got 0 to 3$"):
        softmax_cross_entropy(Y, [0, 3])
    with pytest.raises(TypeError, match=r"^labels t must be integers, got dtype float64$"):
        softmax_cross_entropy(Y, [0.0, 1.0])
    with pytest.raises(ValueError, match=r"^labels t have shape \(3,\) but Y has shape \(2, 3\)$"):
        softmax_cross_entropy(Y, [0, 1, 2])
    with pytest.raises(
        ValueError, match=r"^Y has shape \(2, 3\) but the targets T have shape \(3,\)$"
    ):
        mean_squared_error(Y, np.zeros(3))
    with pytest.raises(
        ValueError, match=r"^Y must have shape \(N, m\) or \(m,\), got shape \(2, 2, 2\)$"
    ):
        softmax_cross_entropy(np.zeros((2, 2, 2)), [0, 1])


@pytest.mark.parametrize(
    "loss",
    [
        lambda Y: mean_squared_error(Y, Y),
        lambda Y: mean_squared_error_grad(Y, Y),
    ],
)
@pytest.mark.parametrize("shape", [(0, 3), (2, 0), (0,)])
def test_mean_squared_error_of_nothing_is_refused(loss, shape):
    with pytest.raises(
        ValueError, match=r"^Y is empty \(shape \(.*\)\): the mean of no errors is undefined$"
    ):
        loss(np.zeros(shape))


@pytest.mark.parametrize("loss", [softmax_cross_entropy, softmax_cross_entropy_grad])
@pytest.mark.parametrize(("shape", "t"), [((0, 3), []), ((2, 0), [0, 0])])
def test_cross_entropy_of_no_samples_or_no_classes_is_refused(loss, shape, t):
    expected = (
        r"^Y has shape \(\d, \d\): the mean cross-entropy needs at least one sample and one class$"
    )
    with pytest.raises(ValueError, match=expected):
        loss(np.zeros(shape), np.array(t, dtype=int))


def test_total_of_nothing_is_the_empty_sum():
    assert total(np.zeros((0, 3))) == 0.0
    assert total_grad(np.zeros((0, 3))).shape == (0, 3)


@pytest.mark.parametrize("shape", [(2, 0), (), (0,), (2, 3, 0)])
def test_softmax_needs_a_score(shape):
    with pytest.raises(
        ValueError, match=r"^Y must have at least one score on its last axis, got shape \(.*\)$"
    ):
        softmax(np.zeros(shape))


def test_softmax_normalises_the_last_axis_of_any_shape():
    Y = np.random.default_rng(9).normal(size=(2, 3, 4))
    P = softmax(Y)
    np.testing.assert_allclose(P.sum(axis=-1), np.ones((2, 3)))
    np.testing.assert_allclose(P, np.exp(Y) / np.exp(Y).sum(axis=-1, keepdims=True))


def test_cross_entropy_labels_out_of_range_are_named():
    with pytest.raises(ValueError, match=r"^labels must be in range\(3\), got -1 to 1$"):
        softmax_cross_entropy(np.zeros((2, 3)), [-1, 1])


def test_one_sample_takes_one_label():
    message = r"^labels t have shape \(2,\) but Y has shape \(1, 3\)$"
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy(np.zeros(3), [0, 1])
    with pytest.raises(ValueError, match=message):
        softmax_cross_entropy_grad(np.zeros(3), [0, 1])
