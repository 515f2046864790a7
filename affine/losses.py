r"""Scalar losses f(Y) and their gradients ∂f/∂Y, the dY that `backward` takes.

Each loss comes as a pair: ``name(Y, …) -> float`` and ``name_grad(Y, …) -> dY``
with Y's shape. A mean over no samples is undefined: the mean losses and their
gradients refuse an empty Y with a `ValueError`; `total` of nothing is 0.
"""

import numpy as np

from ._arrays import as_integers, as_real


def total(Y):
    r"""The worked example's loss: every output summed, over the batch too.

    .. math:: f(Y) = \sum_{\text{batch}} (y_1 + \dots + y_m)

    Examples
    --------
    >>> total([[10.0, 14.0, 18.0], [15.0, 21.0, 27.0]])
    105.0
    """
    return float(as_real("Y", Y).sum())


def total_grad(Y):
    r"""∂f/∂Y of `total`: all ones, with Y's shape.

    Examples
    --------
    >>> print(total_grad([[10.0, 14.0, 18.0]]))
    [[1. 1. 1.]]
    """
    return np.ones_like(as_real("Y", Y))


def mean_squared_error(Y, T):
    r"""The mean of the squared errors over every element.

    .. math:: f(Y) = \frac{1}{S} \sum (y - t)^2

    where S is the number of elements of Y (batch size times m), ``Y.size``. Note that
    *Deep Learning from Scratch* uses the sum times one half instead.

    Examples
    --------
    >>> mean_squared_error([[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [3.0, 0.0]])
    5.0
    """
    Y, T = _pair(Y, T)
    return float(np.mean((Y - T) ** 2))


def mean_squared_error_grad(Y, T):
    r"""∂f/∂Y of `mean_squared_error`: 2 (Y − T) / S, with S = ``Y.size``.

    Examples
    --------
    >>> Y, T = [[1.0, 2.0], [3.0, 4.0]], [[1.0, 0.0], [3.0, 0.0]]
    >>> print(mean_squared_error_grad(Y, T))
    [[0. 1.]
     [0. 2.]]
    """
    Y, T = _pair(Y, T)
    return 2 * (Y - T) / Y.size


def softmax(Y):
    r"""Softmax over the last axis, shifted by the row maximum so exp cannot overflow.

    .. math:: p_j = \frac{e^{y_j}}{\sum_i e^{y_i}}

    Examples
    --------
    >>> print(softmax([[0.0, 0.0], [1000.0, 1000.0]]))
    [[0.5 0.5]
     [0.5 0.5]]
    """
    Y = as_real("Y", Y)
    if Y.ndim == 0 or Y.shape[-1] == 0:
        raise ValueError(f"Y must have at least one score on its last axis, got shape {Y.shape}")
    E = np.exp(Y - Y.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def softmax_cross_entropy(Y, t):
    r"""Cross-entropy of softmax(Y) against integer labels, averaged over the batch.

    .. math:: f(Y) = -\frac{1}{N} \sum_{s=1}^{N} \log \operatorname{softmax}(y^s)_{t_s}

    computed as log-sum-exp minus the label's score, so large scores do not overflow.

    Parameters
    ----------
    Y : array_like, shape (N, m) or (m,)
        Scores (logits).
    t : array_like of int, shape (N,) or ()
        The label of each sample, in range(m).

    Examples
    --------
    >>> f = softmax_cross_entropy([[0.0, 0.0], [1000.0, 0.0]], [0, 0])
    >>> print(f"{f:.6f}")
    0.346574
    """
    Y, t = _scores_labels(Y, t)
    top = Y.max(axis=1, keepdims=True)
    log_Z = np.log(np.exp(Y - top).sum(axis=1)) + top[:, 0]
    return float(np.mean(log_Z - Y[np.arange(len(t)), t]))


def softmax_cross_entropy_grad(Y, t):
    r"""∂f/∂Y of `softmax_cross_entropy`: (softmax(Y) − onehot(t)) / N.

    Examples
    --------
    >>> print(softmax_cross_entropy_grad([[0.0, 0.0], [1000.0, 0.0]], [0, 1]))
    [[-0.25  0.25]
     [ 0.5  -0.5 ]]
    """
    Y = as_real("Y", Y)
    shape = Y.shape  # (m,) for one sample: the gradient keeps it
    Y, t = _scores_labels(Y, t)
    dY = softmax(Y)
    dY[np.arange(len(t)), t] -= 1
    return (dY / len(t)).reshape(shape)


def _pair(Y, T):
    Y, T = as_real("Y", Y), as_real("T", T)
    if Y.shape != T.shape:
        raise ValueError(f"Y has shape {Y.shape} but the targets T have shape {T.shape}")
    if Y.size == 0:
        raise ValueError(f"Y is empty (shape {Y.shape}): the mean of no errors is undefined")
    return Y, T


def _scores_labels(Y, t):
    Y, t = as_real("Y", Y), as_integers("labels t", t)
    if Y.ndim == 1:
        Y, t = Y[np.newaxis], t.reshape(1) if t.ndim == 0 else t
    if Y.ndim != 2:
        raise ValueError(f"Y must have shape (N, m) or (m,), got shape {Y.shape}")
    if t.shape != Y.shape[:1]:
        raise ValueError(f"labels t have shape {t.shape} but Y has shape {Y.shape}")
    if Y.size == 0:
        raise ValueError(
            f"Y has shape {Y.shape}: the mean cross-entropy needs at least one sample and one class"
        )
    if t.min() < 0 or t.max() >= Y.shape[1]:
        raise ValueError(f"labels must be in range({Y.shape[1]}), got {t.min()} to {t.max()}")
    return Y, t
