"""Input checks shared by the package: real floating-point arrays and named shapes."""

import numpy as np


def as_real(name, a):
    """Return `a` as an array of real floating point, without copying a float array.

    Integers and booleans are promoted to float64 (``x + h`` must not be truncated);
    float16, float32 and float64 keep their dtype. Anything else is a `TypeError`
    that names the argument and its dtype.
    """
    a = np.asarray(a)
    if a.dtype.kind in "biu":
        return a.astype(np.float64)
    if a.dtype.kind != "f":
        raise TypeError(f"{name} has dtype {a.dtype}; expected real numbers (integer or float)")
    return a
