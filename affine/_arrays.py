"""Input checks shared by the package: real floating-point arrays, real scalars and counts."""

import numpy as np


def as_real(name, a):
    """Return `a` as an array of real floating point, without copying a float array.

    Integers are promoted to float64 (``x + h`` must not be truncated); float16,
    float32 and float64 keep their dtype. Booleans, complex numbers, strings and
    objects are a `TypeError`, masked arrays too (their mask would be dropped
    silently), and ragged nested lists a `ValueError`: each message names the argument.
    """
    a = _as_array(name, a)
    if np.issubdtype(a.dtype, np.integer):
        return np.asarray(a, dtype=np.float64)
    if not np.issubdtype(a.dtype, np.floating):
        raise TypeError(f"{name} has dtype {a.dtype}; expected real numbers (integer or float)")
    return a


def as_integers(name, a):
    """Return `a` as an integer array (labels), or raise naming `name` as `as_real` does."""
    a = _as_array(name, a)
    if not np.issubdtype(a.dtype, np.integer):
        raise TypeError(f"{name} must be integers, got dtype {a.dtype}")
    return a


def _as_array(name, a):
    if isinstance(a, np.ma.MaskedArray):
        raise TypeError(
            f"{name} is a masked array, whose mask would be ignored: pass its filled "
            "values (numpy.ma.filled) or only the unmasked entries"
        )
    try:
        a = np.asarray(a)
    except ValueError:  # numpy's message for ragged nesting names no argument
        raise ValueError(f"{name} is ragged: its nested sequences have different lengths") from None
    return a


def real_scalar(name, value):
    """Return `value` as a float, or raise naming `name` if it is not one real number."""
    a = as_real(name, value)
    if a.ndim != 0:
        raise ValueError(f"{name} must be a single number, got shape {a.shape}")
    return float(a)


def count(name, value, minimum=1):
    """Return `value` as an int, or raise naming `name` if it is not an integer ≥ `minimum`."""
    is_integer = isinstance(value, int | np.integer) and not isinstance(value, bool)
    if not (is_integer and value >= minimum):
        wanted = "a positive integer" if minimum == 1 else f"an integer of at least {minimum}"
        raise ValueError(f"{name} must be {wanted}, got {value!r}")
    return int(value)
