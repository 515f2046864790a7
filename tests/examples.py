"""Shared test data: the worked example of the source article, and random layers."""

import re

import numpy as np
from hypothesis import strategies as st

W_EXAMPLE = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
B_EXAMPLE = np.array([1.0, 2.0, 3.0])
X_SINGLE = np.array([[1.0, 2.0]])
X_BATCH = np.array([[1.0, 2.0], [2.0, 3.0]])


def doubling(x):
    """An f that writes into its argument: doubles it in place."""
    x *= 2
    return float(x.sum())


def clipping(x):
    """An f that writes into its argument through ``out=``."""
    np.clip(x, -0.5, 0.5, out=x)
    return float(x.sum())


def exactly(message):
    """A pattern for `pytest.raises(match=...)` that matches `message` and nothing more."""
    return f"^{re.escape(message)}$"


@st.composite
def layers(draw, batch_shapes=None):
    """A random affine layer (X, W, b, dY): n, m in 1..5 and X of rank 1, 2 or 3.

    dY is a random upstream gradient, so that f(Y) = Σ dY ∘ Y has ∂f/∂Y = dY.
    """
    n = draw(st.integers(1, 5), label="n")
    m = draw(st.integers(1, 5), label="m")
    if batch_shapes is None:
        batch_shapes = st.sampled_from([(), (1,), (2,), (4,), (1, 3), (2, 3), (2, 1, 2)])
    lead = draw(batch_shapes, label="batch shape")
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1), label="seed"))
    X = rng.normal(size=(*lead, n))
    W = rng.normal(size=(n, m))
    b = rng.normal(size=m)
    dY = rng.normal(size=(*lead, m))
    return X, W, b, dY
