"""numerical_gradient and jacobian: the central difference, safe for the caller's array."""

import numpy as np
import pytest
from examples import B_EXAMPLE, W_EXAMPLE, X_SINGLE, clipping, doubling

from affine import forward, jacobian, numerical_gradient, total


def test_central_difference_is_exact_for_a_quadratic():
    # (f(x+h) - f(x-h)) / 2h has no truncation error when f''' = 0
    x = np.array([0.5, -2.0, 3.0])
    grad = numerical_gradient(lambda x: float(np.sum(x**2 + 3 * x)), x, h=1e-3)
    np.testing.assert_allclose(grad, 2 * x + 3, rtol=1e-9)


def test_central_difference_error_is_second_order_in_h():
    # for sin, the error is h²/6 |cos'''| = h²/6 |cos x|: halving h quarters it
    x = np.array([0.7])
    errors = [
        abs(numerical_gradient(lambda x: float(np.sin(x[0])), x, h)[0] - np.cos(0.7))
        for h in (1e-2, 5e-3)
    ]
    assert errors[0] / errors[1] == pytest.approx(4.0, rel=1e-3)
    assert errors[0] == pytest.approx(1e-4 / 6 * np.cos(0.7), rel=1e-3)


def test_result_is_float64_with_xs_shape():
    x = np.ones((2, 3, 4), dtype=np.float32)
    grad = numerical_gradient(lambda x: float(x.sum()), x)
    assert grad.shape == x.shape and grad.dtype == np.float64


def test_x_is_restored_exactly():
    rng = np.random.default_rng(4)
    x = rng.normal(size=(3, 4)) * 1e3
    before = x.copy()
    numerical_gradient(lambda x: float(np.sum(np.sin(x))), x)
    np.testing.assert_array_equal(x, before)  # bit for bit


def test_x_is_restored_when_f_raises():
    x = np.array([[1.0, 2.0], [3.0, 4.0]])
    before = x.copy()
    calls = []

    def f(x):
        calls.append(x.copy())
        if len(calls) == 4:  # x[0, 1] is perturbed now
            raise ZeroDivisionError("boom")
        return float(x.sum())

    with pytest.raises(ZeroDivisionError, match="boom"):
        numerical_gradient(f, x)
    assert not np.array_equal(calls[-1], before)  # f did see a perturbed x
    np.testing.assert_array_equal(x, before)


def test_a_closure_that_ignores_its_argument_sees_the_perturbation():
    # the textbook habit: numerical_gradient(lambda W: loss(), W)
    X, W, b = X_SINGLE.copy(), W_EXAMPLE.copy(), B_EXAMPLE.copy()
    grad = numerical_gradient(lambda _: total(forward(X, W, b)), W)
    np.testing.assert_allclose(grad, [[1, 1, 1], [2, 2, 2]], rtol=1e-9)
    np.testing.assert_array_equal(W, W_EXAMPLE)


def test_integer_array_is_differentiated_on_a_float64_copy():
    W = np.array([[1, 2, 3], [4, 5, 6]])
    X = np.array([[1, 2]])
    before = X.copy()
    grad = numerical_gradient(lambda X: total(forward(X, W, [1, 2, 3])), X)
    np.testing.assert_allclose(grad, [[6.0, 15.0]], rtol=1e-9)
    assert X.dtype == before.dtype
    np.testing.assert_array_equal(X, before)


def test_read_only_array_and_list_are_differentiated_on_a_copy():
    x = np.array([1.0, 2.0])
    x.flags.writeable = False
    np.testing.assert_allclose(numerical_gradient(lambda x: float(x @ x), x), [2, 4], rtol=1e-9)
    np.testing.assert_allclose(
        numerical_gradient(lambda x: float(x @ x), [1, 2]), [2, 4], rtol=1e-9
    )


def test_float32_divides_by_the_step_actually_taken():
    # x + h and x - h are rounded to float32: dividing by the true step keeps the
    # slope of a linear function exact, dividing by 2h would not
    x = np.array([1.0, 300.0], dtype=np.float32)
    grad = numerical_gradient(lambda x: float(np.float64(x[0]) + 3 * np.float64(x[1])), x)
    np.testing.assert_allclose(grad, [1.0, 3.0], rtol=1e-12)


