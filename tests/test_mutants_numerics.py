"""The contracts of numerical.py, gradcheck.py and noise.py, stated where the other tests are loose.

Exact messages that name f and the argument, the dtypes of results, the digits a
verdict prints, the rules that pick the noise level, and the probe's direction.
"""

import functools
import re

import numpy as np
import pytest

import affine.gradcheck
import affine.noise
from affine import check_gradient, jacobian, numerical_gradient
from affine.gradcheck import GradientCheck, _ratio
from affine.noise import SPACINGS, M, estimate, levels, noise, probe
from affine.numerical import Real, wide

LD = np.longdouble
pytestmark = pytest.mark.skipif(np.finfo(LD).eps >= np.finfo(np.float64).eps, reason="no float128")


def verdict(analytic, numerical, truncation=0.0, kink=0.0, roundoff=0.0, rtol=0.0, eps=2.2e-16):
    """A GradientCheck built from its numbers, one element each, to read its rules."""
    a = np.atleast_1d(np.asarray(analytic, dtype=float))
    full = lambda v: np.broadcast_to(np.asarray(v, dtype=float), a.shape).copy()  # noqa: E731
    return GradientCheck(
        a, full(numerical), full(truncation), full(kink), full(roundoff), full(1e-3), rtol, eps
    )


# numerical.py


def named(x):
    return named.value


def test_messages_name_f_by_its_qualname_or_else_its_repr():
    named.value = np.nan
    with pytest.raises(ValueError, match=r"^f \(named\) returned nan with x\[0\] \+ h: f must"):
        numerical_gradient(named, np.ones(2))
    partial = functools.partial(named)  # a callable without __qualname__
    with pytest.raises(ValueError, match=r"^f \(functools\.partial\(<function named at "):
        numerical_gradient(partial, np.ones(2))


def test_jacobian_messages_name_f():
    named.value = np.array([np.inf])
    with pytest.raises(ValueError, match=r"^f \(named\) returned inf with x\[0\] \+ h"):
        jacobian(named, np.ones(2))
    shapes = iter([np.ones(1), np.ones(2)])
    with pytest.raises(ValueError, match=r"^f \(.*<lambda>\) returned shape \(2,\) at one point"):
        jacobian(lambda x: next(shapes), np.ones(2))


def test_a_long_return_value_is_quoted_to_80_characters():
    named.value = "z" * 200
    with pytest.raises(TypeError) as error:
        numerical_gradient(named, np.ones(2))
    assert str(error.value).endswith(f"returned {repr(named.value)[:80]} (str)")


def test_an_x_that_is_not_real_is_named():
    with pytest.raises(TypeError, match=r"^W has dtype complex128; expected real numbers"):
        check_gradient(lambda W: 0.0, np.array([1j]), [0.0], name="W")
    with pytest.raises(TypeError, match=r"^analytic has dtype complex128; expected real"):
        check_gradient(lambda x: 0.0, np.ones(1), [1j])


def test_the_default_step_of_jacobian_is_1e_4():
    # the central difference of x³ is 3x² + h² exactly
    x = np.array([0.5, 2.0])
    J = jacobian(lambda x: x**3, x)
    np.testing.assert_allclose(np.diag(J) - 3 * x**2, 1e-8, rtol=1e-3)  # f's rounding


def test_the_jacobian_of_a_scalar_f_is_its_gradient():
    x = np.array([1.0, -2.0, 0.5])
    J = jacobian(lambda x: float(x @ x), x)
    assert J.shape == x.shape
    np.testing.assert_allclose(J, 2 * x, rtol=1e-9)


def test_an_f_that_moves_only_at_x_itself_read_its_copy():
    # on an integer x (a copy), f == 1 at every perturbed point and 0 at x: f moved
    x = np.array([1, 2])
    J = jacobian(lambda x: np.array([float(np.any(x != [1, 2]))]), x)
    np.testing.assert_array_equal(J, [[0.0, 0.0]])
    result = check_gradient(lambda x: float(np.any(x != [1, 2])), x, [0.0, 0.0])
    assert result.passed


def test_float128_x_is_perturbed_and_stepped_in_float128():
    # a linear f, x not a float64: the quotient is the slope to float128's precision
    x = np.array([LD(1) / 3, LD(2) / 3])
    grad = numerical_gradient(lambda x: np.sum(3 * x), x)
    assert grad.dtype == LD
    np.testing.assert_allclose(grad, 3, rtol=20 * np.finfo(LD).eps / 1e-4)
    np.testing.assert_array_equal(x, [LD(1) / 3, LD(2) / 3])


