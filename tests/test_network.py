"""The loss layer, the two-layer network, its training, and the spirals it learns."""

import numpy as np
import pytest
from examples import exactly
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.testing import assert_allclose, assert_array_equal

from affine import (
    SoftmaxWithLoss,
    TwoLayerNet,
    check_gradient,
    init_params,
    numerical_gradient,
    softmax,
    softmax_cross_entropy,
    spirals,
    train,
)
from affine.network import PARAMS


def _batch(rng, N, n, m):
    return rng.standard_normal((N, n)), rng.integers(0, m, N)


# The loss layer


@pytest.mark.parametrize(("N", "m"), [(1, 3), (4, 2), (3, 5)])
def test_softmax_with_loss_grad_equals_numerical_times_upstream(N, m):
    rng = np.random.default_rng(0)
    Y, t = 3 * rng.standard_normal((N, m)), rng.integers(0, m, N)
    df = 0.7  # a random upstream ∂f/∂loss, not 1
    layer = SoftmaxWithLoss()
    layer.forward(Y, t)
    result = check_gradient(lambda Y: df * softmax_cross_entropy(Y, t), Y, layer.backward(df))
    assert result, str(result)


def test_softmax_with_loss_grad_is_p_minus_onehot_over_N():
    Y, t = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0]]), np.array([2, 0])
    layer = SoftmaxWithLoss()
    layer.forward(Y, t)
    assert_allclose(layer.backward(), (softmax(Y) - np.eye(3)[t]) / 2)


def test_softmax_with_loss_is_stable_at_large_scores():
    layer = SoftmaxWithLoss()
    assert layer.forward([[1000.0, 0.0], [0.0, -1000.0]], [0, 1]) == pytest.approx(500.0)
    assert_allclose(layer.backward(), [[0.0, 0.0], [0.5, -0.5]])


def test_softmax_with_loss_rejects_a_vector_upstream_gradient():
    layer = SoftmaxWithLoss()
    layer.forward([[0.0, 1.0]], [1])
    with pytest.raises(ValueError, match=r"^df must be a single number, got shape \(2,\)$"):
        layer.backward(np.ones(2))
    with pytest.raises(
        TypeError, match=r"^df has dtype <U1; expected real numbers \(integer or float\)$"
    ):
        layer.backward("1")


def test_softmax_with_loss_backward_before_forward_is_an_error():
    message = "SoftmaxWithLoss.backward called before forward: there is no Y"
    with pytest.raises(RuntimeError, match=f"^{message}$"):
        SoftmaxWithLoss().backward()


# The network


@pytest.mark.parametrize(("N", "n", "hidden", "m"), [(1, 2, 3, 4), (5, 3, 4, 2), (4, 4, 6, 3)])
def test_backprop_gradients_equal_numerical(N, n, hidden, m):
    rng = np.random.default_rng(1)
    net = TwoLayerNet(init_params(n, hidden, m, seed=2))
    net.params["b1"] += 0.1  # keep hidden pre-activations away from ReLU's kink at 0
    X, t = _batch(rng, N, n, m)
    grads = net.gradients(X, t)
    for name in PARAMS:
        assert grads[name].shape == net.params[name].shape
        result = check_gradient(lambda _: net.loss(X, t), net.params[name], grads[name])
        assert result, f"{name}: {result}"


def test_gradients_leave_X_t_and_params_unchanged():
    rng = np.random.default_rng(3)
    params = init_params(3, 5, 4, seed=3)
    before = {name: p.copy() for name, p in params.items()}
    X, t = _batch(rng, 6, 3, 4)
    X0, t0 = X.copy(), t.copy()
    net = TwoLayerNet(params)
    net.gradients(X, t)
    net.numerical_gradients(X, t)
    for name in PARAMS:
        assert_array_equal(params[name], before[name])
    assert_array_equal(X, X0)
    assert_array_equal(t, t0)


def test_network_holds_float_params_by_reference():
    params = init_params(2, 3, 2)
    net = TwoLayerNet(params)
    assert net.params["W1"] is params["W1"]
    assert net.layers[0].W is params["W1"]


def test_float32_network_stays_float32():
    rng = np.random.default_rng(4)
    net = TwoLayerNet(init_params(2, 4, 3, dtype=np.float32))
    X, t = _batch(rng, 5, 2, 3)
    X = X.astype(np.float32)
    assert net.predict(X).dtype == np.float32
    assert all(g.dtype == np.float32 for g in net.gradients(X, t).values())


def test_integer_params_are_promoted_to_float64():
    net = TwoLayerNet({"W1": [[1, 0], [0, 1]], "b1": [0, 0], "W2": [[1], [1]], "b2": [0]})
    assert all(p.dtype == np.float64 for p in net.params.values())


