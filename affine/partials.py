r"""The element-wise partial derivatives (5), (6), (7) as arrays, and the chain rule (8), (8′).

For one sample, X = (x_1, …, x_n) and Y = (y_1, …, y_m) with y_j = Σ_k w_jk x_k + b_j,
eq. (4′), where w_jk is stored in row k, column j of W. Index 0 of every array
below is j, the output; the remaining indices are those of the variable.
"""

import numpy as np

from ._arrays import as_real, count


def dY_dX(W):
    r"""The m×n Jacobian of Y with respect to X, eq. (5).

    .. math:: \frac{\partial y_j}{\partial x_k} = w_{jk}

    Parameters
    ----------
    W : array_like, shape (n, m)

    Returns
    -------
    ndarray, shape (m, n)
        Entry [j, k] is w_jk, which W stores in row k, column j: this is Wᵀ (a copy).

    Examples
    --------
    >>> print(dY_dX([[1, 2, 3], [4, 5, 6]]))
    [[1. 4.]
     [2. 5.]
     [3. 6.]]
    """
    W = as_real("W", W)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D with shape (n, m), got shape {W.shape}")
    return W.T.copy()  # [j, k] = w_jk, eq. (5)


def dY_dW(X, m):
    r"""The partials of Y with respect to every weight, eq. (6).

    .. math::

        \frac{\partial y_j}{\partial w_{ik}} =
        \begin{cases} x_k & i = j \\ 0 & i \neq j \end{cases}

    Parameters
    ----------
    X : array_like, shape (n,)
    m : int
        The number of outputs.

    Returns
    -------
    ndarray, shape (m, n, m)
        Entry [j, k, i] is ∂y_j/∂w_ik, the weight in row k, column i of W;
        ``T[j]`` has W's shape and holds x in column j, zeros elsewhere.

    Examples
    --------
    >>> T = dY_dW([1, 2], m=3)
    >>> print(T[0])
    [[1. 0. 0.]
     [2. 0. 0.]]
    >>> print(T[2])
    [[0. 0. 1.]
     [0. 0. 2.]]
    """
    X = _sample("X", X, "n")
    m = count("m", m)
    T = np.zeros((m, X.shape[0], m), dtype=X.dtype)
    for j in range(m):
        T[j, :, j] = X  # x_k where i = j, eq. (6)
    return T


def dY_db(m, dtype=np.float64):
    r"""The m×m Jacobian of Y with respect to b, eq. (7).

    .. math:: \frac{\partial y_j}{\partial b_i} = \delta_{ij}

    Parameters
    ----------
    m : int
        The number of outputs.
    dtype : floating dtype, optional
        float64 by default.

    Returns
    -------
    ndarray, shape (m, m)
        The identity matrix.

    Examples
    --------
    >>> print(dY_db(3))
    [[1. 0. 0.]
     [0. 1. 0.]
     [0. 0. 1.]]
    """
    m, dtype = count("m", m), np.dtype(dtype)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"dtype must be a floating dtype, got {dtype}")
    return np.eye(m, dtype=dtype)  # δ_ij, eq. (7)


def chain_rule(dY, J):
    r"""Contract ∂f/∂Y with a Jacobian of Y, eqs. (8) and (8′).

    .. math::

        \frac{\partial f}{\partial x_k} = \sum_{j=1}^{m}
        \frac{\partial f}{\partial y_j} \frac{\partial y_j}{\partial x_k}

    Parameters
    ----------
    dY : array_like, shape (m,)
        ∂f/∂Y for one sample.
    J : array_like, shape (m, ...)
        ∂y_j/∂(variable), with j on axis 0: `dY_dX`, `dY_dW` or `dY_db`.

    Returns
    -------
    ndarray, shape J.shape[1:]
        ∂f/∂(variable): the row vector dY times the Jacobian, eq. (8′).

    Examples
    --------
    Eq. (1) on the worked example, where ∂f/∂Y = (1, 1, 1):

    >>> print(chain_rule([1, 1, 1], dY_dX([[1, 2, 3], [4, 5, 6]])))
    [ 6. 15.]
    """
    dY, J = _sample("dY", dY, "m"), as_real("J", J)
    if J.ndim == 0 or J.shape[0] != dY.shape[0]:
        raise ValueError(
            f"dY has {dY.shape[0]} entries but J has shape {J.shape}: its first axis must be "
            f"the {dY.shape[0]} outputs"
        )
    return np.tensordot(dY, J, axes=1)  # Σ_j ∂f/∂y_j · ∂y_j/∂(·), eq. (8)


def _sample(name, a, size):
    a = as_real(name, a)
    if a.ndim != 1:
        raise ValueError(f"{name} must be one sample of shape ({size},), got shape {a.shape}")
    return a
