"""The affine layer Y = X·W + b, its backpropagation formulas, and the tools that prove them."""

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
from .numerical import jacobian, numerical_gradient
from .partials import chain_rule, dY_db, dY_dW, dY_dX

__all__ = [
    "Affine",
    "GradientCheck",
    "Gradients",
    "backward",
    "chain_rule",
    "check_gradient",
    "dY_dW",
    "dY_dX",
    "dY_db",
    "forward",
    "jacobian",
    "mean_squared_error",
    "mean_squared_error_grad",
    "numerical_gradient",
    "softmax",
    "softmax_cross_entropy",
    "softmax_cross_entropy_grad",
    "total",
    "total_grad",
]