def test_missing_parameter_is_named():
    params = init_params(2, 3, 2)
    del params["b2"]
    with pytest.raises(ValueError, match=r"^params lacks b2; it needs W1, b1, W2, b2$"):
        TwoLayerNet(params)


def test_hidden_sizes_must_agree():
    params = init_params(2, 3, 2)
    params["W2"] = np.ones((4, 2))
    message = (
        r"^W1 has shape \(2, 3\) and W2 has shape \(4, 2\): W1 must be \(n, h\) and W2 \(h, m\), "
        "with the same number h of hidden units$"
    )
    with pytest.raises(ValueError, match=message):
        TwoLayerNet(params)


def test_wrong_number_of_features_names_both_shapes():
    net = TwoLayerNet(init_params(2, 3, 2))
    message = "X has 3 features on its last axis (shape (4, 3)) but W has 2 rows (shape (2, 3))"
    with pytest.raises(ValueError, match=exactly(message)):
        net.loss(np.ones((4, 3)), np.zeros(4, dtype=int))


@pytest.mark.parametrize("bad", [0, -1, 2.5])
def test_init_params_rejects_bad_sizes(bad):
    with pytest.raises(ValueError, match=f"^hidden must be a positive integer, got {bad!r}$"):
        init_params(2, bad, 3)


@given(st.integers(0, 2**32 - 1))
@settings(max_examples=10)
def test_init_params_is_reproducible_from_its_seed(seed):
    a, b = init_params(3, 4, 2, seed=seed), init_params(3, 4, 2, seed=seed)
    for name in PARAMS:
        assert_array_equal(a[name], b[name])


# Training


def test_train_lowers_the_loss_and_fits_the_spirals():
    X, t = spirals(n_per_class=60, classes=3, seed=0)
    net, losses = train(init_params(2, 32, 3, seed=0), X, t, epochs=150, batch_size=30)
    assert losses.shape == (151,)
    assert losses[-1] < losses[0] / 5
    assert net.accuracy(X, t) > 0.9


def test_train_does_not_modify_the_starting_params():
    X, t = spirals(n_per_class=10, classes=2, seed=1)
    params = init_params(2, 4, 2, seed=1)
    before = {name: p.copy() for name, p in params.items()}
    net, _ = train(params, X, t, epochs=3)
    for name in PARAMS:
        assert_array_equal(params[name], before[name])
        assert not np.shares_memory(net.params[name], params[name])


def test_train_is_reproducible_from_its_seed():
    X, t = spirals(n_per_class=10, classes=2, seed=1)
    runs = [train(init_params(2, 4, 2), X, t, epochs=5, batch_size=4, seed=7) for _ in range(2)]
    assert_array_equal(runs[0].losses, runs[1].losses)


def test_plain_sgd_is_momentum_zero():
    X, t = spirals(n_per_class=10, classes=2, seed=1)
    params = init_params(2, 4, 2)
    net, _ = train(params, X, t, epochs=1, batch_size=len(X), lr=0.5, momentum=0.0)
    grads = TwoLayerNet(params).gradients(X, t)
    for name in PARAMS:  # one full-batch step: θ − η ∂f/∂θ
        assert_allclose(net.params[name], params[name] - 0.5 * grads[name])


def test_train_keeps_float32():
    X, t = spirals(n_per_class=10, classes=2, seed=1)
    net, _ = train(init_params(2, 4, 2, dtype=np.float32), X.astype(np.float32), t, epochs=2)
    assert all(p.dtype == np.float32 for p in net.params.values())


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"epochs": 0}, "^epochs must be a positive integer, got 0$"),
        ({"batch_size": 1.5}, "^batch_size must be a positive integer, got 1.5$"),
        ({"lr": -0.1}, "^lr must be positive, got -0.1$"),
        ({"lr": 0}, "^lr must be positive, got 0.0$"),
        ({"momentum": 1.0}, r"^momentum must be in \[0, 1\), got 1.0$"),
        ({"momentum": -0.5}, r"^momentum must be in \[0, 1\), got -0.5$"),
    ],
)
def test_train_rejects_bad_options(option, message):
    X, t = spirals(n_per_class=5, classes=2)
    with pytest.raises(ValueError, match=message):
        train(init_params(2, 3, 2), X, t, **option)


def test_numerical_gradients_agree_with_numerical_gradient_on_a_copy():
    rng = np.random.default_rng(5)
    params = init_params(2, 3, 2, seed=5)
    X, t = _batch(rng, 3, 2, 2)
    net = TwoLayerNet(params)

    def loss_at(W2):
        return TwoLayerNet({**params, "W2": W2}).loss(X, t)

    expected = numerical_gradient(loss_at, params["W2"].copy())
    assert_allclose(net.numerical_gradients(X, t)["W2"], expected, rtol=1e-12)


# The spirals


