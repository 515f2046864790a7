r"""The affine layer: eq. (4) forward, eqs. (1), (2), (3′) backward."""

import math
from typing import NamedTuple

import numpy as np

from ._arrays import as_real


class Gradients(NamedTuple):
    """The gradients of a scalar loss with respect to the affine layer's inputs.

    Examples
    --------
    >>> grads = backward([1.0, 1.0, 1.0], [1.0, 2.0], [[1, 2, 3], [4, 5, 6]])
    >>> grads.dX
    array([ 6., 15.])
    >>> dX, dW, db = grads
    >>> db
    array([1., 1., 1.])
    """

    dX: np.ndarray
    """∂f/∂X, eq. (1); the shape of X."""
    dW: np.ndarray
    """∂f/∂W, eq. (2); the shape of W."""
    db: np.ndarray
    """∂f/∂b, eq. (3′); the shape of b."""


def _check_W_b(W, b):
    W, b = as_real("W", W), as_real("b", b)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D with shape (n, m), got shape {W.shape}")
    if b.shape != W.shape[1:]:
        raise ValueError(
            f"b has shape {b.shape} but W has {W.shape[1]} columns "
            f"(shape {W.shape}); b must have shape ({W.shape[1]},)"
        )
    return W, b


def _check_X_W(X, W):
    X, W = as_real("X", X), as_real("W", W)
    if W.ndim != 2:
        raise ValueError(f"W must be 2-D with shape (n, m), got shape {W.shape}")
    if X.ndim == 0:
        raise ValueError(f"X must have shape (n,), (N, n) or (N, ..., n), got a scalar {X}")
    if X.shape[-1] != W.shape[0]:
        raise ValueError(
            f"X has {X.shape[-1]} features on its last axis (shape {X.shape}) "
            f"but W has {W.shape[0]} rows (shape {W.shape})"
        )
    return X, W


def forward(X, W, b):
    r"""Apply the affine map to a sample or a batch, eq. (4).

    .. math::

        \boldsymbol{Y} = \boldsymbol{X} \cdot W + \boldsymbol{b} \qquad
        y_j = \sum_k w_{jk} x_k + b_j

    Parameters
    ----------
    X : array_like, shape (n,), (N, n) or (N, ..., n)
        One sample, or samples stacked along any number of leading axes.
    W : array_like, shape (n, m)
        The weights; column j holds the weights of output j.
    b : array_like, shape (m,)
        The bias, broadcast over every leading axis of X.

    Returns
    -------
    Y : ndarray, shape X.shape[:-1] + (m,)
        Integer input is promoted to float64; float32 input stays float32.

    Raises
    ------
    ValueError
        If the shapes do not fit; the message names both shapes.

    Examples
    --------
    The worked example, n = 2 and m = 3:

    >>> W = [[1, 2, 3], [4, 5, 6]]
    >>> b = [1, 2, 3]
    >>> forward([[1.0, 2.0]], W, b)
    array([[10., 14., 18.]])
    >>> forward([[1.0, 2.0], [2.0, 3.0]], W, b)
    array([[10., 14., 18.],
           [15., 21., 27.]])
    """
    W, b = _check_W_b(W, b)
    X, W = _check_X_W(X, W)
    return X @ W + b  # (4)