def test_float16_values_are_differenced_in_float64():
    # f(±1) = ±60000 in float16: their difference 120000 is beyond float16
    grad = numerical_gradient(lambda x: np.float16(6e4 * x[0]), np.zeros(1), h=1.0)
    np.testing.assert_array_equal(grad, [6e4])


def test_a_write_to_the_next_element_is_caught():
    x = np.array([1.0, 2.0, 3.0])

    def f(x):
        if x[0] > 1:
            x[1] = 7.0  # while x[0] is perturbed, into the element perturbed next
        return float(x.sum())

    with pytest.raises(ValueError, match=r"wrote into its argument: x\[1\] changed while f ran"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, [1.0, 2.0, 3.0])


def test_write_messages_name_f_and_the_argument_exactly():
    W = np.array([[0.25, 1.0], [-3.0, 2.0]])

    def doubling(x):
        x *= 2
        return x.copy()

    with pytest.raises(ValueError) as error:
        jacobian(doubling, W.copy())
    assert str(error.value) == (
        "f (test_write_messages_name_f_and_the_argument_exactly.<locals>.doubling) wrote into "
        "its argument: x[0, 0] changed while f ran; x has been restored. f must compute from x "
        "without changing it"
    )
    with pytest.raises(ValueError, match=r"^f \(.*<lambda>\) wrote .*: W\[0, 0\] changed.*; W has"):
        check_gradient(lambda W: float(doubling(W).sum()), W.copy(), np.ones(W.shape), name="W")
    calls = []

    def later(x):  # writes into the perturbed element, at W[0, 0] - h
        calls.append(None)
        if len(calls) == 3:
            x[0, 0] = 5.0
        return float(x.sum())

    with pytest.raises(ValueError) as error:
        check_gradient(later, W.copy(), np.ones(W.shape), name="W")
    assert re.fullmatch(
        r"f \(.*later\) wrote into its argument: it changed W\[0, 0\] from the perturbed value "
        r"0\.2499\d+ to 5\.0; W has been restored\. f must compute from x without changing it",
        str(error.value),
    )


def test_a_write_after_an_element_is_done_names_f():
    x = np.array([1.0, 2.0])

    def f(x):
        if x[1] > 2:
            x[0] = 9.0  # element 0 is done by now
        return float(x.sum())

    with pytest.raises(ValueError, match=r"^f \(.*\.f\) wrote into its argument: x\[0\] changed"):
        numerical_gradient(f, x)


def test_step_messages_name_the_argument_and_the_element_step():
    with pytest.raises(
        ValueError, match=r"^h=1e-20 is too small to change W\[0\] = 1.0 in float64"
    ):
        check_gradient(lambda W: float(W.sum()), np.ones(2), np.ones(2), h=1e-20, name="W")
    W = np.array([1.0, 56000.0], dtype=np.float16)  # W[1] + h is below 65504, W[1] + 2h not
    half = float(np.finfo(np.float16).eps) ** (1 / 3) * 56000.0
    with pytest.raises(ValueError, match=rf"^h={2 * half:g} takes W\[1\] = 56000.0 beyond"):
        check_gradient(lambda W: float(W.sum()), W, np.ones(2), name="W")


# gradcheck.py


def test_ratio_takes_0_over_0_as_0_and_nan_as_infinity():
    r = _ratio(np.array([0.0, 1.0, np.inf, np.nan]), np.array([0.0, 4.0, np.inf, 1.0]))
    np.testing.assert_array_equal(r, [0.0, 0.25, np.inf, np.inf])


def test_resolution_1_is_allowed():
    assert check_gradient(lambda x: float(x @ x), np.ones(2), [2.0, 2.0], resolution=1).passed


@pytest.mark.parametrize(
    ("analytic", "numerical", "printed"),
    [
        (4.5678, 4.0, "analytic 4.57, numerical 4"),  # off in the 1st digit: 3 digits
        (4.004, 4.0, "analytic 4.004, numerical 4"),  # off in the 4th: 4 + 2 digits
        (4 + 1e-3 / 3, 4.0, "analytic 4.000333, numerical 4"),
        (1 + 2**-52, 1.0, "analytic 1.0000000000000002, numerical 1"),  # at most 17 digits
    ],
)
def test_a_failed_element_prints_the_digits_that_show_its_error(analytic, numerical, printed):
    assert (
        str(verdict(analytic, numerical))
        == f"FAILED at x[0]: {printed} ± 0e+00; 1 of 1 elements failed"
    )


def test_a_nan_bound_fails_and_prints_three_digits():
    assert str(verdict(2.0, 2.0, truncation=np.nan)) == (
        "FAILED at x[0]: analytic 2, numerical 2 ± nan; 1 of 1 elements failed"
    )


