r"""The gradient check: an analytic gradient against central differences, element by element."""

import math
from dataclasses import dataclass

import numpy as np

from ._arrays import as_real
from .noise import noise
from .numerical import (
    Real,
    _check_h,
    check_values,
    evaluate,
    index,
    perturbations,
    sweep,
    wide,
    working_array,
)

K = 16
"""The safety factor of the round-off estimate: two evaluations of f, 8 roundings each."""

C = 6
r"""The factor on f's measured noise :math:`\hat\sigma`: √2 for two evaluations, times 4."""


def _rtol(rtol, dtype):
    if rtol is None:
        return math.sqrt(float(np.finfo(dtype).eps))
    real = isinstance(rtol, int | float | np.integer | np.floating) and not isinstance(rtol, bool)
    if not (real and np.isfinite(rtol) and rtol >= 0):
        raise ValueError(f"rtol must be a finite number >= 0, got rtol={rtol!r}")
    return float(rtol)


def _resolution(resolution):
    real = isinstance(resolution, int | float | np.integer | np.floating)
    if not (real and not isinstance(resolution, bool) and 0 < resolution <= 1):
        raise ValueError(f"resolution must be a number in (0, 1], got resolution={resolution!r}")
    return float(resolution)


def _ratio(top, bottom):
    """top / bottom element by element, with 0/0 = 0 and NaN = infinity."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(top == 0, 0.0, top / bottom)
    return np.where(np.isnan(r), np.inf, r)


@dataclass(frozen=True, eq=False)
class GradientCheck:
    r"""The outcome of `check_gradient`, element by element; true only when it passed.

    Its `verdict` is ``"passed"``, ``"FAILED"`` or ``"inconclusive"``; it prints
    the verdict first, then the element that decided it.

    Examples
    --------
    >>> import numpy as np
    >>> x = np.array([1.0, 2.0])
    >>> result = check_gradient(lambda x: float(x @ x), x, [2.0, -4.0], h=2**-10)
    >>> print(result)
    FAILED at x[1]: analytic -4, numerical 4 ± 9e-12; 1 of 2 elements failed
    >>> bool(result), result.verdict, result.failed, result.numerical
    (False, 'FAILED', array([False,  True]), array([2., 4.]))
    """

    analytic: np.ndarray
    """The gradient that was checked, in float64 (or longer)."""
    numerical: np.ndarray
    """The central difference D(h) of every element."""
    truncation: np.ndarray
    r""":math:`|D(h) - D(2h)|`: the truncation error estimate (and the round-off seen)."""
    kink: np.ndarray
    r""":math:`\kappa`: how much the slope of f bends across the five points (a kink)."""
    roundoff: np.ndarray
    r""":math:`\max(K \varepsilon F, C \hat\sigma) / s`: the round-off error estimate."""
    h: np.ndarray
    """The half step of every element."""
    rtol: float
    """The tolerance for the analytic gradient's own rounding."""
    eps: float
    """The machine epsilon of the round-off estimate."""
    resolution: float = 0.01
    r""":math:`\rho`: the largest bound, relative to an element's size, that resolves it."""
    name: str = "x"
    """The name of the argument, for messages."""

    def __post_init__(self):
        for field in ("analytic", "numerical", "truncation", "kink", "roundoff", "h"):
            getattr(self, field).setflags(write=False)

    @property
    def bound(self):
        """The error bound of the numerical value: truncation + kink + roundoff."""
        return self.truncation + self.kink + self.roundoff

    @property
    def error(self):
        r""":math:`|a_i - n_i|` for every element."""
        return np.abs(self.analytic - self.numerical)

    @property
    def failed(self):
        r"""Where :math:`|a_i - n_i| > \beta_i + \text{rtol}\,|a_i|` (NaN fails)."""
        return ~(self.error <= self.bound + self.rtol * np.abs(self.analytic))

    @property
    def size(self):
        r""":math:`\max(|a_i|, |n_i|)` for every element."""
        return np.maximum(np.abs(self.analytic), np.abs(self.numerical))

    @property
    def unresolved(self):
        r"""Where they agree but the bound exceeds `resolution` times the size of the element."""
        return ~self.failed & ~(self.bound <= self.resolution * self.size) & (self.size > 0)

    @property
    def verdict(self):
        if self.failed.any():
            return "FAILED"
        return "inconclusive" if self.unresolved.any() else "passed"

    @property
    def passed(self):
        return self.verdict == "passed"

    def __bool__(self):
        return self.passed

    @property
    def max_abs_error(self):
        r"""The largest :math:`|a_i - n_i|`."""
        return float(np.max(self.error, initial=0.0))

    @property
    def max_rel_error(self):
        r"""`max_abs_error` over the largest :math:`|a_i|` or :math:`|n_i|`: a summary only."""
        scale = max(
            np.max(np.abs(self.analytic), initial=0), np.max(np.abs(self.numerical), initial=0)
        )
        return float(_ratio(np.float64(self.max_abs_error), scale))

    def _worst_unresolved(self):
        unresolved = np.flatnonzero(self.unresolved)
        return int(unresolved[np.argmax(_ratio(self.bound, self.size).ravel()[unresolved])])

    def _kinked(self, i):
        """Whether element i's bound is mostly kink: more than truncation, and than round-off shows.

        Round-off alone bends the four slopes by up to about twice `roundoff`.
        """
        return self.kink.flat[i] > max(self.truncation.flat[i], 4 * self.roundoff.flat[i])

    @property
    def suggested_h(self):
        """A step for the worst unresolved element, None when none is unresolved.

        The step that balances the two error estimates (round-off ∝ 1/h,
        truncation ∝ h²) when truncation dominates; else the step at which
        round-off would be half of `resolution` times the gradient. A smaller
        step cures a kink only if it lies beyond the step from x.
        """
        if not self.unresolved.any():
            return None
        i = self._worst_unresolved()
        R, h = float(self.roundoff.flat[i]), float(self.h.flat[i])
        if np.isinf(R):
            return None
        T = float(self.truncation.flat[i] + self.kink.flat[i])
        if T > R:
            return h * (R / (2 * T)) ** (1 / 3)
        return h * 2 * R / (self.resolution * float(self.size.flat[i]))

    def _element(self, i, digits=3):
        a, n, bound = (float(v.flat[i]) for v in (self.analytic, self.numerical, self.bound))
        return f"analytic {a:.{digits}g}, numerical {n:.{digits}g} ± {bound:.0e}"

    def __str__(self):
        size, where = self.analytic.size, lambda i: index(self.name, self.analytic.shape, i)
        if size == 0:
            return f"passed: {self.name} is empty, nothing to check"
        ratio = _ratio(self.error, self.bound + self.rtol * np.abs(self.analytic)).ravel()
        if self.verdict == "FAILED":
            failed = np.flatnonzero(self.failed)
            i = int(failed[np.argmax(ratio[failed])])
            a, err = abs(float(self.analytic.flat[i])), float(self.error.flat[i])
            digits = 3  # when the error is as large as the value, or 0, or NaN
            if 0 < err < a:  # pragma: no mutate (at err = a the formula gives 3 too)
                digits = min(17, max(3, math.ceil(math.log10(a / err)) + 2))
            return (
                f"FAILED at {where(i)}: {self._element(i, digits)}; "
                f"{int(self.failed.sum())} of {size} elements failed"
            )
        if self.verdict == "inconclusive":
            i = self._worst_unresolved()
            a, n = float(self.analytic.flat[i]), float(self.numerical.flat[i])
            step = self.suggested_h
            if step is None:
                tip = "f returned the same value at every point, so its rounding is unknown"
            else:
                longer = self.eps > np.finfo(np.float64).eps  # float16 or float32
                tip = f"try h={step:.0e}" + (" or float64" if longer else "")
            if self._kinked(i):
                tip = (
                    f"f is not smooth within the step there (its slope bends by "
                    f"{float(self.kink.flat[i]):.0e}); {tip} if the kink is not at "
                    f"{where(i)} itself"
                )
            return (
                f"inconclusive: at {where(i)} the central difference is only good to "
                f"±{float(self.bound.flat[i]):.0e}, the gradient is {a or n:.0e}; {tip}; "
                f"{int(self.unresolved.sum())} of {size} elements unresolved"
            )
        nonzero = np.flatnonzero(self.size > 0)  # both exactly 0: nothing to bound
        if not nonzero.size:
            return f"passed: all {size} elements are exactly 0, analytic and numerical"
        loose = _ratio(self.bound + self.rtol * np.abs(self.analytic), self.size).ravel()
        i = int(nonzero[np.argmax(loose[nonzero])])
        return (
            f"passed: all {size} elements agree, each to {loose[i]:.0e} of its size or better "
            f"(loosest: {where(i)}: {self._element(i)})"
        )


