"""check_gradient where f rounds far worse than ε·|f|: its noise is measured, never assumed.

Each f cancels large intermediates, so its rounding is set by them, not by f. A right
gradient must never fail there; a wrong one must never pass.
"""

import numpy as np
import pytest

from affine import (
    backward,
    check_gradient,
    forward,
    mean_squared_error,
    mean_squared_error_grad,
    relu,
    sigmoid,
    sigmoid_backward,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
)
from affine.noise import M, estimate, levels, noise, probe
from affine.numerical import Real


def mse_with_bias_1e6(seed):
    rng = np.random.default_rng(seed)
    X, W, b = rng.normal(size=(4, 3)), rng.normal(size=(3, 2)), np.full(2, 1e6)
    T = X @ W + b + 0.01 * rng.normal(size=(4, 2))  # a fit near 1e6: f's rounding ~ 1e-10
    dY = mean_squared_error_grad(forward(X, W, b), T)
    return lambda W: mean_squared_error(forward(X, W, b), T), W, backward(dY, X, W).dW


def mse_targets_1e3(seed):
    rng = np.random.default_rng(seed)
    T = 1e3 * (1 + rng.random(size=(4, 3)))
    Y = T + 1e-6 * rng.normal(size=T.shape)
    return lambda Y: mean_squared_error(Y, T), Y, mean_squared_error_grad(Y, T)


def confident_softmax(margin):
    def case(seed):
        rng = np.random.default_rng(seed)
        Y, t = rng.normal(size=(4, 3)), rng.integers(0, 3, size=4)
        Y[np.arange(4), t] += margin  # f ≈ e^-margin, rounded at ε·margin
        return lambda Y: softmax_cross_entropy(Y, t), Y, softmax_cross_entropy_grad(Y, t)

    return case


def cancelling(seed):
    x = np.random.default_rng(seed).normal(size=5)
    return lambda x: (1e8 + x @ x) - 1e8, x, 2 * x  # rounded to the last bit of 1e8


def float32_inside(seed):
    rng = np.random.default_rng(seed)
    X, W, b, dY = (rng.normal(size=s) for s in [(5, 4), (4, 3), 3, (5, 3)])

    def f(W):  # computes in float32, returns a Python float
        X32, W32, b32, dY32 = (a.astype(np.float32) for a in (X, W, b, dY))
        return float(np.sum(dY32 * forward(X32, W32, b32)))

    return f, W, X.T @ dY  # (2)


CASES = {
    "MSE, bias 1e6": (mse_with_bias_1e6, 3, "inconclusive", "FAILED", "FAILED"),
    "MSE, bias 1e6, seed 0": (mse_with_bias_1e6, 0, "passed", "FAILED", "FAILED"),
    "MSE, targets 1e3": (mse_targets_1e3, 0, "passed", "FAILED", "FAILED"),
    "softmax, margin 8": (confident_softmax(8), 0, "passed", "FAILED", "FAILED"),
    "softmax, margin 15": (confident_softmax(15), 0, "passed", "FAILED", "FAILED"),
    "softmax, margin 25": (confident_softmax(25), 0, *["inconclusive"] * 3),
    "softmax, margin 35": (confident_softmax(35), 0, *["inconclusive"] * 3),
    "(1e8 + x @ x) - 1e8": (cancelling, 0, "inconclusive", "FAILED", "FAILED"),
    "(1e8 + x @ x) - 1e8, seed 2": (cancelling, 2, "passed", "FAILED", "FAILED"),
    "float32 inside f": (float32_inside, 1, "inconclusive", "FAILED", "inconclusive"),
}
ROWS = [
    (case, mistake, verdict)
    for case, (_, _, *verdicts) in CASES.items()
    for mistake, verdict in zip(
        ["right", "one element's sign", "5 % too large"], verdicts, strict=True
    )
]


@pytest.mark.parametrize(("case", "mistake", "verdict"), ROWS, ids=[f"{c}-{m}" for c, m, _ in ROWS])
def test_verdict(case, mistake, verdict):
    make, seed, *_ = CASES[case]
    f, x, right = make(seed)
    gradient = np.array(right, dtype=float)
    if mistake == "one element's sign":
        gradient.flat[0] *= -1
    elif mistake == "5 % too large":
        gradient *= 1.05
    result = check_gradient(f, x, gradient)
    assert result.verdict == verdict, str(result)
    if result.verdict == "passed":  # then every element agrees to 1 % of its size
        assert np.all(result.bound <= 0.01 * result.size)


