r"""A small classification data set made in code: interleaved spirals in the plane."""

import numpy as np

from ._arrays import count, real_scalar


def spirals(n_per_class=100, classes=3, turns=0.75, noise=0.2, seed=0):
    r"""Points on `classes` interleaved spiral arms, one arm per class.

    Sample i of class c lies at radius r and angle θ,

    .. math::

        r = \frac{i}{n - 1}, \qquad
        \theta = 2\pi\left(\frac{c}{K} + \text{turns}\cdot r\right) + \text{noise}\cdot z,
        \qquad x = r\,(\cos\theta, \sin\theta)

    with K classes, n points per class and z drawn from a standard normal.
    No straight line separates two arms: a linear classifier cannot fit them,
    a network with one hidden layer can.

    Parameters
    ----------
    n_per_class : int, optional
        Points per arm (at least 2), 100 by default.
    classes : int, optional
        Number of arms K (at least 2), 3 by default.
    turns : float, optional
        How far each arm winds, in full turns, 0.75 by default.
    noise : float, optional
        Standard deviation of the angle's noise, in radians.
    seed : int, optional
        Seed of a local ``numpy.random.default_rng``: the same seed, the same points.

    Returns
    -------
    X : ndarray, float64, shape (classes * n_per_class, 2)
        The points, in the closed unit disc: the noise moves only the angle, so
        sample i of every arm lies exactly at radius i / (n − 1).
    t : ndarray, int64, shape (classes * n_per_class,)
        The class of each point, 0 to classes − 1, in blocks of n_per_class.

    Examples
    --------
    >>> import numpy as np
    >>> X, t = spirals(n_per_class=50, classes=3)
    >>> X.shape, X.dtype, np.bincount(t).tolist()
    ((150, 2), dtype('float64'), [50, 50, 50])
    >>> bool(np.all(np.hypot(X[:, 0], X[:, 1]) <= 1))
    True
    """
    n_per_class, classes = count("n_per_class", n_per_class, 2), count("classes", classes, 2)
    turns, noise = real_scalar("turns", turns), real_scalar("noise", noise)
    if not (np.isfinite(turns) and np.isfinite(noise) and noise >= 0):
        raise ValueError(f"turns must be finite and noise >= 0, got {turns=!r}, {noise=!r}")
    rng = np.random.default_rng(count("seed", seed, 0))
    r = np.linspace(0.0, 1.0, n_per_class)
    c = np.repeat(np.arange(classes), n_per_class)
    r_all = np.tile(r, classes)
    z = rng.standard_normal(r_all.shape)
    theta = 2 * np.pi * (c / classes + turns * r_all) + noise * z
    X = r_all[:, np.newaxis] * np.column_stack([np.cos(theta), np.sin(theta)])
    return X, c.astype(np.int64)