def test_scalar_x():
    assert numerical_gradient(lambda x: float(x) ** 3, 2.0).shape == ()
    assert numerical_gradient(lambda x: float(x) ** 3, 2.0) == pytest.approx(12.0)


@pytest.mark.parametrize("h", [0, -1e-4, np.nan, np.inf, "1e-4", None, [1e-4], True])
def test_h_must_be_positive_and_finite(h):
    with pytest.raises(ValueError, match="h must be a positive finite number"):
        numerical_gradient(lambda x: float(x.sum()), np.ones(2), h=h)


def test_h_too_small_to_change_x_is_named():
    with pytest.raises(ValueError, match=r"too small to change x\[1\] = .*1000"):
        numerical_gradient(lambda x: float(x.sum()), np.array([1.0, 1e3]), h=1e-15)


@pytest.mark.parametrize("value", [np.ones(3), np.ones((1,)), [1.0, 2.0]])
def test_f_must_return_a_scalar(value):
    x = np.ones(2)
    with pytest.raises(ValueError, match=r"f must return a scalar.*shape"):
        numerical_gradient(lambda _: value, x)
    np.testing.assert_array_equal(x, np.ones(2))


def test_jacobian_of_the_affine_map_is_W_transposed():
    J = jacobian(lambda X: forward(X, W_EXAMPLE, B_EXAMPLE), np.array([1.0, 2.0]))
    np.testing.assert_allclose(J, W_EXAMPLE.T, rtol=1e-9)


def test_jacobian_shape_is_output_shape_then_input_shape():
    rng = np.random.default_rng(5)
    A = rng.normal(size=(4, 2, 3))
    x = rng.normal(size=(2, 3))
    J = jacobian(lambda x: np.tensordot(A, x, axes=2) ** 2, x)
    assert J.shape == (4, 2, 3)
    np.testing.assert_allclose(J, 2 * np.tensordot(A, x, axes=2)[:, None, None] * A, rtol=1e-7)


def test_jacobian_copies_an_output_that_is_a_view_of_x():
    x = np.array([1.0, 2.0])
    np.testing.assert_allclose(jacobian(lambda x: x, x), np.eye(2), rtol=1e-9)
    np.testing.assert_array_equal(x, [1.0, 2.0])


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_the_closure_idiom_works_in_every_float_dtype(dtype):
    W = W_EXAMPLE.astype(dtype)
    grad = numerical_gradient(lambda _: float(np.sum(forward(X_SINGLE, W, B_EXAMPLE))), W, h=0.25)
    np.testing.assert_allclose(grad, [[1, 1, 1], [2, 2, 2]], rtol=1e-9)
    assert W.dtype == dtype
    np.testing.assert_array_equal(W, W_EXAMPLE)


def test_a_closure_on_a_copy_is_an_error_not_a_zero_gradient():
    W = W_EXAMPLE.astype(np.float32)
    W.flags.writeable = False
    with pytest.raises(ValueError, match=r"x is read-only, so it was perturbed as a copy, and f"):
        numerical_gradient(lambda _: float(forward(X_SINGLE, W, B_EXAMPLE).sum()), W)
    with pytest.raises(ValueError, match=r"x is a list, .* f must compute from its argument"):
        numerical_gradient(lambda _: 1.0, [1.0, 2.0])
    with pytest.raises(ValueError, match=r"x has dtype int64, .*writeable float array"):
        jacobian(lambda _: np.ones(2), np.array([1, 2]))


def test_read_only_float32_is_copied_in_float32():
    x = np.array([1.0, 2.0], dtype=np.float32)
    x.flags.writeable = False
    seen = []
    numerical_gradient(lambda x: seen.append(x.dtype) or float(x.sum()), x)
    assert set(seen) == {np.dtype(np.float32)}


