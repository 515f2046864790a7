r"""Element-wise activations, ReLU and the sigmoid: forward, backward, and a thin layer each.

An activation acts on every element by itself, Y = φ(X), so its Jacobian is diagonal and
the chain rule (8) keeps a single term per element: dX = dY ⊙ φ'(X), the element-wise
product. Every backward function takes the upstream gradient dY and the forward input X,
and returns a new array: it never writes into dY.
"""

import numpy as np

from ._arrays import as_real


def _same_shape(dY, X):
    dY, X = as_real("dY", dY), as_real("X", X)
    if dY.shape != X.shape:
        raise ValueError(
            f"dY has shape {dY.shape} but X has shape {X.shape}; an element-wise "
            "layer's output has the shape of its input"
        )
    return dY, X


def relu(X):
    r"""The rectified linear unit, element by element.

    .. math:: y = \max(0, x)

    Parameters
    ----------
    X : array_like
        Any shape. Integer input is promoted to float64; float32 stays float32.

    Returns
    -------
    Y : ndarray, shape of X

    Examples
    --------
    >>> print(relu([[-2.0, 0.0, 3.0]]))
    [[0. 0. 3.]]
    """
    X = as_real("X", X)
    return np.maximum(X, 0)  # eq-relu


def relu_backward(dY, X):
    r"""Backpropagate dY through ReLU: dY where x > 0, zero elsewhere.

    .. math::

        \frac{\partial f}{\partial x} = \frac{\partial f}{\partial y} \cdot
        \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases}

    Parameters
    ----------
    dY : array_like, shape of X
        ∂f/∂Y, the upstream gradient. It is read, never written.
    X : array_like
        The input the forward pass saw.

    Returns
    -------
    dX : ndarray, shape of X
        A new array.

    Notes
    -----
    ReLU has no derivative at x = 0 (the slope is 0 on the left and 1 on the right).
    We take 0 there, as the mask ``X > 0`` does; any value in [0, 1] is a valid
    subgradient, and a central difference at exactly 0 would report 1/2.

    Examples
    --------
    >>> dY = [[10.0, 20.0, 30.0]]
    >>> print(relu_backward(dY, [[-2.0, 0.0, 3.0]]))
    [[ 0.  0. 30.]]
    >>> dY
    [[10.0, 20.0, 30.0]]
    """
    dY, X = _same_shape(dY, X)
    return np.where(X > 0, dY, np.zeros_like(dY))  # eq-relu-backward, 0 at x = 0


def sigmoid(X):
    r"""The logistic sigmoid, element by element, without overflow for any x.

    .. math:: \sigma(x) = \frac{1}{1 + e^{-x}} = \frac{e^{x}}{1 + e^{x}}

    Parameters
    ----------
    X : array_like
        Any shape. Integer input is promoted to float64; float32 stays float32.

    Returns
    -------
    Y : ndarray, shape of X
        Values in [0, 1].

    Notes
    -----
    Written as :math:`1/(1 + e^{-x})`, the sigmoid overflows in :math:`e^{-x}`
    for large negative x (:math:`e^{1000}` is inf, with a warning). With
    :math:`E = e^{-|x|}`, which lies in (0, 1], the first form for x ≥ 0 and the
    second for x < 0 are :math:`1/(1 + E)` and :math:`E/(1 + E)`: nothing can
    overflow.

    Examples
    --------
    >>> print(sigmoid([-1000.0, 0.0, 1000.0]))
    [0.  0.5 1. ]
    """
    X = as_real("X", X)
    E = np.exp(-np.abs(X))  # in (0, 1]: cannot overflow
    # the second form where x < 0 (and at -0.0, where both forms are 1/2)
    return np.where(np.signbit(X), E / (1 + E), 1 / (1 + E))  # eq-sigmoid


def sigmoid_backward(dY, X):
    r"""Backpropagate dY through the sigmoid.

    .. math::

        \frac{\partial f}{\partial x} = \frac{\partial f}{\partial y}\,
        \sigma(x)\,\bigl(1 - \sigma(x)\bigr)
        = \frac{\partial f}{\partial y}\, \sigma(x)\, \sigma(-x)

    Parameters
    ----------
    dY : array_like, shape of X
        ∂f/∂Y, the upstream gradient. It is read, never written.
    X : array_like
        The input the forward pass saw.

    Returns
    -------
    dX : ndarray, shape of X
        A new array.

    Notes
    -----
    1 − σ(x) equals σ(−x). Computing it as σ(−x) rather than as 1 − σ(x) keeps
    its relative accuracy for large x, where σ(x) rounds to 1 and 1 − σ(x)
    would be exactly 0.

    Examples
    --------
    >>> print(sigmoid_backward([4.0, 4.0], [0.0, 0.0]))
    [1. 1.]
    >>> print(sigmoid_backward([1.0], [40.0]) > 0)
    [ True]
    """
    dY, X = _same_shape(dY, X)
    return dY * sigmoid(X) * sigmoid(-X)  # eq-sigmoid-backward


class _Activation:
    """A layer that applies φ element-wise and keeps X for the backward pass."""

    def __init__(self):
        self.X = None

    def forward(self, X):
        """Return Y = φ(X) and keep X for `backward`."""
        X = as_real("X", X)
        Y = self._forward(X)
        self.X = X
        return Y

    def backward(self, dY):
        """Return ∂f/∂X, a new array; dY is not modified."""
        if self.X is None:
            raise RuntimeError(
                f"{type(self).__name__}.backward called before forward: there is no X to use"
            )
        return self._backward(dY, self.X)

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    r"""The ReLU layer: ``forward(X)`` is `relu`, ``backward(dY)`` is `relu_backward`.

    Unlike the ``Relu`` of *Deep Learning from Scratch*, whose backward pass sets
    ``dout[mask] = 0`` and so overwrites the caller's gradient, ``backward``
    returns a new array.

    Examples
    --------
    >>> import numpy as np
    >>> layer = ReLU()
    >>> print(layer.forward(np.array([[-1.0, 2.0]])))
    [[0. 2.]]
    >>> dY = np.array([[5.0, 7.0]])
    >>> print(layer.backward(dY))
    [[0. 7.]]
    >>> print(dY)
    [[5. 7.]]
    """

    _forward = staticmethod(relu)
    _backward = staticmethod(relu_backward)


class Sigmoid(_Activation):
    r"""The sigmoid layer: ``forward(X)`` is `sigmoid`, ``backward(dY)`` is `sigmoid_backward`.

    Examples
    --------
    >>> layer = Sigmoid()
    >>> print(layer.forward([[0.0, 0.0]]))
    [[0.5 0.5]]
    >>> print(layer.backward([[4.0, 8.0]]))
    [[1. 2.]]
    """

    _forward = staticmethod(sigmoid)
    _backward = staticmethod(sigmoid_backward)
