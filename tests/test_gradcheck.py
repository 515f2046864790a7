"""check_gradient: a verdict per element, an error bound, and f's contract enforced."""

import dataclasses

import numpy as np
import pytest
from examples import clipping, doubling

from affine import backward, check_gradient, forward, relu
from affine.noise import SPACINGS, M

EPS64 = np.finfo(np.float64).eps


def layer(dtype=np.float64, seed=6):
    rng = np.random.default_rng(seed)
    X, W, b, dY = (rng.normal(size=s) for s in [(5, 4), (4, 3), 3, (5, 3)])
    return tuple(a.astype(dtype) for a in (X, W, b, dY))


def loss(X, W, b, dY):
    return np.sum(dY * forward(X, W, b))  # ∂loss/∂Y = dY


def test_correct_float64_gradients_pass_within_their_bounds():
    X, W, b, dY = layer()
    grads = backward(dY, X, W)
    for x, g in [(X, grads.dX), (W, grads.dW), (b, grads.db)]:
        result = check_gradient(lambda _: loss(X, W, b, dY), x, g)
        assert result.verdict == "passed" and result.passed and result
        assert np.all(result.error <= result.bound + result.rtol * np.abs(g))
        assert 0 < result.bound.max() < 1e-8  # linear f: round-off only
        assert result.max_abs_error < 1e-8 and result.max_rel_error < 1e-9


def test_the_bound_is_truncation_plus_kink_plus_roundoff_as_documented():
    X, W, b, dY = layer()
    result = check_gradient(lambda W: loss(X, W, b, dY), W, backward(dY, X, W).dW)
    c = EPS64 ** (1 / 3)
    np.testing.assert_array_equal(result.h, c * np.maximum(np.abs(W), np.abs(W).mean()))
    bound = result.truncation + result.kink + result.roundoff
    np.testing.assert_array_equal(result.bound, bound)
    V = W.copy()
    points = V[1, 2] + np.array([-2, -1, 0, 1, 2]) * result.h[1, 2]
    values = []
    for p in points:  # f at x - 2h, x - h, x, x + h, x + 2h
        V[1, 2] = p
        values.append(loss(X, V, b, dY))
    sigma = np.diff(values) / np.diff(points)  # the four slopes
    kink = abs(sigma[0] - 2 * sigma[1] + sigma[2]) + abs(sigma[1] - 2 * sigma[2] + sigma[3])
    assert result.kink[1, 2] == pytest.approx(kink, rel=1e-9, abs=1e-12)
    s = (W + result.h) - (W - result.h)
    F = np.abs([[loss(X, W + d, b, dY) for d in (0 * W,)]]).max()  # |f| near W
    np.testing.assert_allclose(result.roundoff, 16 * EPS64 * F / s, rtol=1e-3)
    assert result.eps == EPS64 and result.rtol == np.sqrt(EPS64)


def test_truncation_is_the_gap_between_steps_h_and_2h():
    # f = Σ sin x: D(h) - cos x = -h² cos x / 6 + ..., so |D(h) - D(2h)| ≈ h² |cos x| / 2
    x = np.array([0.3, 1.1, 2.0])
    result = check_gradient(lambda x: np.sum(np.sin(x)), x, np.cos(x), h=1e-3)
    np.testing.assert_allclose(result.truncation, 1e-6 * np.abs(np.cos(x)) / 2, rtol=1e-3)
    np.testing.assert_array_equal(result.h, [1e-3] * 3)  # a given h is absolute
    assert result.passed
    assert np.all(np.abs(result.numerical - np.cos(x)) <= result.bound)


def test_all_zero_x_takes_the_step_c():
    result = check_gradient(lambda x: np.sum(x**2 + x), np.zeros(3), np.ones(3))
    np.testing.assert_array_equal(result.h, np.full(3, EPS64 ** (1 / 3)))
    assert result.passed


def test_report_names_the_worst_element_with_both_values_and_its_bound():
    X, W, b, dY = layer()
    dW = backward(dY, X, W).dW
    wrong = dW.copy()
    wrong[1, 2] *= -1
    result = check_gradient(lambda _: loss(X, W, b, dY), W, wrong, name="W")
    a, n, bound = wrong[1, 2], result.numerical[1, 2], result.bound[1, 2]
    assert str(result) == (
        f"FAILED at W[1, 2]: analytic {a:.3g}, numerical {n:.3g} ± {bound:.0e}; "
        "1 of 12 elements failed"
    )
    assert result.verdict == "FAILED" and not result
    np.testing.assert_array_equal(result.failed, wrong != dW)
    passed = check_gradient(lambda _: loss(X, W, b, dY), W, dW, name="W")
    loose = (passed.bound + passed.rtol * np.abs(dW)) / passed.size
    i = np.unravel_index(np.argmax(loose), W.shape)
    assert str(passed) == (
        f"passed: all 12 elements agree, each to {loose.max():.0e} of its size or better "
        f"(loosest: W[{i[0]}, {i[1]}]: analytic {dW[i]:.3g}, numerical "
        f"{passed.numerical[i]:.3g} ± {passed.bound[i]:.0e})"
    )


