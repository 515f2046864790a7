r"""Layers composed into a network: Affine → ReLU → Affine → softmax with cross-entropy.

The backward pass of the network is the chain rule applied layer by layer, in reverse:
each layer receives ∂f/∂(its output) and returns ∂f/∂(its input), which is the next
layer's upstream gradient.
"""

from typing import NamedTuple

import numpy as np

from ._arrays import as_integers, as_real, count, real_scalar
from .activations import ReLU
from .layer import Affine
from .losses import _scores_labels, softmax_cross_entropy, softmax_cross_entropy_grad
from .numerical import numerical_gradient

PARAMS = ("W1", "b1", "W2", "b2")
"""The names of the two-layer network's parameters, in the order of the layers."""


class SoftmaxWithLoss:
    r"""The output layer: softmax, then cross-entropy against integer labels.

    ``forward(Y, t)`` returns the loss `softmax_cross_entropy` of the scores Y;
    ``backward(df=1.0)`` returns ∂f/∂Y = df · (softmax(Y) − onehot(t)) / N.

    Examples
    --------
    >>> layer = SoftmaxWithLoss()
    >>> print(f"{layer.forward([[0.0, 0.0], [0.0, 0.0]], [0, 1]):.6f}")
    0.693147
    >>> print(layer.backward())
    [[-0.25  0.25]
     [ 0.25 -0.25]]
    """

    def __init__(self):
        self.Y = self.t = None

    def forward(self, Y, t):
        """Return the mean cross-entropy of softmax(Y) against t; keep Y and t."""
        Y, t = as_real("Y", Y), as_integers("labels t", t)
        loss = softmax_cross_entropy(Y, t)
        self.Y, self.t = Y, t
        return loss

    def backward(self, df=1.0):
        """Return ∂f/∂Y, where df is ∂f/∂(loss): 1 when the loss is f itself."""
        if self.Y is None:
            raise RuntimeError("SoftmaxWithLoss.backward called before forward: there is no Y")
        df = real_scalar("df", df)  # ∂f/∂(loss): the loss is a single number
        return df * softmax_cross_entropy_grad(self.Y, self.t)  # eq-softmax-ce-backward

    def __repr__(self):
        return "SoftmaxWithLoss()"


def init_params(n, hidden, m, seed=0, dtype=np.float64):
    r"""Random weights and zero biases for `TwoLayerNet`, He initialisation.

    .. math:: w \sim \mathcal{N}\!\left(0, \tfrac{2}{\text{fan-in}}\right), \qquad b = 0

    Parameters
    ----------
    n, hidden, m : int
        Input features, hidden units, classes.
    seed : int, optional
        The seed of a local ``numpy.random.default_rng``; the same seed gives
        the same weights.
    dtype : floating dtype, optional
        float64 by default.

    Returns
    -------
    dict
        ``W1`` (n, hidden), ``b1`` (hidden,), ``W2`` (hidden, m), ``b2`` (m,).

    Examples
    --------
    >>> params = init_params(2, 5, 3)
    >>> {name: p.shape for name, p in params.items()}
    {'W1': (2, 5), 'b1': (5,), 'W2': (5, 3), 'b2': (3,)}
    """
    n, hidden, m = count("n", n), count("hidden", hidden), count("m", m)
    if not np.issubdtype(dtype, np.floating):
        raise TypeError(f"dtype must be a floating dtype, got {np.dtype(dtype)}")
    rng = np.random.default_rng(count("seed", seed, 0))
    return {
        "W1": (rng.standard_normal((n, hidden)) * np.sqrt(2 / n)).astype(dtype),
        "b1": np.zeros(hidden, dtype=dtype),
        "W2": (rng.standard_normal((hidden, m)) * np.sqrt(2 / hidden)).astype(dtype),
        "b2": np.zeros(m, dtype=dtype),
    }