def test_the_failed_element_reported_is_the_worst_failed_one():
    # |a - n| / (bound + rtol |a|): 3 / 2 at x[0], 0.5 / 0.3 at x[2]
    result = verdict([10.0, 1.0, 1.0], [13.0, 1.0, 1.5], roundoff=[0.0, 0.0, 0.1], rtol=0.2)
    assert str(result).startswith("FAILED at x[2]: analytic 1, numerical 1.5 ± 1e-01; 2 of 3")


def test_a_zero_bound_passes_with_its_size_not_as_all_zero():
    assert str(verdict(1.0, 1.0)) == (
        "passed: all 1 elements agree, each to 0e+00 of its size or better "
        "(loosest: x[0]: analytic 1, numerical 1 ± 0e+00)"
    )


def test_the_loosest_element_is_a_nonzero_one():
    result = verdict([0.0, 2.0, 1.0], [0.0, 2.0, 1.0], roundoff=[0.0, 0.01, 0.0])
    assert str(result).endswith("(loosest: x[1]: analytic 2, numerical 2 ± 1e-02)")


@pytest.mark.parametrize(
    ("kink", "kinked"),
    [(0.045, True), (0.04, False)],  # more than 4 x roundoff, not equal to it
)
def test_a_kink_is_named_only_beyond_what_roundoff_bends(kink, kinked):
    result = verdict(1.0, 1.0, kink=kink, roundoff=0.01)
    assert result.verdict == "inconclusive"
    assert ("f is not smooth within the step there" in str(result)) == kinked


def test_the_worst_unresolved_element_is_named():
    result = verdict([1.0, 1.0, 1.0], [1.0, 1.0, 1.0], roundoff=[0.02, 0.001, 0.05])
    assert str(result).startswith("inconclusive: at x[2] the central difference is only good")
    assert str(result).endswith("; 2 of 3 elements unresolved")


@pytest.mark.parametrize(("analytic", "shown"), [(0.0, "1e-03"), (3e-3, "3e-03")])
def test_an_inconclusive_gradient_is_the_analytic_unless_it_is_0(analytic, shown):
    result = verdict(analytic, 1e-3, roundoff=3e-3)
    assert f", the gradient is {shown}; try h=" in str(result)


def test_an_f_that_never_moves_says_so_in_full():
    result = verdict(1.0, 1.0, roundoff=np.inf)
    assert str(result) == (
        "inconclusive: at x[0] the central difference is only good to ±inf, the gradient is "
        "1e+00; f returned the same value at every point, so its rounding is unknown; 1 of 1 "
        "elements unresolved"
    )


@pytest.mark.parametrize(
    ("x_dtype", "a_dtype", "f_dtype"),
    [(np.float64, LD, np.float64), (LD, np.float64, np.float64), (np.float64, np.float64, LD)],
)
@pytest.mark.parametrize("h", [None, 1e-3])
def test_every_array_of_the_result_is_in_the_widest_dtype_involved(x_dtype, a_dtype, f_dtype, h):
    x = np.array([0.5, 1.5], dtype=x_dtype)
    result = check_gradient(lambda x: f_dtype(np.sum(x**2)), x, (2 * x).astype(a_dtype), h=h)
    for field in ("analytic", "numerical", "truncation", "kink", "roundoff", "h"):
        assert getattr(result, field).dtype == LD, field
        assert getattr(result, field).shape == x.shape, field


def test_the_default_step_of_a_float128_x_is_computed_in_float128():
    x = np.array([LD(1) / 3, LD(2) / 3])
    result = check_gradient(lambda x: np.sum(x**2), x, 2 * x)
    c = float(np.finfo(LD).eps) ** (1 / 3)
    np.testing.assert_array_equal(result.h, c * np.maximum(np.abs(x), np.abs(x).mean()))


def test_the_kink_of_a_cubic_is_twelve_h_squared():
    # the four slopes of x³ across x - 2h ... x + 2h bend by 6h² each way: κ = 2h²·|f'''|
    x = np.array([LD(1) / 3, LD(-5) / 7])
    result = check_gradient(lambda x: np.sum(x**3), x, 3 * x**2, h=1e-4)
    s = result.h  # the points are exact: the steps are h
    np.testing.assert_allclose(result.kink, 12 * s**2, rtol=2e-8)  # f's rounding


def test_the_all_zero_step_has_xs_shape():
    result = check_gradient(lambda x: float(np.sum(x**2 + x)), np.zeros((2, 2)), np.ones((2, 2)))
    assert result.h.shape == (2, 2)