def test_a_small_relative_error_is_printed_with_the_digits_that_show_it():
    x = np.array([1.0, 2.0])
    result = check_gradient(lambda x: x @ x, x, [2.0, 4.004], h=2**-10)
    assert str(result).startswith("FAILED at x[1]: analytic 4.004, numerical 4 ± ")


def test_tiny_gradient_of_an_O1_loss_is_inconclusive_and_the_suggested_step_resolves_it():
    c = np.array([1.0, -2.0, 3.0])
    x = np.array([0.5, 1.5, -1.0])

    def f(x):
        return 1.0 + 1e-12 * (c @ x)

    result = check_gradient(f, x, 1e-12 * c)
    assert result.verdict == "inconclusive" and not result and not result.passed
    assert result.unresolved.all() and not result.failed.any()
    text = str(result)
    assert text.startswith("inconclusive: at x[")
    assert "the central difference is only good to ±" in text
    assert f"try h={result.suggested_h:.0e};" in text and "float64" not in text
    assert text.endswith("3 of 3 elements unresolved")
    assert result.suggested_h > result.h.max()  # linear: round-off only, a larger step
    assert check_gradient(f, x, 1e-12 * c, h=result.suggested_h).passed
    assert check_gradient(f, x, -1e-12 * c, h=result.suggested_h).verdict == "FAILED"


def test_a_float32_inconclusive_check_suggests_float64():
    x = np.array([1.0, 2.0], dtype=np.float32)
    result = check_gradient(lambda x: 1 + 1e-4 * x.sum(), x, np.full(2, 1e-4, np.float32))
    assert result.verdict == "inconclusive"
    assert " or float64; " in str(result)


def test_elements_where_f_does_not_move_are_resolved():
    # a dead ReLU unit and a zero input feature: both gradients exactly 0
    X = np.array([[-1.0, 0.5], [-2.0, 1.5]])
    result = check_gradient(lambda X: np.sum(relu(X)), X, (X > 0).astype(float))
    assert result.passed
    np.testing.assert_array_equal(result.numerical[:, 0], 0.0)
    assert not result.unresolved.any()


def test_nan_in_the_analytic_gradient_fails_there():
    X, W, b, dY = layer()
    g = backward(dY, X, W).dW.copy()
    g[0, 1] = np.nan
    result = check_gradient(lambda _: loss(X, W, b, dY), W, g, name="W")
    assert result.verdict == "FAILED"
    assert str(result).startswith("FAILED at W[0, 1]: analytic nan")
    assert int(result.failed.sum()) == 1


@pytest.mark.parametrize(
    ("dtype", "verdict"),
    [(np.float16, "inconclusive"), (np.float32, "inconclusive"), (np.float64, "passed")],
)
def test_the_closure_idiom_perturbs_any_float_array_in_its_own_dtype(dtype, verdict):
    # f sums 15 products in float16: its last bit is worth more than the smaller dW;
    # in float32 the smallest element, 0.29, is good to 1.01 %, just short of 1 %
    X, W, b, dY = layer(dtype)
    dW = backward(dY, X, W).dW
    before = W.copy()
    assert check_gradient(lambda _: loss(X, W, b, dY), W, dW).verdict == verdict
    assert check_gradient(lambda _: loss(X, W, b, dY), W, 0 * dW).verdict == "FAILED"
    np.testing.assert_array_equal(W, before)
    assert W.dtype == dtype


def test_float32_defaults_follow_the_dtypes_involved():
    X, W, b, dY = layer(np.float32)
    result = check_gradient(lambda W: loss(X, W, b, dY), W, backward(dY, X, W).dW)
    eps32 = np.finfo(np.float32).eps
    assert result.eps == eps32 and result.rtol == pytest.approx(np.sqrt(eps32))
    expected = eps32 ** (1 / 3) * np.maximum(abs(W), abs(W).mean(dtype=np.float64))
    np.testing.assert_allclose(result.h, expected, rtol=1e-6)


def test_an_f_that_returns_float32_sets_the_step_for_float64_x():
    X, W, b, dY = layer()
    f = lambda W: loss(*(a.astype(np.float32) for a in (X, W, b, dY)))  # noqa: E731
    dW = backward(dY, X, W).dW
    result = check_gradient(f, W, dW)
    assert result.eps == np.finfo(np.float32).eps and result.rtol == np.sqrt(EPS64)
    assert result.verdict == "inconclusive"  # float32's step, good to 1.4 % at dW[3, 0]
    assert check_gradient(f, W, dW, h=result.suggested_h).passed