def test_spirals_shapes_labels_and_radius():
    X, t = spirals(n_per_class=40, classes=4, noise=0.0)
    assert X.shape == (160, 2) and t.shape == (160,)
    assert_array_equal(np.bincount(t), [40] * 4)
    r = np.hypot(X[:, 0], X[:, 1])
    assert_allclose(r[:40], np.linspace(0, 1, 40), atol=1e-15)


def test_spirals_without_noise_start_their_arms_evenly_spaced():
    X, _ = spirals(n_per_class=11, classes=4, turns=0.0, noise=0.0)
    ends = X[10::11]  # r = 1 at the last point of each arm
    assert_allclose(ends, [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, -1.0]], atol=1e-15)


def test_spirals_are_reproducible_from_their_seed():
    assert_array_equal(spirals(seed=3)[0], spirals(seed=3)[0])
    assert not np.array_equal(spirals(seed=3)[0], spirals(seed=4)[0])


@pytest.mark.parametrize(
    ("option", "message"),
    [
        ({"n_per_class": 1}, "^n_per_class must be an integer of at least 2, got 1$"),
        ({"classes": 2.0}, "^classes must be an integer of at least 2, got 2.0$"),
        ({"noise": -0.1}, "^turns must be finite and noise >= 0, got turns=0.75, noise=-0.1$"),
        ({"noise": np.nan}, "^turns must be finite and noise >= 0, got turns=0.75, noise=nan$"),
        ({"turns": np.inf}, "^turns must be finite and noise >= 0, got turns=inf, noise=0.2$"),
    ],
)
def test_spirals_reject_bad_options(option, message):
    with pytest.raises(ValueError, match=message):
        spirals(**option)


def test_init_params_draws_he_scale_weights_and_zero_biases():
    params = init_params(400, 300, 200, seed=0)
    assert np.std(params["W1"]) == pytest.approx(np.sqrt(2 / 400), rel=0.02)  # fan-in n
    assert np.std(params["W2"]) == pytest.approx(np.sqrt(2 / 300), rel=0.02)  # fan-in hidden
    assert abs(np.mean(params["W1"])) < 0.1 * np.sqrt(2 / 400)  # centred at 0
    assert not params["b1"].any() and not params["b2"].any()
    assert all(p.dtype == np.float64 for p in params.values())


def test_numerical_gradients_use_their_step_h():
    rng = np.random.default_rng(6)
    params = init_params(2, 3, 2, seed=6)
    X, t = _batch(rng, 3, 2, 2)
    net = TwoLayerNet(params)
    h = 0.5  # large enough that the central difference of the curved loss depends on it

    def loss_at(W1):
        return TwoLayerNet({**params, "W1": W1}).loss(X, t)

    coarse = net.numerical_gradients(X, t, h=h)["W1"]
    assert_allclose(coarse, numerical_gradient(loss_at, params["W1"].copy(), h), rtol=1e-12)
    assert not np.allclose(coarse, net.numerical_gradients(X, t)["W1"], rtol=1e-6, atol=0)


def test_accuracy_counts_the_samples_whose_top_score_is_their_label():
    net = TwoLayerNet({"W1": np.eye(2), "b1": np.zeros(2), "W2": np.eye(2), "b2": np.zeros(2)})
    X = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 1.0], [1.0, 3.0]])
    assert net.accuracy(X, [0, 1, 1, 1]) == 0.75
    with pytest.raises(ValueError, match=r"^labels t have shape \(2,\) but Y has shape \(4, 2\)$"):
        net.accuracy(X, [0, 1])


def test_train_on_no_samples_is_refused():
    with pytest.raises(ValueError, match=r"^Y has shape \(0, 2\): the mean cross-entropy needs"):
        train(init_params(2, 3, 2), np.zeros((0, 2)), np.zeros(0, dtype=int))


def test_train_accepts_the_edges_of_its_options():
    X, t = spirals(n_per_class=5, classes=2)
    _, losses = train(init_params(2, 3, 2), X, t, epochs=1, batch_size=1, lr=1e-3, momentum=0)
    assert losses.shape == (2,) and np.isfinite(losses).all()


def test_spirals_radius_is_exact_whatever_the_noise():
    X, t = spirals(n_per_class=21, classes=3, noise=0.5, seed=2)
    r = np.hypot(X[:, 0], X[:, 1])
    assert_allclose(r, np.tile(np.linspace(0, 1, 21), 3), rtol=1e-14, atol=1e-15)
    assert_array_equal(t, np.repeat([0, 1, 2], 21))


