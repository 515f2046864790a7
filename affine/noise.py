r"""The noise level of f: how much its value wobbles from rounding, measured, not assumed.

Moré and Wild's ECnoise (SIAM J. Sci. Comput. 33, 2011): f is evaluated at
m + 1 equally spaced points along one direction, and the k-th differences of
the values, which vanish for the smooth part of f, hold the noise.
"""

import math

import numpy as np

from .numerical import describe, wide

M = 8
"""The probe's number of steps: m + 1 values of f, m of them new."""

SPACINGS = (2.0**-10, 2.0**-5, 1.0, 2.0**5, 2.0**10)
"""The probe's step as a fraction of the check's, tried in turn while f does not move.

Beyond the check's own step, no element moves more than 1/128 of its size per step.
"""


def levels(values):
    r""":math:`\hat\sigma_k = \sqrt{\gamma_k \operatorname{mean}((\Delta^k f)^2)}` for k = 1 … m.

    :math:`\gamma_k = (k!)^2 / (2k)!` makes :math:`\hat\sigma_k` the standard
    deviation of independent noise of f, whatever k. Also returns, for every k,
    whether :math:`\Delta^k f` changes sign.

    Examples
    --------
    >>> sigma, changes = levels([0.0, 1.0, 0.0, 1.0, 0.0])
    >>> print(np.round(sigma, 3), changes)
    [0.707 0.816 0.894 0.956] [ True  True  True False]
    """
    table = np.asarray(values, dtype=float)  # pragma: no mutate (the values are floats)
    sigma, changes = [], []
    for k in range(1, len(table)):
        table = np.diff(table)
        gamma = math.factorial(k) ** 2 / math.factorial(2 * k)
        sigma.append(math.sqrt(gamma * float(np.mean(table**2))))
        changes.append(bool(table.max() > 0 > table.min()))
    return np.array(sigma), np.array(changes)


def estimate(values):
    r"""The noise level of f from its values along a line, and whether the table resolved it.

    The first k from 2 (the first differences hold f's slope) where
    :math:`\Delta^k f` changes sign and :math:`\hat\sigma_k, \hat\sigma_{k+1},
    \hat\sigma_{k+2}` agree within a factor of 4 gives :math:`\hat\sigma_k`.
    Without one (a single rounding step in the table, or none), the largest
    :math:`\hat\sigma_k` with k ≥ m/2, where the smooth part of f has vanished.

    Examples
    --------
    >>> estimate([3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0, 3.0])
    (0.0, False)
    >>> rng = np.random.default_rng(0)
    >>> values = 1 + np.arange(9) + 1e-6 * rng.normal(size=9)  # f = 1 + t, noise 1e-6
    >>> sigma, resolved = estimate(values)
    >>> print(f"{sigma:.1e}", resolved)  # nine values give the noise's order, not its digits
    4.5e-07 True
    """
    sigma, changes = levels(values)
    for k in range(1, len(sigma) - 2):
        near = sigma[k : k + 3]
        if changes[k] and near.max() <= 4 * near.min():
            return float(sigma[k]), True
    return float(sigma[len(sigma) // 2 :].max(initial=0.0)), False


def probe(x, half, spacing, seed=0):  # pragma: no mutate (any fixed seed)
    r"""The direction u of the probe: :math:`x + t u`, t = 0 … m, stored exactly in x's dtype.

    :math:`|u_i|` is `spacing` times the check's half step :math:`h_i`, rounded
    to a few bits (with random signs and leading bits from a fixed local
    generator, so a check is reproducible), and never less than the spacing of
    x's dtype at :math:`x_i`: the points are exact, and f's noise is all the
    table holds. An element whose points cannot all be exact keeps :math:`u_i = 0`.
    """
    rng = np.random.default_rng(seed)
    w = wide(x.dtype)
    base = x.astype(w)
    ulp = np.spacing(np.abs(x)).astype(w)
    step = np.minimum(spacing * half, np.maximum(np.abs(base) / 128, half))
    unit = np.exp2(np.floor(np.log2(np.maximum(step / 8, ulp))))
    u = rng.choice([-1.0, 1.0], size=x.shape) * rng.integers(8, 16, size=x.shape) * unit
    u = u.astype(w)
    t = np.arange(M + 1)[(slice(None),) + (np.newaxis,) * x.ndim]

    def exact(u):
        return np.all((base + t * u).astype(x.dtype).astype(w) - base == t * u, axis=0)

    u = np.where(exact(u), u, -u)  # where the points are not exact, the other way
    return np.where(exact(u), u, 0.0)


def along(f, x, u, base, convert, name, strict):
    """f at x, x + u, …, x + m·u (x perturbed in place) and the calls made, f's contract enforced.

    A NaN or infinity is an error when `strict`; else the values are None (the
    probe left f's domain).
    """
    snapshot = x.copy()
    w = wide(x.dtype)
    values = [base]
    try:
        for t in range(1, M + 1):
            point = (snapshot.astype(w) + t * u).astype(x.dtype)
            np.copyto(x, point)
            values.append(convert(f(x)))
            if not np.array_equal(x, point):
                raise ValueError(
                    f"f ({describe(f)}) wrote into its argument while its noise was measured; "
                    f"{name} has been restored. f must compute from x without changing it"
                )
            if not np.isfinite(values[-1]):
                if not strict:
                    return None, t
                raise ValueError(
                    f"f ({describe(f)}) returned {values[-1]} at {name} + {t}·u, a probe point "
                    f"within {t * float(np.abs(u).max()):.1e} of {name} in every element: "
                    f"f must be finite near {name}"
                )
    finally:
        np.copyto(x, snapshot)
    return np.array(values, dtype=wide(*convert.dtypes)), M  # pragma: no mutate (exact any way)


def noise(f, x, half, base, convert, name="x"):
    r"""Moré and Wild's estimate :math:`\hat\sigma` of f's noise near x, and whether f ever moved.

    The probe starts at a step far below the check's, where the smooth part of
    f is negligible in every difference from the second. A table shows the
    noise when more than half of its values differ from f(x) and `estimate`
    resolved it; until one does (f's rounding moved too little to be seen, or
    rounded a nearly linear f in equal steps), the probe takes the next, larger
    step of `SPACINGS`. The estimate is the largest of the tables seen: 0 only
    when none showed any noise. x is restored exactly.
    """
    moved, sigma = False, 0.0
    for spacing in SPACINGS:
        u = probe(x, half, spacing)
        if not u.any():
            continue  # pragma: no mutate (an empty x: u = 0 at every spacing)
        strict = spacing <= SPACINGS[2]  # up to the check's own step, f must be finite
        values, _ = along(f, x, u, base, convert, name, strict)
        if values is None:
            break
        moved = moved or bool(np.any(values != base))
        level, resolved = estimate(values)
        sigma = max(sigma, level)
        seen = np.count_nonzero(values != base) > M // 2  # pragma: no mutate (M // 2 == M / 2)
        if resolved and seen:
            break
    return sigma, moved