@pytest.mark.parametrize(("moved", "f"), [(False, lambda x: float(x.sum())), (True, lambda x: 3.0)])
def test_roundoff_is_infinite_only_when_f_moved_neither_at_the_points_nor_along_the_probe(
    monkeypatch, moved, f
):
    monkeypatch.setattr(affine.gradcheck, "noise", lambda *args: (0.0, moved))
    result = check_gradient(f, np.ones(2), np.ones(2) if not moved else np.zeros(2))
    assert np.all(np.isfinite(result.roundoff))


def test_the_probe_names_the_argument_when_f_writes_into_it():
    calls = []

    def f(W):
        calls.append(None)
        if len(calls) > 4 * 2 + 1:  # after the check's points: on the probe
            W *= 2
        return float(W.sum())

    W = np.array([1.0, 2.0])
    with pytest.raises(ValueError, match=r"noise was measured; W has been restored"):
        check_gradient(f, W, np.ones(2), name="W")
    np.testing.assert_array_equal(W, [1.0, 2.0])


# noise.py


def test_a_difference_that_touches_0_without_crossing_it_is_no_sign_change():
    assert not levels([0.0, 0.0, 1.0])[1].any()
    assert not levels([0.0, 0.0, -1.0])[1].any()
    assert levels([0.0, 1.0, 0.0])[1][0]


@pytest.mark.parametrize(
    ("sigma", "changes", "expected"),
    [
        ([1, 2, 3, 4, 5, 6, 7, 8], [True] * 8, (2.0, True)),  # from k = 2: not σ̂₁
        ([1] * 8, [False] * 5 + [True] * 3, (1.0, True)),  # k = 6 is the last with k + 2 ≤ m
        ([9, 1, 1, 4, 100, 9, 9, 9], [True] * 8, (1.0, True)),  # σ̂₂…σ̂₄ agree within 4
        ([9, 1, 1, 4.5, 9, 9, 9, 100], [False, True] + [False] * 6, (100.0, False)),
        ([8, 7, 6, 5, 4, 3, 2, 1], [False] * 8, (4.0, False)),  # else the largest k ≥ m/2
    ],
)
def test_estimate_takes_the_first_k_from_2_that_agrees_with_the_next_two(
    monkeypatch, sigma, changes, expected
):
    monkeypatch.setattr(
        affine.noise, "levels", lambda v: (np.array(sigma, float), np.array(changes))
    )
    assert estimate(np.zeros(M + 1)) == expected


def test_estimate_of_a_single_value_is_0():
    assert estimate([5.0]) == (0.0, False)


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, LD])
@pytest.mark.parametrize("spacing", SPACINGS)
def test_the_probe_steps_spacing_times_h_at_most_x_over_128_in_xs_dtype(dtype, spacing):
    rng = np.random.default_rng(3)
    x = (rng.normal(size=4096) * 2.0 ** rng.integers(-3, 4, size=4096)).astype(dtype)
    half = np.finfo(dtype).eps ** (1 / 3) * np.abs(x).astype(wide(dtype))
    u = probe(x, half, spacing)
    assert u.dtype == wide(dtype)
    t = np.arange(M + 1)[:, None]
    points = x.astype(wide(dtype)) + t * u
    np.testing.assert_array_equal(points.astype(dtype).astype(wide(dtype)), points)
    step = np.minimum(spacing * half, np.maximum(np.abs(x).astype(wide(dtype)) / 128, half))
    step = np.maximum(step, 8 * np.spacing(np.abs(x)).astype(wide(dtype)))
    ratio = np.abs(u[u != 0]) / step[u != 0]  # 8 … 15 units of a power of 2 in (step/16, step/8]
    assert ratio.min() > 0.5 and ratio.max() < 2
    assert np.count_nonzero(u) >= 0.99 * x.size
    assert 0.4 < np.mean(u > 0) < 0.6


def test_the_probe_of_a_power_of_two_steps_by_its_128th():
    x = np.array([1.0, 2.0, 4.0, 0.5])
    u = probe(x, 1e-9 * x, SPACINGS[-1] * 1e9)  # spacing·h beyond x/128
    k = np.abs(u) / (x / 1024)
    np.testing.assert_array_equal(k, np.round(k))
    assert k.min() >= 8 and k.max() <= 15


def test_the_noise_of_an_exact_float128_sum_is_float128_rounding():
    x = np.array([LD(1) / 3, LD(2) / 3, LD(5) / 7])
    f = lambda x: np.sum(x)  # noqa: E731
    half = float(np.finfo(LD).eps) ** (1 / 3) * np.abs(x)
    sigma, moved = noise(f, x, half, f(x), Real(f))
    assert moved and sigma < 10 * np.finfo(LD).eps