def check_gradient(f, x, analytic, h=None, rtol=None, resolution=0.01, name="x"):
    r"""Compare an analytic gradient with central differences of `f` at `x`, element by element.

    Parameters
    ----------
    f : callable
        ``f(x) -> real scalar``, as for `numerical_gradient`. A writeable float
        array `x` is perturbed in place in its own dtype, so `f` may read it from
        an enclosing scope (``lambda _: loss()``); any other `x` is copied and
        `f` must use its argument.
    x : array_like
        The point.
    analytic : array_like, shape of x
        The gradient to check, for instance ``backward(dY, X, W).dW``.
    h : float, optional
        An absolute half step for every element. By default it is relative:
        :math:`h_i = c \max(|x_i|, \overline{|x|})` (c when x is all zero), with
        :math:`c = \varepsilon^{1/3}`.
    rtol : float, optional
        Allowance for the rounding of `analytic` itself, relative to it; by
        default :math:`\sqrt{\varepsilon}` of its dtype (1.5e-8 for float64,
        3.5e-4 for float32, 3.1e-2 for float16).
    resolution : float, optional
        :math:`\rho`, the largest error bound, relative to an element's size,
        with which that element counts as checked: 0.01 by default, in (0, 1].
    name : str, optional
        The name of `x` in messages, ``"x"`` by default.

    Returns
    -------
    GradientCheck
        True only when it passed. It prints the verdict and the element that
        decided it, and holds every element's numerical value and bound.

    Raises
    ------
    ValueError, TypeError
        As for `numerical_gradient`; also if the shapes differ, `rtol` is
        negative or NaN, or `resolution` is not in (0, 1].

    Notes
    -----
    For every element i, with the half step :math:`h_i` and the step taken in x's
    dtype, :math:`s_i = \mathrm{fl}(x_i + h_i) - \mathrm{fl}(x_i - h_i)`,

    .. math::

        D_i(h) = \bigl(f(x + h_i e_i) - f(x - h_i e_i)\bigr) / s_i

    is the numerical value :math:`n_i`, and its error bound is

    .. math::

        \beta_i = \underbrace{|D_i(h) - D_i(2h)|}_{\text{truncation}}
                + \underbrace{|\sigma_1 - 2\sigma_2 + \sigma_3|
                              + |\sigma_2 - 2\sigma_3 + \sigma_4|}_{\text{kink},\ \kappa_i}
                + \underbrace{\max(K \varepsilon F_i,\ C \hat\sigma) / s_i}_{\text{round-off}}

    where :math:`\sigma_1, \dots, \sigma_4` are the slopes of f between the
    five points :math:`x_i - 2h_i, x_i - h_i, x_i, x_i + h_i, x_i + 2h_i` (as
    stored), :math:`F_i` is the largest :math:`|f|` seen for that element,
    :math:`\varepsilon` the largest machine epsilon of x's dtype and of what f
    returned, and K = 16 a safety factor (two evaluations, eight roundings
    each). :math:`\hat\sigma` is f's noise as measured near x by Moré and
    Wild's ECnoise (`affine.noise`: differences of f along one random direction,
    8 to 40 evaluations in all), and C = 6 (√2 for two evaluations, times 4):
    f may round far worse than :math:`\varepsilon |f|` when it cancels large
    intermediates; if f returned one and the same value at every point, its
    rounding is unknown and the round-off term is infinite. Truncation error is
    proportional to :math:`h^2`, so
    :math:`|D(h) - D(2h)|` is about three times that of :math:`D(h)`; it also
    holds whatever round-off the two quotients showed. For a smooth f,
    :math:`\kappa_i \approx 2 h^2 |f^{(3)}|` is of the same size; where a kink
    of f (a ReLU switching) lies within :math:`h_i` of :math:`x_i`,
    :math:`D_i(h)` mixes the slopes on its two sides, and :math:`\kappa_i` is at
    least twice that error, though :math:`D(h)` and :math:`D(2h)` may agree
    (it also holds more of the round-off that f showed). The default half step
    is :math:`h_i = c \max(|x_i|, \operatorname{mean}|x|)` (c when x is all zero)
    with :math:`c = \varepsilon^{1/3}`, the same ε (6e-6 for float64, 5e-3 for
    float32, 0.1 for float16), the step that balances the two errors.

    Element i **agrees** when :math:`|a_i - n_i| \le \beta_i + \text{rtol}\,|a_i|`,
    and is **resolved** when :math:`\beta_i \le \rho \max(|a_i|, |n_i|)`, with
    :math:`\rho` = `resolution`; an element where both values are exactly 0
    (f did not move, as for a dead ReLU) is resolved. The verdict is "FAILED" if
    any element disagrees, else "inconclusive" if any is unresolved (with a step
    to try, or, where the kink term dominates, the news that f is not smooth
    within the step), else "passed": then every element agrees to within
    :math:`\rho + \text{rtol}` of its own size. Every quantity scales with f
    and with x, so multiplying f or x by a power of two changes no verdict (by a
    power of ten, none but at the edge of a rounding). The cost is 4 evaluations
    of f per element, plus 1, plus 8 to 40 for the noise.

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
    >>> result = check_gradient(f, W, dW, name="W")
    >>> result.verdict, bool(result), int(result.failed.sum())
    ('passed', True, 0)
    >>> wrong = dW.T.reshape(W.shape)  # reshape is no transpose
    >>> print(check_gradient(f, W, wrong, h=2**-10, name="W"))
    FAILED at W[1, 1]: analytic 3, numerical 5 ± 2e-10; 2 of 6 elements failed
    """
    a = as_real("analytic", analytic)
    if a.shape != np.shape(x):
        raise ValueError(f"analytic has shape {a.shape} but {name} has shape {np.shape(x)}")
    rtol, resolution = _rtol(rtol, a.dtype), _resolution(resolution)
    x, copied = working_array(x, name)
    convert = Real(f)
    base = evaluate(f, x, convert, name)
    w = wide(x.dtype, a.dtype, *convert.dtypes)
    if h is None:
        eps = max(float(np.finfo(d).eps) for d in {x.dtype, *convert.dtypes} if d.kind == "f")
        magnitude = np.abs(x.astype(w))
        mean = magnitude.mean() if x.size else 0.0  # pragma: no mutate (x empty: any value)
        half = eps ** (1 / 3) * (
            np.maximum(magnitude, mean) if mean > 0 else np.ones_like(magnitude)
        )
    else:
        half = np.full(x.shape, _check_h(h))
    up, down, s = perturbations(x, half, name)
    up2, down2, s2 = perturbations(x, 2 * half, name)
    values = sweep(f, x, [up, down, up2, down2], convert, name)
    check_values(f, values, x, copied, name, base=base)
    eps = max(float(np.finfo(d).eps) for d in {x.dtype, *convert.dtypes} if d.kind == "f")
    D = np.reshape(values[:, 0] - values[:, 1], x.shape) / s
    D2 = np.reshape(values[:, 2] - values[:, 3], x.shape) / s2
    points = np.stack([down2, down, x, up, up2], axis=-1).astype(w)  # x - 2h ... x + 2h
    at = np.stack([values[:, 3], values[:, 1], np.full(x.size, base), values[:, 0], values[:, 2]])
    slopes = np.diff(at.T.reshape(points.shape)) / np.diff(points)  # along the last axis
    kink = np.abs(np.diff(slopes, 2)).sum(axis=-1)
    F = np.maximum(np.reshape(np.abs(values).max(axis=1), x.shape), abs(base))
    sigma, moved = noise(f, x, half, base, convert, name)
    roundoff = np.maximum(K * eps * F, C * sigma) / s
    if not (moved or np.any(values != base)):  # f never moved: its rounding is unseen
        roundoff = np.full(x.shape, np.inf)
    return GradientCheck(
        analytic=np.array(a, dtype=w),
        numerical=D.astype(w),
        truncation=np.abs(D - D2).astype(w),
        kink=kink.astype(w),
        roundoff=roundoff.astype(w),
        h=np.array(half, dtype=w),
        rtol=rtol,
        eps=eps,
        resolution=resolution,
        name=name,
    )