def backward(dY, X, W):
    r"""Backpropagate ∂f/∂Y through the affine layer, eqs. (1), (2), (3′).

    .. math::

        \frac{\partial f}{\partial \boldsymbol{X}}
        = \frac{\partial f}{\partial \boldsymbol{Y}} \cdot W^T, \quad
        \frac{\partial f}{\partial W}
        = \boldsymbol{X}^T \cdot \frac{\partial f}{\partial \boldsymbol{Y}}, \quad
        \frac{\partial f}{\partial \boldsymbol{b}}
        = \sum_{\text{batch}} \frac{\partial f}{\partial \boldsymbol{Y}}

    Parameters
    ----------
    dY : array_like, shape X.shape[:-1] + (m,)
        ∂f/∂Y, the gradient of a scalar f with respect to the layer's output.
    X : array_like, shape (n,), (N, n) or (N, ..., n)
        The input the forward pass saw.
    W : array_like, shape (n, m)
        The weights the forward pass used.

    Returns
    -------
    Gradients
        ``(dX, dW, db)`` with the shapes of X, W and b. Every leading axis of X
        is a batch axis: dW and db sum over all of them. An empty batch (N = 0)
        gives zero dW and db; n = 0 or m = 0 gives empty gradients of those shapes.
        The dtype is numpy's promotion of X, W and dY, but at least float32:
        float16 input gives float32 gradients, because a float16 sum stops
        growing at 2048 (70 000 float16 ones would sum to 2048).

    Notes
    -----
    b is added to every sample: it was broadcast over the batch, so each sample's
    ∂f/∂y_j reaches b_j and db is their sum, eq. (3′). For one sample (X of shape
    (n,)) the sum has a single term and db = dY, eq. (3).

    Examples
    --------
    The worked example for a batch of two samples, with f the sum of all six
    outputs (`total`), so ∂f/∂Y is all ones:

    >>> W = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    >>> X = [[1.0, 2.0], [2.0, 3.0]]
    >>> dX, dW, db = backward([[1.0, 1.0, 1.0], [1.0, 1.0, 1.0]], X, W)
    >>> print(dX)
    [[ 6. 15.]
     [ 6. 15.]]
    >>> print(dW)
    [[3. 3. 3.]
     [5. 5. 5.]]
    >>> print(db)
    [2. 2. 2.]
    """
    X, W = _check_X_W(X, W)
    dY = as_real("dY", dY)
    if dY.shape != X.shape[:-1] + W.shape[1:]:
        raise ValueError(
            f"dY has shape {dY.shape} but Y = X·W + b has shape "
            f"{X.shape[:-1] + W.shape[1:]} (X {X.shape}, W {W.shape})"
        )
    dtype = np.promote_types(np.result_type(X, W, dY), np.float32)  # no float16 sums
    X, W, dY = (np.asarray(a, dtype=dtype) for a in (X, W, dY))
    (n, m), N = W.shape, math.prod(X.shape[:-1])  # every leading axis is a batch axis
    X_rows, dY_rows = X.reshape(N, n), dY.reshape(N, m)
    dX = dY @ W.T  # (1)
    dW = X_rows.T @ dY_rows  # (2), summed over the batch by the product
    db = dY_rows.sum(axis=0)  # (3'): b was broadcast over the batch
    return Gradients(dX, dW, db)


class Affine:
    r"""The affine layer as in *Deep Learning from Scratch*: Y = X·W + b, eq. (4).

    ``forward(X)`` keeps X for the backward pass; ``backward(dY)`` returns dX and
    stores dW and db as attributes.

    Parameters
    ----------
    W : array_like, shape (n, m)
    b : array_like, shape (m,)

    Notes
    -----
    The layer keeps references, not copies, where it can:

    - ``W`` and ``b`` are the caller's arrays themselves when they are writeable
      float arrays (``layer.W is W``): an optimiser that updates them in place
      updates the layer. Lists and integer arrays are converted, and read-only
      arrays copied, into new float arrays that later edits of the originals do
      not reach.
    - ``forward`` keeps a float X as given, not a copy: editing X in place before
      ``backward`` changes dW, which eq. (2) computes from X (dX and db do not
      depend on X). Pass a copy of X if it is to be edited in between.
    - Two layers that share one W each compute their own dW; the gradient of f
      with respect to the shared W is the sum of the two.

    Examples
    --------
    >>> layer = Affine(W=[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], b=[1.0, 2.0, 3.0])
    >>> layer.forward([[1.0, 2.0]])
    array([[10., 14., 18.]])
    >>> layer.backward([[1.0, 1.0, 1.0]])
    array([[ 6., 15.]])
    >>> print(layer.dW)
    [[1. 1. 1.]
     [2. 2. 2.]]
    >>> print(layer.db)
    [1. 1. 1.]
    """

    def __init__(self, W, b):
        W, b = _check_W_b(W, b)
        self.W, self.b = (p if p.flags.writeable else p.copy() for p in (W, b))
        self.X = self.dW = self.db = None

    def forward(self, X):
        """Return Y = X·W + b and keep X for `backward`."""
        X = as_real("X", X)
        Y = forward(X, self.W, self.b)
        self.X = X
        return Y

    def backward(self, dY):
        """Return ∂f/∂X; set ``self.dW`` and ``self.db``."""
        if self.X is None:
            raise RuntimeError("Affine.backward called before forward: there is no X to use")
        dX, self.dW, self.db = backward(dY, self.X, self.W)
        return dX

    def __repr__(self):
        n, m = self.W.shape
        return f"Affine(n={n}, m={m}, dtype={self.W.dtype})"
