r"""The gradient check: an analytic gradient against `numerical_gradient`."""

from dataclasses import dataclass

import numpy as np

from ._arrays import as_real
from .numerical import numerical_gradient

RTOL = {np.dtype(np.float64): 1e-6, np.dtype(np.float32): 1e-3, np.dtype(np.float16): 1e-2}
"""The default tolerance on the relative error, by the dtype of the analytic gradient."""


@dataclass(frozen=True)
class GradientCheck:
    """The outcome of `check_gradient`; true when the check passed.

    Examples
    --------
    >>> result = GradientCheck(max_abs_error=2e-11, max_rel_error=4e-12,
    ...                        rtol=1e-6)
    >>> print(result)
    passed: max rel error 4.0e-12 (tolerance 1e-06), max abs error 2.0e-11
    >>> bool(result)
    True
    """

    max_abs_error: float
    """The largest absolute difference between the two gradients."""
    max_rel_error: float
    """max_abs_error over the largest magnitude in either gradient (at least `floor`)."""
    rtol: float
    """The tolerance: the check passes when max_rel_error <= rtol."""

    @property
    def passed(self):
        return bool(self.max_rel_error <= self.rtol)  # a NaN error fails

    def __bool__(self):
        return self.passed

    def __str__(self):
        verdict = "passed" if self.passed else "FAILED"
        return (
            f"{verdict}: max rel error {self.max_rel_error:.1e} (tolerance {self.rtol:.0e}), "
            f"max abs error {self.max_abs_error:.1e}"
        )


def check_gradient(f, x, analytic, h=1e-4, rtol=None, floor=1e-10):
    r"""Compare an analytic gradient with the central difference of `f` at `x`.

    Parameters
    ----------
    f : callable
        ``f(x) -> scalar``, as for `numerical_gradient`.
    x : array_like
        The point. A float64 array is perturbed in place (so ``f`` may read it
        from an enclosing scope); an array of any other dtype is checked in float64:
        `f` receives a float64 copy and must use its argument.
    analytic : array_like, shape of x
        The gradient to check, for instance ``backward(dY, X, W).dW``.
    h : float, optional
        The half step of the central difference, 1e-4 by default.
    rtol : float, optional
        The largest relative error that passes. By default it depends on the
        dtype of `analytic`: 1e-6 for float64, 1e-3 for float32, 1e-2 for float16.
    floor : float, optional
        The smallest denominator of the relative error, 1e-10 by default.

    Returns
    -------
    GradientCheck
        It prints the verdict, the largest relative error with its tolerance
        and the largest absolute error, and is true when the check passed.

    Notes
    -----
    The relative error is taken against the scale of the whole gradient,

    .. math::

        \text{rel} = \frac{\max_i |a_i - n_i|}{\max(\max_i |a_i|,\ \max_i |n_i|,\ \text{floor})}

    because the error of a central difference, round-off :math:`\epsilon |f| / h`
    plus truncation :math:`h^2 |f'''| / 6`, is of the same size in every element:
    an element that is nearly zero says nothing by itself. A correct float64 gradient
    of the affine layer shows about 1e-9 or less at h = 1e-4; a wrong formula shows
    an error of order 1.

    Examples
    --------
    >>> import numpy as np
    >>> from affine import backward, forward
    >>> W = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    >>> b = np.array([1.0, 2.0, 3.0])
    >>> X = np.array([[1.0, 2.0], [2.0, 3.0]])
    >>> dX, dW, db = backward(np.ones((2, 3)), X, W)
    >>> def f(_):
    ...     return forward(X, W, b).sum()
    >>> result = check_gradient(f, W, dW)
    >>> result.passed, result.max_rel_error < 1e-9
    (True, True)
    >>> check_gradient(f, W, dW.T.reshape(W.shape)).passed  # reshape is no transpose
    False
    """
    a = as_real("analytic", analytic)
    x_shape = np.shape(x)
    if a.shape != x_shape:
        raise ValueError(f"analytic has shape {a.shape} but x has shape {x_shape}")
    if rtol is None:
        rtol = RTOL[a.dtype]
    if not (isinstance(x, np.ndarray) and x.dtype == np.float64):
        x = np.array(as_real("x", x), dtype=np.float64)
    n = numerical_gradient(f, x, h)
    a = a.astype(np.float64)
    abs_error = float(np.max(np.abs(a - n), initial=0.0))
    scale = max(float(np.max(np.abs(a), initial=0.0)), float(np.max(np.abs(n), initial=0.0)), floor)
    return GradientCheck(abs_error, abs_error / scale, float(rtol))
