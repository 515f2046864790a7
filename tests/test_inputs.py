"""Bad input is refused with a message that names the argument, in every module that reads it."""

import numpy as np
import pytest
from examples import exactly

from affine import (
    Affine,
    ReLU,
    Sigmoid,
    SoftmaxWithLoss,
    TwoLayerNet,
    backward,
    chain_rule,
    dY_db,
    dY_dW,
    dY_dX,
    forward,
    init_params,
    mean_squared_error,
    mean_squared_error_grad,
    relu,
    relu_backward,
    sigmoid,
    sigmoid_backward,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    spirals,
    total,
    total_grad,
    train,
)

X, W, b, dY = np.ones((2, 2)), np.ones((2, 3)), np.ones(3), np.ones((2, 3))
PARAMS = init_params(2, 3, 3)
t = np.array([0, 2])


def _after_forward(layer, X):
    layer.forward(X)
    return layer


# (the argument's name, a call that passes `a` as that argument, a good value for it)
REAL_ARGUMENTS = [
    ("X", lambda a: forward(a, W, b), X),
    ("W", lambda a: forward(X, a, b), W),
    ("b", lambda a: forward(X, W, a), b),
    ("dY", lambda a: backward(a, X, W), dY),
    ("X", lambda a: backward(dY, a, W), X),
    ("W", lambda a: Affine(a, b), W),
    ("X", lambda a: Affine(W, b).forward(a), X),
    ("W", dY_dX, W),
    ("X", lambda a: dY_dW(a, 3), X[0]),
    ("dY", lambda a: chain_rule(a, dY_dX(W)), dY[0]),
    ("J", lambda a: chain_rule(dY[0], a), dY_dX(W)),
    ("Y", total, dY),
    ("Y", softmax, dY),
    ("T", lambda a: mean_squared_error(dY, a), dY),
    ("Y", lambda a: softmax_cross_entropy(a, t), dY),
    ("X", relu, X),
    ("X", sigmoid, X),
    ("dY", lambda a: relu_backward(a, X), X),
    ("X", lambda a: sigmoid_backward(X, a), X),
    ("X", lambda a: ReLU().forward(a), X),
    ("W1", lambda a: TwoLayerNet({**PARAMS, "W1": a}), PARAMS["W1"]),
    ("X", lambda a: TwoLayerNet(PARAMS).loss(a, t), X),
    ("W", lambda a: backward(dY, X, a), W),
    ("b", lambda a: Affine(W, a), b),
    ("dY", lambda a: _after_forward(Affine(W, b), X).backward(a), dY),
    ("Y", total_grad, dY),
    ("Y", lambda a: mean_squared_error(a, dY), dY),
    ("Y", lambda a: mean_squared_error_grad(a, dY), dY),
    ("T", lambda a: mean_squared_error_grad(dY, a), dY),
    ("Y", lambda a: softmax_cross_entropy_grad(a, t), dY),
    ("Y", lambda a: SoftmaxWithLoss().forward(a, t), dY),
    ("X", lambda a: Sigmoid().forward(a), X),
    ("X", lambda a: relu_backward(X, a), X),
    ("dY", lambda a: sigmoid_backward(a, X), X),
    ("dY", lambda a: _after_forward(ReLU(), X).backward(a), X),
    ("b1", lambda a: TwoLayerNet({**PARAMS, "b1": a}), PARAMS["b1"]),
    ("W2", lambda a: TwoLayerNet({**PARAMS, "W2": a}), PARAMS["W2"]),
    ("b2", lambda a: TwoLayerNet({**PARAMS, "b2": a}), PARAMS["b2"]),
    ("X", lambda a: TwoLayerNet(PARAMS).accuracy(a, t), X),
    ("X", lambda a: train(PARAMS, a, t, epochs=1), X),
]
LABEL_ARGUMENTS = [
    ("labels t", lambda a: softmax_cross_entropy(dY, a), t),
    ("labels t", lambda a: TwoLayerNet(PARAMS).accuracy(X, a), t),
    ("labels t", lambda a: train(PARAMS, X, a, epochs=1), t),
    ("labels t", lambda a: SoftmaxWithLoss().forward(dY, a), t),
]
ALL = REAL_ARGUMENTS + LABEL_ARGUMENTS


def _cases(arguments):
    return pytest.mark.parametrize(("name", "call", "good"), arguments)