def test_a_60_percent_wrong_float32_sigmoid_gradient_does_not_pass():
    Z = np.linspace(-2.0, 3.0, 12, dtype=np.float32).reshape(4, 3)
    dY = np.linspace(0.5, -0.5, 12, dtype=np.float32).reshape(4, 3)
    right = sigmoid_backward(dY, Z)
    f = lambda _: np.sum(dY * sigmoid(Z))  # noqa: E731
    assert check_gradient(f, Z, right, h=3e-4, name="Z").verdict != "FAILED"
    wrong = right.copy()
    wrong[2, 1] *= 1.6
    assert check_gradient(f, Z, wrong, h=3e-4, name="Z").verdict != "passed"


def test_a_17_percent_wrong_element_at_a_kink_does_not_pass():
    rng = np.random.default_rng(0)
    X, W, b, dY = (rng.normal(size=s) for s in [(5, 4), (4, 3), 3, (5, 3)])
    b[0] = 1e-7 - X[0] @ W[:, 0]  # sample 0's unit 0 switches within the step of b[0]
    right = (dY * (forward(X, W, b) > 0)).sum(axis=0)  # (3')
    f = lambda b: np.sum(dY * relu(forward(X, W, b)))  # noqa: E731
    wrong = right.copy()
    wrong[0] *= 1.17
    assert check_gradient(f, b, wrong, name="b").verdict == "FAILED"
    result = check_gradient(f, b, right, name="b")
    assert result.verdict == "inconclusive" and result.unresolved[0]
    assert "at b[0]" in str(result) and "f is not smooth within the step there" in str(result)


def test_sigma_hat_of_independent_noise_is_its_standard_deviation_at_every_order():
    rng = np.random.default_rng(1)
    squares = [levels(1e-3 * rng.normal(size=M + 1))[0] ** 2 for _ in range(4000)]
    np.testing.assert_allclose(np.sqrt(np.mean(squares, axis=0)), 1e-3, rtol=0.05)  # γ_k


def test_a_smooth_f_has_no_noise_beyond_its_own_rounding():
    t = np.arange(M + 1)
    level, resolved = estimate(2.0 + 3.0 * t + 0.5 * t**2)  # exact: a quadratic's values
    assert level == 0.0 and not resolved


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_probe_points_are_exact_in_xs_dtype(dtype):
    x = np.random.default_rng(2).normal(size=(4, 3)).astype(dtype)
    half = np.finfo(dtype).eps ** (1 / 3) * np.abs(x).astype(float)
    u = probe(x, half, 2.0**-5)
    t = np.arange(M + 1).reshape(-1, 1, 1)
    points = x.astype(float) + t * u
    np.testing.assert_array_equal(points.astype(dtype).astype(float), points)
    assert np.count_nonzero(u) == x.size


def test_the_probe_restores_x_and_sees_f_write_into_it():
    x = np.array([1.0, 2.0, 3.0])
    half = 1e-5 * np.ones(3)

    def scaling(x):
        x *= 2
        return float(x.sum())

    with pytest.raises(ValueError, match=r"wrote into its argument while its noise was measured"):
        noise(scaling, x, half, 6.0, Real(scaling))
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_f_must_be_finite_along_the_probe():
    x = np.array([1.0, 2.0])

    def f(x):
        return np.inf if x[0] != 1.0 else float(x.sum())

    with pytest.raises(ValueError, match=r"returned inf at x \+ 1·u, a probe point"):
        noise(f, x, 1e-5 * np.ones(2), 3.0, Real(f))
    np.testing.assert_array_equal(x, [1.0, 2.0])


def test_an_f_that_never_moves_cannot_judge_a_nonzero_gradient():
    Y = np.array([[40.0, 0.0, 0.0], [0.0, 40.0, 0.0]])  # softmax rounds to the labels exactly
    t = np.array([0, 1])
    right = softmax_cross_entropy_grad(Y, t)  # about 4e-18, below f's rounding at 40
    assert softmax_cross_entropy(Y, t) == 0.0
    result = check_gradient(lambda Y: softmax_cross_entropy(Y, t), Y, right, name="Y")
    assert result.verdict == "inconclusive" and result.suggested_h is None
    assert "f returned the same value at every point, so its rounding is unknown" in str(result)
    dead = np.array([-1.0, -2.0])  # a dead ReLU: 0 is both values, resolved
    assert check_gradient(lambda x: float(np.sum(relu(x))), dead, [0.0, 0.0]).passed