def test_noise_says_whether_f_moved():
    x = np.ones(3)
    f = lambda x: float(x.sum())  # noqa: E731
    assert noise(f, x, 1e-5 * x, 3.0, Real(f)) == (0.0, True)  # exact sums: no noise
    g = lambda x: 3.0  # noqa: E731
    assert noise(g, x, 1e-5 * x, 3.0, Real(g)) == (0.0, False)


@pytest.mark.parametrize("t", [1, 2, 5])
def test_a_nonfinite_probe_point_is_named_with_its_distance(t):
    x = np.array([1.0, 2.0])
    half = 1e-5 * np.ones(2)
    u = probe(x, half, SPACINGS[0])
    calls = []

    def f(x):
        calls.append(None)
        return np.inf if len(calls) == t else float(x.sum())

    distance = t * float(np.abs(u).max())
    with pytest.raises(ValueError) as error:
        noise(f, x, half, 3.0, Real(f), name="W")
    assert str(error.value) == (
        f"f (test_a_nonfinite_probe_point_is_named_with_its_distance.<locals>.f) returned inf "
        f"at W + {t}·u, a probe point within {distance:.1e} of W in every element: f must be "
        "finite near W"
    )


def far(radius):
    x0 = np.ones(3)
    return lambda x: float(x.sum()) if np.max(np.abs(x - x0)) < radius else np.inf


def test_f_must_be_finite_up_to_the_checks_own_step():
    # the sums are exact: the probe goes on to spacing 1, where it reaches beyond 2.5e-5
    with pytest.raises(ValueError, match=r"returned inf at x \+ \d·u, a probe point within"):
        check_gradient(far(2.5e-5), np.ones(3), np.ones(3))


def test_beyond_the_checks_step_a_nonfinite_f_ends_the_probe():
    calls = []
    f = far(1e-3)
    result = check_gradient(lambda x: calls.append(None) or f(x), np.ones(3), np.ones(3))
    assert result.passed
    assert len(calls) < 4 * 3 + 1 + M * len(SPACINGS)


def tables(*rows):
    """An f that returns the given probe tables' values, t = 1 … m, one table per spacing."""
    values = iter(np.concatenate([row[1:] for row in rows]))
    return lambda x: float(next(values))


NOISY = np.array([0.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0, 1.0, -1.0])  # only f(x) = 0


@pytest.mark.parametrize(("differ", "tables_seen"), [(4, 2), (5, 1)])
def test_a_table_counts_when_more_than_half_of_its_values_differ_from_f_x(differ, tables_seen):
    first = np.zeros(M + 1)
    first[M + 1 - differ :] = NOISY[1 : 1 + differ]  # noise in the last `differ` values
    assert estimate(first)[1]
    f = tables(first, NOISY, NOISY, NOISY, NOISY)
    calls = []
    noise(lambda x: calls.append(None) or f(x), np.ones(2), 1e-5 * np.ones(2), 0.0, Real(f))
    assert len(calls) == M * tables_seen


def test_f_is_named_when_it_never_read_its_copy_or_returned_nan():
    named.value = 1.0
    with pytest.raises(ValueError, match=r"^f \(named\) returned the same value at every"):
        numerical_gradient(named, [1.0, 2.0])
    named.value = np.nan
    with pytest.raises(ValueError, match=r"^f \(named\) returned nan with W\[0\] \+ h"):
        check_gradient(named, np.ones(2), np.ones(2), name="W")


def test_x_plus_and_minus_h_are_computed_in_float128():
    x = np.array([LD(1) / 3])
    seen = []
    numerical_gradient(lambda x: seen.append(x[0]) or x[0], x, h=1e-4)
    assert seen == [x[0] + LD(1e-4), x[0] - LD(1e-4)]


def test_the_probe_points_of_a_float128_x_are_x_plus_t_u_in_float128():
    x = np.array([LD(1) / 3, LD(2) / 3])
    half = 1e-6 * np.ones(2)
    u = probe(x, half, SPACINGS[0])
    seen = []

    def f(x):
        seen.append(x.copy())
        return np.sum(x)

    noise(f, x, half, f(x), Real(f))
    points = [x + t * u for t in range(1, M + 1)]
    np.testing.assert_array_equal(seen[1 : M + 1], points)


def test_the_probe_names_f_when_it_writes_into_x():
    def scaling(x):
        x *= 2
        return float(x.sum())

    with pytest.raises(ValueError, match=r"^f \(.*scaling\) wrote into its argument while its"):
        noise(scaling, np.ones(2), 1e-5 * np.ones(2), 2.0, Real(scaling))
