r"""Numerical differentiation: the central difference, element by element."""

import numpy as np

from ._arrays import as_real


def _check_h(h):
    real = isinstance(h, int | float | np.integer | np.floating) and not isinstance(h, bool)
    if not (real and np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive finite number, got h={h!r}")
    return float(h)


def _working_array(x):
    """The array to perturb: `x` itself when it can hold x + h, else a float64 copy."""
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.flags.writeable:
        return x
    return np.array(as_real("x", x), dtype=np.float64)


def _central_differences(f, x, h):
    """``[f(x + h e_i) - f(x - h e_i) for each i]`` in C order, and the steps taken.

    x is perturbed in place, one element at a time, and every element is restored
    in a ``finally`` clause, so x is left exactly as it was even when f raises.
    The step is the distance actually travelled, ``(x_i + h) - (x_i - h)`` as
    stored in x's dtype, which is 2h up to rounding.
    """
    up, down = x + h, x - h  # in x's dtype
    steps = up.astype(np.float64) - down.astype(np.float64)
    if not steps.all():
        i = tuple(int(k) for k in np.unravel_index(np.argmin(steps != 0), x.shape))
        raise ValueError(
            f"h={h!r} is too small to change x{list(i)} = {x[i].item()!r} in {x.dtype}"
        )
    flat = x.flat  # writes through to x whatever its strides
    differences = []
    for i, (xi, xi_up, xi_down) in enumerate(
        zip(x.ravel().tolist(), up.ravel().tolist(), down.ravel().tolist(), strict=True)
    ):
        try:
            flat[i] = xi_up
            f_up = f(x)
            flat[i] = xi_down
            f_down = f(x)
        finally:
            flat[i] = xi  # a Python float holds any float16, float32 or float64 exactly
        differences.append(f_up - f_down)
    return differences, steps


def _scalar(value):
    if isinstance(value, float):  # also numpy's float64
        return value
    if np.ndim(value) != 0:
        raise ValueError(
            f"f must return a scalar, but it returned an array of shape {np.shape(value)}"
        )
    return float(value)


def numerical_gradient(f, x, h=1e-4):
    r"""The gradient of a scalar function by central differences.

    .. math::

        \frac{\partial f}{\partial x_i} \approx
        \frac{f(x + h e_i) - f(x - h e_i)}{2h}

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar``. It may ignore its argument and read `x` from an
        enclosing scope (``lambda _: loss()``) when `x` is a writeable float array:
        such an array is perturbed in place, one element at a time.
    x : array_like
        The point. A float array that can be written is perturbed in place and
        restored (in a ``finally`` clause, so also when `f` raises); anything else
        (integers, a read-only array, a list) is copied to float64 first and `f`
        receives the copy, so it must use its argument.
    h : float, optional
        The half step, 1e-4 by default.

    Returns
    -------
    ndarray, float64, shape of x

    Raises
    ------
    ValueError
        If ``h <= 0`` or `h` is too small to change an element of `x`, or if
        `f` does not return a scalar.

    Notes
    -----
    The difference quotient divides by the step actually taken,
    ``(x_i + h) - (x_i - h)`` as stored in x's dtype, rather than by the nominal
    2h: in float64 the two agree up to round-off, in float32 they do not.

    Examples
    --------
    The worked example: f(X) = sum of Y = X·W + b, whose gradient is (6, 15).

    >>> import numpy as np
    >>> from affine import forward
    >>> W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> b = np.array([1.0, 2.0, 3.0])
    >>> X = np.array([[1.0, 2.0]])
    >>> print(numerical_gradient(lambda X: forward(X, W, b).sum(), X))
    [[ 6. 15.]]

    A closure that ignores its argument sees W change in place:

    >>> print(numerical_gradient(lambda _: forward(X, W, b).sum(), W))
    [[1. 1. 1.]
     [2. 2. 2.]]

    Integer arrays are differentiated on a float64 copy:

    >>> x = np.array([[1, 2]])
    >>> print(numerical_gradient(lambda x: (x**2 * [3, 5]).sum(), x))
    [[ 6. 20.]]
    """
    h = _check_h(h)
    x = _working_array(x)
    differences, steps = _central_differences(lambda x: _scalar(f(x)), x, h)
    return np.reshape(differences, x.shape) / steps


def jacobian(f, x, h=1e-4):
    r"""The Jacobian of an array-valued function by central differences.

    .. math::

        J_{j,k} = \frac{\partial f_j}{\partial x_k} \approx
        \frac{f_j(x + h e_k) - f_j(x - h e_k)}{2h}

    Parameters
    ----------
    f : callable
        ``f(x) -> array``; the same rules for its argument as in
        `numerical_gradient`.
    x : array_like
    h : float, optional

    Returns
    -------
    ndarray, float64, shape ``f(x).shape + x.shape``
        For a vector x of length n and an f with m outputs, the m×n Jacobian
        matrix: row j is the gradient of output j.

    Examples
    --------
    The Jacobian of Y = X·W + b with respect to X holds w_jk in row j, column k,
    eq. (5): it is W transposed.

    >>> import numpy as np
    >>> from affine import forward
    >>> W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> b = np.array([1.0, 2.0, 3.0])
    >>> print(jacobian(lambda X: forward(X, W, b), np.array([1.0, 2.0])))
    [[1. 4.]
     [2. 5.]
     [3. 6.]]
    """
    h = _check_h(h)
    x = _working_array(x)
    out_shape = np.shape(f(x))

    def F(x):
        value = np.array(f(x), dtype=np.float64)  # a copy: f may return a view of x
        if value.shape != out_shape:
            raise ValueError(
                f"f returned shape {value.shape} at one point and {out_shape} at another"
            )
        return value

    differences, steps = _central_differences(F, x, h)
    J = np.reshape(differences, x.shape + out_shape) / steps.reshape(
        x.shape + (1,) * len(out_shape)
    )
    return np.moveaxis(J, range(x.ndim), range(-x.ndim, 0))