def my_f(x):
    return my_f.value


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        ("1.0", TypeError, r"f must return a real number, but f \(my_f\) returned '1.0' \(str\)"),
        (None, TypeError, r"returned None \(NoneType\)"),
        (2j, TypeError, r"returned 2j \(complex\)"),
        (False, TypeError, r"returned False \(bool\)"),
        (np.array([1.0]), ValueError, r"f \(my_f\) returned an array of shape \(1,\)"),
    ],
)
def test_f_must_return_a_real_scalar_named_in_the_error(value, error, match):
    my_f.value = value
    x = np.ones(2)
    with pytest.raises(error, match=match):
        numerical_gradient(my_f, x)
    np.testing.assert_array_equal(x, np.ones(2))


@pytest.mark.parametrize(
    ("value", "error", "match"),
    [
        (None, TypeError, r"f must return a real array, but f \(my_f\) returned None"),
        (np.array(["a"]), TypeError, r"returned array\(\['a'\]"),
        (np.array([1 + 1j]), TypeError, r"\(ndarray\)"),
        ([True], TypeError, r"returned \[True\] \(list\)"),
    ],
)
def test_jacobian_f_must_return_a_real_array(value, error, match):
    my_f.value = value
    with pytest.raises(error, match=match):
        jacobian(my_f, np.ones(2))


def test_jacobian_f_must_keep_its_shape():
    with pytest.raises(
        ValueError, match=r"returned shape \(2,\) at one point and \(1,\) at another"
    ):
        jacobian(lambda x: np.ones(1 + int(x[0] > 1)), np.ones(2))


@pytest.mark.parametrize("bad", [np.nan, -np.inf])
def test_f_must_be_finite(bad):
    with pytest.raises(ValueError, match=rf"returned {bad} with x\[0\] - h: f must be finite"):
        numerical_gradient(lambda x: bad if x[0] < 1 else float(x.sum()), np.ones(2))
    with pytest.raises(ValueError, match=rf"returned {bad} with x\[1\] \+ h"):
        jacobian(lambda x: np.array([0.0, bad]) if x[1] > 1 else x, np.ones(2))


def test_x_must_be_finite():
    with pytest.raises(ValueError, match=r"x must be finite, but x\[1\] = inf"):
        numerical_gradient(lambda x: float(x.sum()), np.array([1.0, np.inf]))


def doubling_all(x):
    x *= 2
    return x.copy()


@pytest.mark.parametrize(
    ("differentiate", "f"),
    [(numerical_gradient, doubling), (numerical_gradient, clipping), (jacobian, doubling_all)],
)
def test_f_that_writes_into_its_argument_is_an_error_and_x_is_restored(differentiate, f):
    x = np.array([0.25, 1.0, -3.0])
    before = x.copy()
    with pytest.raises(ValueError, match=rf"f \({f.__name__}\) wrote into its argument"):
        differentiate(f, x)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize(("target", "written"), [(0, 2), (2, 0)])
def test_a_write_to_another_element_is_caught(target, written):
    x = np.array([1.0, 2.0, 3.0])
    before = x.copy()

    def f(x):
        if x[target] > before[target]:
            x[written] = 7.0  # only while another element is perturbed
        return float(x.sum())

    with pytest.raises(ValueError, match=rf"wrote into its argument: x\[{written}\] changed"):
        numerical_gradient(f, x)
    np.testing.assert_array_equal(x, before)


def test_two_evaluations_per_element():
    calls = []
    numerical_gradient(lambda x: calls.append(None) or float(x.sum()), np.ones((3, 4)))
    assert len(calls) == 2 * 12


def test_float128_and_big_endian_x_are_restored_exactly():
    for dtype in (np.longdouble, np.dtype(">f8")):
        x = np.array([1.0, 1 / 3], dtype=dtype)
        before = x.copy()
        grad = numerical_gradient(lambda x: x @ x, x)
        np.testing.assert_allclose(grad, 2 * before.astype(np.float64), rtol=1e-9)
        np.testing.assert_array_equal(x, before)
        assert x.dtype == dtype


def test_h_that_overflows_x_is_named():
    with pytest.raises(
        ValueError, match=r"h=1e\+06 takes x\[0\] = 1.0 beyond the range of float16"
    ):
        numerical_gradient(lambda x: float(x.sum()), np.ones(2, np.float16), h=1e6)
