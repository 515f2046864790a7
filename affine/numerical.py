r"""Numerical differentiation: the central difference, element by element."""

import numpy as np

from ._arrays import as_real


def describe(f):
    """The name of f for a message: its ``__qualname__``, else its repr."""
    return getattr(f, "__qualname__", None) or repr(f)


def index(name, shape, i):
    """``'W[1, 2]'``: flat position `i` of an array called `name` of this shape."""
    if not shape:
        return name
    return f"{name}[{', '.join(str(int(k)) for k in np.unravel_index(i, shape))}]"


def _check_h(h):
    real = isinstance(h, int | float | np.integer | np.floating) and not isinstance(h, bool)
    if not (real and np.isfinite(h) and h > 0):
        raise ValueError(f"h must be a positive finite number, got h={h!r}")
    return float(h)


def working_array(x, name="x"):
    """The array to perturb and why it is a copy (``None`` when it is x itself).

    A writeable float array of any float dtype is perturbed in place, in its own
    dtype. Anything else is copied: integers and lists to float64, a read-only
    float array in its own dtype.
    """
    if isinstance(x, np.ndarray) and x.dtype.kind == "f" and x.flags.writeable:
        work, copied = x, None
    else:
        if not isinstance(x, np.ndarray):
            copied = f"{name} is a {type(x).__name__}"
        elif x.dtype.kind == "f":
            copied = f"{name} is read-only"
        else:
            copied = f"{name} has dtype {x.dtype}"
        work = np.array(as_real(name, x))
    bad = ~np.isfinite(work)
    if bad.any():
        i = int(np.argmax(bad.ravel()))
        raise ValueError(
            f"{name} must be finite, but {index(name, work.shape, i)} = {work.flat[i]}"
        )
    return work, copied


def wide(*dtypes):
    """float64, or a longer float when one of `dtypes` has more precision."""
    return np.result_type(np.float64, *dtypes)  # pragma: no mutate (numpy reads None as float64)


def perturbations(x, h, name="x"):
    """``x + h`` and ``x - h`` as stored in x's dtype, and the step taken between them.

    `h` is a number or an array of x's shape. The step is computed in `wide`
    precision from the stored values, so it is exact for float16 and float32.
    """
    w = wide(x.dtype)
    with np.errstate(over="ignore"):
        up = (x.astype(w) + h).astype(x.dtype)
        down = (x.astype(w) - h).astype(x.dtype)
    steps = up.astype(w) - down.astype(w)
    bad = ~(np.isfinite(steps) & (steps > 0))
    if bad.any():
        i = int(np.argmax(bad.ravel()))
        hi, where, xi = (
            float(np.ravel(h)[i] if np.ndim(h) else h),
            index(name, x.shape, i),
            x.flat[i],
        )
        if steps.flat[i] == 0:
            raise ValueError(f"h={hi:g} is too small to change {where} = {xi} in {x.dtype}")
        raise ValueError(f"h={hi:g} takes {where} = {xi} beyond the range of {x.dtype}")
    return up, down, steps


def _elements(a):
    """The elements of `a` in C order, as values that hold them exactly."""
    fast = a.dtype.itemsize <= 8  # pragma: no mutate (Python floats hold float64 exactly)
    return a.ravel().tolist() if fast else list(a.ravel())  # pragma: no mutate (only faster)


def _restored(f, x, snapshot, name):
    """Check that f left x as it was; if not, restore x and raise."""
    if not np.array_equal(x, snapshot):
        i = int(np.argmax((x != snapshot).ravel()))
        np.copyto(x, snapshot)
        raise ValueError(
            f"f ({describe(f)}) wrote into its argument: {index(name, x.shape, i)} changed "
            f"while f ran; {name} has been restored. f must compute from x without changing it"
        )


def evaluate(f, x, convert, name="x"):
    """``convert(f(x))``, with x restored and an error if f changed it."""
    snapshot = x.copy()
    try:
        value = convert(f(x))
    except BaseException:
        np.copyto(x, snapshot)
        raise
    _restored(f, x, snapshot, name)
    return value


def sweep(f, x, points, convert, name="x"):
    """``values[i, k] = convert(f(x))`` with element i of x set to ``points[k]``'s.

    x is perturbed in place, one element at a time, in its own dtype. It is
    restored from a snapshot when f raises, and an error says so when f writes
    into it (checked at the perturbed element after every call, at each element
    before it is perturbed, and everywhere at the end: every write is seen at
    O(1) cost per call), so x is never left changed.
    """
    snapshot = x.copy()
    flat = x.flat  # writes through to x whatever its strides
    columns = [_elements(p) for p in points]
    values = []
    try:
        for i, xi in enumerate(_elements(snapshot)):
            if flat[i] != xi:  # written while an earlier element was perturbed
                _restored(f, x, snapshot, name)
            for column in columns:
                flat[i] = column[i]
                values.append(convert(f(x)))
                if flat[i] != column[i]:
                    raise ValueError(
                        f"f ({describe(f)}) wrote into its argument: it changed "
                        f"{index(name, x.shape, i)} from the perturbed value {column[i]} "
                        f"to {flat[i]}; {name} has been restored. f must compute from x "
                        "without changing it"
                    )
            flat[i] = xi
    except BaseException:
        np.copyto(x, snapshot)
        raise
    _restored(f, x, snapshot, name)  # elements written after they were done
    return np.array(values, dtype=wide(*convert.dtypes)).reshape(
        (x.size, len(points), *convert.shape)
    )