@pytest.mark.parametrize(
    ("dtype", "rtol"),
    [
        (np.float64, 1.4901161193847656e-08),
        (np.float32, 3.4526698300124393e-04),
        (np.float16, 3.125e-02),
        (np.dtype(">f8"), 1.4901161193847656e-08),
        (np.longdouble, float(np.sqrt(np.finfo(np.longdouble).eps))),
    ],
)
def test_default_rtol_is_the_square_root_of_the_analytic_dtypes_eps(dtype, rtol):
    result = check_gradient(lambda x: 3 * x.sum(), np.ones(2), np.full(2, 3, dtype=dtype))
    assert result.rtol == pytest.approx(rtol, rel=1e-12)
    assert result.passed


def test_a_float16_gradient_may_be_off_by_its_own_rounding_a_float32_may_not():
    X, W, b, dY = layer()
    dW = backward(dY, X, W).dW * (1 + 1e-3)
    f = lambda _: loss(X, W, b, dY)  # noqa: E731
    assert check_gradient(f, W, dW.astype(np.float16)).passed
    assert check_gradient(f, W, dW.astype(np.float32)).verdict == "FAILED"


def test_float128_x_is_checked_in_its_own_precision():
    x = np.array([0.5, 1.5], dtype=np.longdouble)
    result = check_gradient(lambda x: np.sum(x**3), x, 3 * x**2)
    assert result.passed and result.numerical.dtype == np.longdouble
    assert result.eps == np.finfo(np.longdouble).eps


@pytest.mark.parametrize("rtol", [np.nan, -1e-3, np.inf, "1e-3", True])
def test_rtol_must_be_a_finite_nonnegative_number(rtol):
    with pytest.raises(ValueError, match=r"rtol must be a finite number >= 0, got rtol="):
        check_gradient(lambda x: x.sum(), np.ones(2), np.ones(2), rtol=rtol)


def test_rtol_zero_still_passes_an_exact_check():
    assert check_gradient(lambda x: 2 * x.sum(), np.ones(2), [2.0, 2.0], rtol=0).passed


def test_shapes_must_match():
    with pytest.raises(ValueError, match=r"analytic has shape \(2,\) but W has shape \(3,\)"):
        check_gradient(lambda x: x.sum(), np.ones(3), np.ones(2), name="W")


def test_closure_on_a_read_only_array_is_an_error_not_a_zero_gradient():
    X, W, b, dY = layer(np.float32)
    W.flags.writeable = False
    with pytest.raises(ValueError, match=r"W is read-only, so it was perturbed as a copy"):
        check_gradient(lambda _: loss(X, W, b, dY), W, np.zeros(W.shape), name="W")


def test_closure_on_an_integer_array_is_an_error():
    x = np.array([1, 2])
    with pytest.raises(ValueError, match=r"x has dtype int64, so .* f never read the copy"):
        check_gradient(lambda _: 5.0, x, [0.0, 0.0])


def test_integer_x_is_checked_on_a_float64_copy():
    x = np.array([1, 2])
    result = check_gradient(lambda x: float(x @ x), x, [2, 4])
    assert result.passed and result.numerical.dtype == np.float64
    assert x.dtype == np.int64


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (
            "1.0",
            TypeError,
            r"f must return a real number, but f \(.*my_loss\) returned '1.0' \(str\)",
        ),
        (None, TypeError, r"returned None \(NoneType\)"),
        (1 + 0j, TypeError, r"returned \(1\+0j\) \(complex\)"),
        (True, TypeError, r"returned True \(bool\)"),
        (np.bool_(True), TypeError, r"\(bool\)"),
        (
            np.ones(1),
            ValueError,
            r"f must return a scalar, .*my_loss\) returned an array of shape \(1,\)",
        ),
    ],
)
def test_f_must_return_a_real_scalar(value, error, match):
    def my_loss(x):
        return value

    x = np.ones(2)
    with pytest.raises(error, match=match):
        check_gradient(my_loss, x, np.zeros(2))
    np.testing.assert_array_equal(x, np.ones(2))


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_f_must_be_finite_near_x(bad):
    def f(x):
        return bad if x[1] > 2 else float(x.sum())

    with pytest.raises(ValueError, match=rf"returned {bad} with W\[1\] \+ h: f must be finite"):
        check_gradient(f, np.array([1.0, 2.0]), np.ones(2), name="W")


