"""The affine layer Y = X·W + b, its backpropagation formulas, and the tools that prove them."""

from .activations import ReLU, Sigmoid, relu, relu_backward, sigmoid, sigmoid_backward
from .data import spirals
from .gradcheck import GradientCheck, check_gradient
from .layer import Affine, Gradients, backward, forward
from .losses import (
    mean_squared_error,
    mean_squared_error_grad,
    softmax,
    softmax_cross_entropy,
    softmax_cross_entropy_grad,
    total,
    total_grad,
)
from .network import SoftmaxWithLoss, Training, TwoLayerNet, init_params, train
from .numerical import jacobian, numerical_gradient
from .partials import chain_rule, dY_db, dY_dW, dY_dX

__all__ = [
    "Affine",
    "GradientCheck",
    "Gradients",
    "ReLU",
    "Sigmoid",
    "SoftmaxWithLoss",
    "Training",
    "TwoLayerNet",
    "backward",
    "chain_rule",
    "check_gradient",
    "dY_dW",
    "dY_dX",
    "dY_db",
    "forward",
    "init_params",
    "jacobian",
    "mean_squared_error",
    "mean_squared_error_grad",
    "numerical_gradient",
    "relu",
    "relu_backward",
    "sigmoid",
    "sigmoid_backward",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "spirals",
    "total",
    "total_grad",
    "train",
]