@_cases(ALL)
def test_the_good_value_is_accepted(name, call, good):
    call(good)  # so that each case below fails for its one bad property alone


@_cases(ALL)
def test_a_masked_array_is_refused_not_unmasked(name, call, good):
    masked = np.ma.masked_array(good, mask=np.zeros(np.shape(good), dtype=bool))
    message = (
        f"{name} is a masked array, whose mask would be ignored: pass its filled values "
        "(numpy.ma.filled) or only the unmasked entries"
    )
    with pytest.raises(TypeError, match=exactly(message)):
        call(masked)


@_cases(ALL)
def test_a_ragged_list_is_named(name, call, good):
    message = f"{name} is ragged: its nested sequences have different lengths"
    with pytest.raises(ValueError, match=exactly(message)):
        call([[1, 0], [1]])


@pytest.mark.parametrize("dtype", [bool, complex, object, str])
@_cases(REAL_ARGUMENTS)
def test_a_non_real_dtype_is_named(name, call, good, dtype):
    bad = np.asarray(good).astype(dtype)
    expected = f"^{name} has dtype {bad.dtype}; expected real numbers \\(integer or float\\)$"
    with pytest.raises(TypeError, match=expected):
        call(bad)


@pytest.mark.parametrize("dtype", [bool, float, object])
@_cases(LABEL_ARGUMENTS)
def test_labels_that_are_not_integers_are_named(name, call, good, dtype):
    bad = np.asarray(good).astype(dtype)
    with pytest.raises(TypeError, match=f"^labels t must be integers, got dtype {bad.dtype}$"):
        call(bad)


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: train(PARAMS, X, t, lr="0.1"), TypeError, "^lr has dtype <U3"),
        (lambda: train(PARAMS, X, t, lr=[0.1, 0.2]), ValueError, r"^lr must be a single number"),
        (lambda: train(PARAMS, X, t, momentum=None), TypeError, "^momentum has dtype object"),
        (lambda: train(PARAMS, X, t, epochs=True), ValueError, "^epochs must be a .*, got True$"),
        (lambda: init_params(True, 3, 2), ValueError, "^n must be a positive integer, got True$"),
        (lambda: init_params(2, 3, 0), ValueError, "^m must be a positive integer, got 0$"),
        (
            lambda: init_params(2, 3, 2, dtype=int),
            TypeError,
            "^dtype must be a floating dtype, got int64$",
        ),
        (lambda: spirals(turns="1"), TypeError, "^turns has dtype <U1"),
        (lambda: spirals(noise=[0.1]), ValueError, r"^noise must be a single number, got shape"),
        (lambda: spirals(classes=True), ValueError, "^classes must be an integer of at least 2"),
        (lambda: dY_db(3, dtype=int), TypeError, "^dtype must be a floating dtype, got int64$"),
        (lambda: dY_db(3, dtype=str), TypeError, "^dtype must be a floating dtype, got <U0$"),
        (lambda: dY_dW(X[0], True), ValueError, "^m must be a positive integer, got True$"),
    ],
)
def test_bad_options_are_named(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_counts_accept_numpy_integers_and_their_least_value():
    assert spirals(n_per_class=np.int64(2), classes=2)[0].shape == (4, 2)
    assert {name: p.shape for name, p in init_params(1, 1, np.int32(1)).items()} == {
        "W1": (1, 1),
        "b1": (1,),
        "W2": (1, 1),
        "b2": (1,),
    }
    assert dY_db(np.int64(1)).tolist() == [[1.0]]


def test_a_numpy_scalar_upstream_gradient_is_one_number():
    layer = SoftmaxWithLoss()
    layer.forward([[0.0, 0.0]], [0])
    np.testing.assert_array_equal(layer.backward(np.float32(2.0)), [[-1.0, 1.0]])
    np.testing.assert_array_equal(layer.backward(np.array(2)), [[-1.0, 1.0]])


@pytest.mark.parametrize(
    "call",
    [
        lambda seed: spirals(seed=seed),
        lambda seed: init_params(2, 3, 2, seed=seed),
        lambda seed: train(PARAMS, X, t, epochs=1, seed=seed),
    ],
)
@pytest.mark.parametrize("seed", ["0", -1, 1.0, None])
def test_a_seed_is_an_integer_of_at_least_0(call, seed):
    with pytest.raises(ValueError, match=f"^seed must be an integer of at least 0, got {seed!r}$"):
        call(seed)
    call(0)