def test_integer_results_are_real_scalars():
    assert check_gradient(lambda x: 7, np.ones(2), np.zeros(2)).passed
    assert check_gradient(lambda x: np.int32(7), np.ones(2), np.zeros(2)).passed


@pytest.mark.parametrize("f", [doubling, clipping])
def test_f_that_writes_into_its_argument_is_an_error_and_x_is_restored(f):
    x = np.array([0.25, 1.0, -3.0])
    before = x.copy()
    with pytest.raises(ValueError, match=rf"f \(.*{f.__name__}\) wrote into its argument"):
        check_gradient(f, x, np.ones(3))
    np.testing.assert_array_equal(x, before)


def test_x_is_restored_when_f_raises_and_the_error_goes_through():
    x = np.array([1.0, 2.0, 3.0])
    calls = []

    def f(x):
        calls.append(None)
        if len(calls) == 7:
            raise ZeroDivisionError("boom")
        return float(x.sum())

    with pytest.raises(ZeroDivisionError, match="boom"):
        check_gradient(f, x, np.ones(3))
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


@pytest.mark.parametrize(
    ("f", "probes"),
    [
        (lambda x: float(np.sum(np.sin(x))), 1),  # noise seen at once
        (lambda x: float(x.sum()), len(SPACINGS)),  # exact sums: no noise at any spacing
    ],
)
def test_four_evaluations_per_element_plus_one_plus_the_noise_probes(f, probes):
    calls = []
    x = np.linspace(0.5, 2.0, 12).reshape(3, 4) if probes == 1 else np.ones((3, 4))
    check_gradient(lambda x: calls.append(None) or f(x), x, np.cos(x) if probes == 1 else x)
    assert len(calls) == 4 * x.size + 1 + M * probes


def test_empty_x_passes_with_nothing_to_check():
    result = check_gradient(lambda W: 0.0, np.empty((0, 3)), np.empty((0, 3)), name="W")
    assert result.passed and str(result) == "passed: W is empty, nothing to check"
    assert result.max_abs_error == 0.0 and result.max_rel_error == 0.0


def test_the_result_is_frozen_and_its_arrays_read_only():
    result = check_gradient(lambda x: float(x @ x), np.array([1.0, 2.0]), [2.0, 4.0])
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.rtol = 1.0
    with pytest.raises(ValueError, match="read-only"):
        result.numerical[0] = 0.0


def test_max_rel_error_is_the_scale_wide_summary():
    result = check_gradient(lambda x: float(x @ x), np.array([1.0, 2.0]), [2.0, 5.0], h=2**-10)
    assert result.max_abs_error == 1.0
    assert result.max_rel_error == 1.0 / 5.0


def test_a_passed_check_names_its_loosest_nonzero_element():
    x = np.array([0.0, 1.0, -1.0, 2.0])
    result = check_gradient(lambda x: float(np.sum(np.maximum(x, 0.5) ** 2)), x, [0, 2, 0, 4])
    assert result.passed and result.numerical[0] == result.numerical[2] == 0
    assert str(result).startswith("passed: all 4 elements agree, each to ")
    loose = (result.bound + result.rtol * np.abs(result.analytic))[[1, 3]] / [2, 4]
    i = [1, 3][int(np.argmax(loose))]  # never x[0] or x[2], where f does not move
    assert f"(loosest: x[{i}]: analytic {2 * x[i]:.3g}, numerical " in str(result)
    zero = check_gradient(lambda x: 3.0, x, np.zeros(4))
    assert str(zero) == "passed: all 4 elements are exactly 0, analytic and numerical"


@pytest.mark.parametrize("resolution", [0, -0.1, 1.5, np.nan, "0.01", True])
def test_resolution_must_be_in_0_1(resolution):
    with pytest.raises(ValueError, match=r"resolution must be a number in \(0, 1\], got "):
        check_gradient(lambda x: x.sum(), np.ones(2), np.ones(2), resolution=resolution)


def test_an_element_is_resolved_only_when_its_bound_is_within_resolution_of_its_size():
    x = np.array([0.5, 1.5, -1.0])
    f = lambda x: float(np.sum(np.sin(x)))  # noqa: E731
    result = check_gradient(f, x, np.cos(x), h=1e-2)
    ratio = result.bound / result.size  # truncation h²/2 + kink 2h², of |cos x|: 2.5e-4
    np.testing.assert_allclose(ratio, 2.5e-4, rtol=1e-3)
    assert result.passed
    assert check_gradient(f, x, np.cos(x), h=1e-2, resolution=2.6e-4).passed
    strict = check_gradient(f, x, np.cos(x), h=1e-2, resolution=2.4e-4)
    assert strict.verdict == "inconclusive" and strict.unresolved.all()