class TwoLayerNet:
    r"""Affine → ReLU → Affine → softmax with cross-entropy.

    Parameters
    ----------
    params : dict
        ``W1`` (n, h), ``b1`` (h,), ``W2`` (h, m), ``b2`` (m,), for instance from
        `init_params`. Float arrays are held by reference, as `Affine` holds
        W and b: an update in place is seen by the layers.

    Examples
    --------
    >>> import numpy as np
    >>> net = TwoLayerNet(init_params(2, 4, 3, seed=1))
    >>> X, t = np.array([[0.5, -1.0], [1.0, 2.0]]), np.array([0, 2])
    >>> grads = net.gradients(X, t)
    >>> numerical = net.numerical_gradients(X, t)
    >>> all(np.allclose(grads[name], numerical[name]) for name in grads)
    True
    """

    def __init__(self, params):
        missing = [name for name in PARAMS if name not in params]
        if missing:
            raise ValueError(f"params lacks {', '.join(missing)}; it needs {', '.join(PARAMS)}")
        self.params = {}
        for name in PARAMS:
            p = as_real(name, params[name])
            self.params[name] = p if p.flags.writeable else p.copy()
        W1, b1, W2, b2 = (self.params[name] for name in PARAMS)
        if W1.ndim != 2 or W2.ndim != 2 or W1.shape[1] != W2.shape[0]:
            raise ValueError(
                f"W1 has shape {W1.shape} and W2 has shape {W2.shape}: W1 must be (n, h) "
                "and W2 (h, m), with the same number h of hidden units"
            )
        self.layers = [Affine(W1, b1), ReLU(), Affine(W2, b2)]
        self.last = SoftmaxWithLoss()

    def predict(self, X):
        """The scores Y of the last affine layer, shape (N, m); softmax is monotone."""
        for layer in self.layers:
            X = layer.forward(X)
        return X

    def loss(self, X, t):
        """The mean cross-entropy of the network on (X, t)."""
        return self.last.forward(self.predict(X), t)

    def accuracy(self, X, t):
        """The fraction of samples whose highest score is their label."""
        Y, t = _scores_labels(self.predict(X), t)
        return float(np.mean(np.argmax(Y, axis=1) == t))

    def gradients(self, X, t):
        """The gradient of `loss` by backpropagation: one forward pass, one backward pass."""
        self.loss(X, t)
        d = self.last.backward(1.0)
        for layer in reversed(self.layers):
            d = layer.backward(d)  # ∂f/∂(layer input) is the upstream gradient of the layer below
        first, _, second = self.layers
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}

    def numerical_gradients(self, X, t, h=1e-4):
        """The gradient of `loss` by central differences, two forward passes per parameter."""
        return {
            name: numerical_gradient(lambda _: self.loss(X, t), self.params[name], h)
            for name in PARAMS
        }

    def __repr__(self):
        (n, h), m = self.params["W1"].shape, self.params["W2"].shape[1]
        return f"TwoLayerNet(n={n}, hidden={h}, m={m}, dtype={self.params['W1'].dtype})"


class Training(NamedTuple):
    """The result of `train`: the trained network and its loss curve.

    Examples
    --------
    >>> from affine import spirals
    >>> X, t = spirals(n_per_class=20, classes=2, seed=0)
    >>> run = train(init_params(2, 8, 2, seed=0), X, t, epochs=3, seed=0)
    >>> net, losses = run
    >>> losses.shape
    (4,)
    """

    net: TwoLayerNet
    """The trained network, holding new parameter arrays."""
    losses: np.ndarray
    """The loss on the whole training set before training and after each epoch."""


def train(params, X, t, *, epochs=100, batch_size=32, lr=0.1, momentum=0.9, seed=0):
    r"""Train a `TwoLayerNet` by mini-batch gradient descent with momentum.

    .. math:: v \leftarrow \mu v - \eta \frac{\partial f}{\partial \theta}, \qquad
              \theta \leftarrow \theta + v

    for every parameter θ, with learning rate η = `lr` and momentum μ; μ = 0 is
    plain stochastic gradient descent.

    Parameters
    ----------
    params : dict
        The starting parameters (see `TwoLayerNet`). They are copied, not modified.
    X : array_like, shape (N, n)
    t : array_like of int, shape (N,)
    epochs, batch_size : int, optional
    lr, momentum : float, optional
    seed : int, optional
        Seeds the order in which samples are drawn in each epoch.

    Returns
    -------
    Training
        ``(net, losses)``: the trained network and the loss on (X, t) before
        training and after each epoch (``epochs + 1`` values).

    Examples
    --------
    >>> import numpy as np
    >>> X = np.array([[0.0, 1.0], [1.0, 0.0], [0.0, -1.0], [-1.0, 0.0]])
    >>> t = np.array([0, 0, 1, 1])
    >>> net, losses = train(init_params(2, 8, 2), X, t, epochs=50, batch_size=2)
    >>> bool(losses[-1] < losses[0]), net.accuracy(X, t)
    (True, 1.0)
    """
    X, t = as_real("X", X), as_integers("labels t", t)
    epochs, batch_size = count("epochs", epochs), count("batch_size", batch_size)
    lr, momentum = real_scalar("lr", lr), real_scalar("momentum", momentum)
    if not lr > 0:
        raise ValueError(f"lr must be positive, got {lr!r}")
    if not 0 <= momentum < 1:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
    checked = TwoLayerNet(params)  # checks the names and shapes
    net = TwoLayerNet({name: p.copy() for name, p in checked.params.items()})
    v = dict.fromkeys(PARAMS, 0.0)  # every velocity starts at rest
    rng = np.random.default_rng(count("seed", seed, 0))
    losses = [net.loss(X, t)]
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            batch = order[start : start + batch_size]
            grads = net.gradients(X[batch], t[batch])
            for name, p in net.params.items():
                v[name] = momentum * v[name] - lr * grads[name]  # momentum
                p += v[name]  # in place: the layers hold p
        losses.append(net.loss(X, t))
    return Training(net, np.array(losses))