def test_spirals_noise_moves_the_angle():
    quiet, _ = spirals(n_per_class=21, classes=3, noise=0.0, seed=2)
    noisy, _ = spirals(n_per_class=21, classes=3, noise=0.5, seed=2)
    angle = np.arctan2(noisy[1:, 1], noisy[1:, 0]) - np.arctan2(quiet[1:, 1], quiet[1:, 0])
    spread = np.std(np.angle(np.exp(1j * angle)))  # wrapped to (-π, π]
    assert 0.3 < spread < 0.7  # about noise = 0.5 radians


def test_spirals_wind_by_turns():
    X, _ = spirals(n_per_class=5, classes=2, turns=0.25, noise=0.0)
    assert_allclose(X[4], [0.0, 1.0], atol=1e-15)  # r = 1, θ = 2π · 0.25
    assert_allclose(X[9], [0.0, -1.0], atol=1e-15)  # second arm, θ = 2π (1/2 + 0.25)


def test_network_and_loss_layer_print_their_shapes():
    net = TwoLayerNet(init_params(2, 4, 3, dtype=np.float32))
    assert repr(net) == "TwoLayerNet(n=2, hidden=4, m=3, dtype=float32)"
    assert repr(SoftmaxWithLoss()) == "SoftmaxWithLoss()"


def test_every_missing_parameter_is_named():
    with pytest.raises(ValueError, match=exactly("params lacks b1, b2; it needs W1, b1, W2, b2")):
        TwoLayerNet({"W1": np.ones((2, 3)), "W2": np.ones((3, 2))})


@pytest.mark.parametrize(
    ("W1", "W2"), [(np.ones(2), np.ones((3, 2))), (np.ones((2, 3)), np.ones(3))]
)
def test_both_weights_must_be_matrices(W1, W2):
    message = (
        f"W1 has shape {W1.shape} and W2 has shape {W2.shape}: W1 must be (n, h) and W2 (h, m), "
        "with the same number h of hidden units"
    )
    with pytest.raises(ValueError, match=exactly(message)):
        TwoLayerNet({"W1": W1, "b1": np.zeros(3), "W2": W2, "b2": np.zeros(2)})


def test_network_copies_read_only_params_so_that_training_can_update_them():
    params = init_params(2, 3, 2)
    params["W1"].flags.writeable = False
    net = TwoLayerNet(params)
    assert net.params["W1"] is not params["W1"] and net.params["W1"].flags.writeable
    assert net.layers[0].W is net.params["W1"]  # the layer and the network share the copy
    assert net.params["W2"] is params["W2"]


def test_momentum_adds_the_last_step_times_mu():
    X, t = spirals(n_per_class=10, classes=2, seed=1)
    params, lr, mu = init_params(2, 4, 2), 0.5, 0.9
    net, _ = train(params, X, t, epochs=2, batch_size=len(X), lr=lr, momentum=mu)
    grads_0 = TwoLayerNet(params).gradients(X, t)
    step_1 = {name: -lr * grads_0[name] for name in PARAMS}  # from rest: v = −η ∂f/∂θ
    after_1 = {name: params[name] + step_1[name] for name in PARAMS}
    grads_1 = TwoLayerNet(after_1).gradients(X, t)
    for name in PARAMS:  # v ← μ v − η ∂f/∂θ, θ ← θ + v
        expected = after_1[name] + mu * step_1[name] - lr * grads_1[name]
        assert_allclose(net.params[name], expected, rtol=1e-12, atol=1e-15)


def test_train_defaults_are_the_documented_ones():
    X, t = spirals(n_per_class=20, classes=2, seed=1)  # 40 samples: two batches of at most 32
    params = init_params(2, 4, 2)
    default = train(params, X, t)
    explicit = train(params, X, t, epochs=100, batch_size=32, lr=0.1, momentum=0.9, seed=0)
    assert default.losses.shape == (101,)
    assert_array_equal(default.losses, explicit.losses)


def test_init_params_seed_defaults_to_0():
    for name, p in init_params(2, 3, 2).items():
        assert_array_equal(p, init_params(2, 3, 2, seed=0)[name])


def test_spirals_defaults_are_the_documented_ones():
    X, t = spirals()
    assert X.shape == (300, 2) and np.bincount(t).tolist() == [100] * 3
    assert_array_equal(X, spirals(n_per_class=100, classes=3, turns=0.75, noise=0.2, seed=0)[0])


def test_spirals_follow_the_documented_formula():
    n, K, turns, noise, seed = 7, 3, 0.6, 0.3, 5
    X, t = spirals(n, K, turns=turns, noise=noise, seed=seed)
    r, c = np.tile(np.linspace(0, 1, n), K), np.repeat(np.arange(K), n)
    z = np.random.default_rng(seed).standard_normal(n * K)  # the documented draw
    theta = 2 * np.pi * (c / K + turns * r) + noise * z
    assert_allclose(X, r[:, None] * np.column_stack([np.cos(theta), np.sin(theta)]), atol=1e-15)
    assert_array_equal(t, c)
