"""The source article's worked example: W = [[1,2,3],[4,5,6]], b = [1,2,3], f = Σ y.

Each test prints what the article printed and compares the text.
"""

import numpy as np
import pytest
from examples import B_EXAMPLE, W_EXAMPLE, X_BATCH, X_SINGLE

from affine import Affine, backward, forward, numerical_gradient, total, total_grad

ARTICLE = {
    "single": {"dX": "[[ 6. 15.]]", "dW": "[[1. 1. 1.]\n [2. 2. 2.]]", "db": "[1. 1. 1.]"},
    "batch": {
        "dX": "[[ 6. 15.]\n [ 6. 15.]]",
        "dW": "[[3. 3. 3.]\n [5. 5. 5.]]",
        "db": "[2. 2. 2.]",
    },
}
INPUTS = {"single": X_SINGLE, "batch": X_BATCH}


def numerical(X, W, b):
    """The article's numerical run: closures that read W and b from this scope."""
    X, W, b = X.copy(), W.copy(), b.copy()
    return {
        "dX": numerical_gradient(lambda X_: total(forward(X_, W, b)), X),
        "dW": numerical_gradient(lambda _: total(forward(X, W, b)), W),
        "db": numerical_gradient(lambda _: total(forward(X, W, b)), b),
    }


@pytest.mark.parametrize("case", ["single", "batch"])
def test_numerical_gradient_prints_the_articles_results(case):
    grads = numerical(INPUTS[case], W_EXAMPLE, B_EXAMPLE)
    assert {k: str(v) for k, v in grads.items()} == ARTICLE[case]


@pytest.mark.parametrize("case", ["single", "batch"])
def test_backward_prints_the_articles_results(case):
    X = INPUTS[case]
    dY = total_grad(forward(X, W_EXAMPLE, B_EXAMPLE))
    grads = backward(dY, X, W_EXAMPLE)._asdict()
    assert {k: str(v) for k, v in grads.items()} == ARTICLE[case]


@pytest.mark.parametrize("case", ["single", "batch"])
def test_layer_prints_the_articles_results(case):
    layer = Affine(W_EXAMPLE, B_EXAMPLE)
    Y = layer.forward(INPUTS[case])
    dX = layer.backward(total_grad(Y))
    grads = {"dX": dX, "dW": layer.dW, "db": layer.db}
    assert {k: str(v) for k, v in grads.items()} == ARTICLE[case]


def test_forward_of_the_worked_example():
    assert str(forward(X_SINGLE, W_EXAMPLE, B_EXAMPLE)) == "[[10. 14. 18.]]"
    assert total(forward(X_BATCH, W_EXAMPLE, B_EXAMPLE)) == 42.0 + 63.0


def test_numerical_and_backprop_agree_to_round_off():
    for X in INPUTS.values():
        dY = np.ones((X.shape[0], 3))
        exact = backward(dY, X, W_EXAMPLE)
        approx = numerical(X, W_EXAMPLE, B_EXAMPLE)
        for name in ("dX", "dW", "db"):
            np.testing.assert_allclose(approx[name], getattr(exact, name), rtol=1e-9)


def test_single_sample_db_keeps_bs_shape_where_the_articles_dy_kept_the_batch_axis():
    dY = np.ones((1, 3))
    assert dY.shape == (1, 3)  # the article's db = dy printed [[1. 1. 1.]]
    assert backward(dY, X_SINGLE, W_EXAMPLE).db.shape == B_EXAMPLE.shape