class Real:
    """Checks that f returns a real scalar (or, with ``array=True``, a real array of fixed shape).

    Remembers the dtypes f returned, for the round-off estimate.
    """

    def __init__(self, f, array=False):
        self.f, self.array, self.shape, self.dtypes = f, array, (), set()

    def __call__(self, value):
        if not self.array and isinstance(value, float):  # also numpy's float64: the fast path
            return value
        a = np.array(value) if self.array else np.asarray(value)  # pragma: no mutate (a copy)
        if not (np.issubdtype(a.dtype, np.integer) or np.issubdtype(a.dtype, np.floating)):
            what = "a real array" if self.array else "a real number"
            raise TypeError(
                f"f must return {what}, but f ({describe(self.f)}) returned "
                f"{repr(value)[:80]} ({type(value).__name__})"
            )
        if self.array:
            if not self.dtypes:
                self.shape = a.shape
            elif a.shape != self.shape:
                raise ValueError(
                    f"f ({describe(self.f)}) returned shape {a.shape} at one point and "
                    f"{self.shape} at another"
                )
        elif a.ndim != 0:
            raise ValueError(
                f"f must return a scalar, but f ({describe(self.f)}) returned an array of "
                f"shape {a.shape}"
            )
        self.dtypes.add(a.dtype)
        return a[()]  # a 0-d array as its scalar, any other as it is


LABELS = ("+ h", "- h", "+ 2h", "- 2h")
"""Which perturbation a column of `sweep`'s values holds."""


def check_values(f, values, x, copied, name="x", base=None):
    """Raise if f returned NaN or infinity, or if f never moved on a copy of x."""
    bad = ~np.isfinite(values)
    if bad.any():
        i, k = (int(j) for j in np.unravel_index(np.argmax(bad), values.shape)[:2])
        raise ValueError(
            f"f ({describe(f)}) returned {np.ravel(values[i, k])[np.ravel(bad[i, k])][0]} with "
            f"{index(name, x.shape, i)} {LABELS[k]}: f must be finite near {name}"
        )
    if copied and values.size and np.all(values == (values.max() if base is None else base)):
        raise ValueError(
            f"f ({describe(f)}) returned the same value at every perturbed point: {copied}, "
            f"so it was perturbed as a copy, and f never read the copy. f must compute from "
            f"its argument, or {name} must be a writeable float array"
        )


def numerical_gradient(f, x, h=1e-4):
    r"""The gradient of a scalar function by central differences.

    .. math::

        \frac{\partial f}{\partial x_i} \approx
        \frac{f(x + h e_i) - f(x - h e_i)}{s_i}, \qquad
        s_i = \mathrm{fl}(x_i + h) - \mathrm{fl}(x_i - h) \approx 2h

    Parameters
    ----------
    f : callable
        ``f(x) -> real scalar`` (a Python or NumPy int or float, or a 0-d real
        array). It may ignore its argument and read `x` from an enclosing scope
        (``lambda _: loss()``) when `x` is a writeable float array: such an array
        is perturbed in place, in its own dtype, one element at a time. f must
        not write into its argument.
    x : array_like
        The point. A writeable float array (float16, float32, float64, …) is
        perturbed in place and restored; anything else (integers, a read-only
        array, a list) is copied first (integers to float64) and `f` receives the
        copy, so it must use its argument.
    h : float, optional
        The half step, 1e-4 by default (an absolute step, the same for every
        element).

    Returns
    -------
    ndarray, float64 (longer for float128 `x`), shape of x

    Raises
    ------
    ValueError
        If ``h <= 0`` or `h` is too small to change an element of `x`; if `x` is
        not finite; if `f` returns an array, NaN or infinity, writes into its
        argument, or never moves although `x` had to be copied.
    TypeError
        If `f` returns something other than a real number (None, a bool, a
        complex number, a string, …).

    Notes
    -----
    The quotient divides by the step actually taken, :math:`s_i`, with
    :math:`x_i \pm h` as stored in x's dtype: in float64 it is 2h up to
    round-off, in float32 it is not. `x` is restored from a snapshot when `f`
    raises or writes into it, so it is never left changed. Two evaluations of
    `f` per element.

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
    x, copied = working_array(x)
    up, down, steps = perturbations(x, h)
    values = sweep(f, x, [up, down], Real(f))
    check_values(f, values, x, copied)
    return np.reshape(values[:, 0] - values[:, 1], x.shape) / steps


def jacobian(f, x, h=1e-4):
    r"""The Jacobian of an array-valued function by central differences.

    .. math::

        J_{j,k} = \frac{\partial f_j}{\partial x_k} \approx
        \frac{f_j(x + h e_k) - f_j(x - h e_k)}{s_k}, \qquad
        s_k = \mathrm{fl}(x_k + h) - \mathrm{fl}(x_k - h) \approx 2h

    Parameters
    ----------
    f : callable
        ``f(x) -> real array`` of the same shape at every point; the same rules
        for its argument as in `numerical_gradient`.
    x : array_like
    h : float, optional
        The half step, 1e-4 by default.

    Returns
    -------
    ndarray, float64, shape ``f(x).shape + x.shape``
        For a vector x of length n and an f with m outputs, the m×n Jacobian
        matrix: row j is the gradient of output j.

    Raises
    ------
    ValueError, TypeError
        As for `numerical_gradient`, and if `f` returns arrays of different shapes.

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
    x, copied = working_array(x)
    convert = Real(f, array=True)
    base = evaluate(f, x, convert)  # fixes the output shape, also for an empty x
    up, down, steps = perturbations(x, h)
    values = sweep(f, x, [up, down], convert)
    check_values(f, values, x, copied, base=base)
    differences = np.reshape(values[:, 0] - values[:, 1], x.shape + base.shape)
    J = differences / steps.reshape(x.shape + (1,) * base.ndim)
    return np.moveaxis(J, range(x.ndim), range(-x.ndim, 0))
