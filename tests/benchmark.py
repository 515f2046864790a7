"""Benchmarks (``nox -s bench``): ratios of times measured side by side, not tests.

1. `affine.backward` against the bare numpy expressions it wraps, at N = 256,
   n = m = 1024, float64, single-threaded BLAS: the cost of its checks (target <= 1.05).
2. `affine.numerical_gradient` against the textbook loop (np.nditer, in place) on a
   32×32 W: the cost of its safety (target <= 1.0).
3. `affine.check_gradient` against `affine.numerical_gradient` on the same W, with the
   evaluations of f counted (target <= 4 per element, plus 1, plus 8 to 40 for f's noise).

Each pair is timed interleaved, A B A B …, and the ratio of the medians is printed.
"""

import statistics
import time

import numpy as np
from threadpoolctl import threadpool_info, threadpool_limits

from affine import backward, check_gradient, forward, numerical_gradient


def interleaved(a, b, repeats):
    """Median seconds of a() and of b(), called alternately `repeats` times each."""
    times = {a: [], b: []}
    for _ in range(repeats):
        for fn in (a, b):
            start = time.perf_counter()
            fn()
            times[fn].append(time.perf_counter() - start)
    return statistics.median(times[a]), statistics.median(times[b])


def textbook_numerical_gradient(f, x):
    """The textbook loop, as readers know it: perturbs x in place, divides by 2h."""
    h = 1e-4
    grad = np.zeros_like(x)
    it = np.nditer(x, flags=["multi_index"], op_flags=[["readwrite"]])
    while not it.finished:
        idx = it.multi_index
        tmp_val = x[idx]
        x[idx] = float(tmp_val) + h
        fxh1 = f(x)
        x[idx] = tmp_val - h
        fxh2 = f(x)
        grad[idx] = (fxh1 - fxh2) / (2 * h)
        x[idx] = tmp_val
        it.iternext()
    return grad


def bench_backward(repeats):
    rng = np.random.default_rng(0)
    N, n, m = 256, 1024, 1024
    X, W, dY = rng.normal(size=(N, n)), rng.normal(size=(n, m)), rng.normal(size=(N, m))

    def bare():
        return dY @ W.T, X.T @ dY, dY.sum(axis=0)

    def wrapped():
        return backward(dY, X, W)

    for got, want in zip(wrapped(), bare(), strict=True):
        np.testing.assert_array_equal(got, want)
    return interleaved(wrapped, bare, repeats)


def bench_numerical_gradient(repeats):
    rng = np.random.default_rng(1)
    X, W, b, dY = (rng.normal(size=s) for s in [(4, 32), (32, 32), 32, (4, 32)])

    def f(_):
        return np.sum(dY * forward(X, W, b))

    np.testing.assert_allclose(
        numerical_gradient(f, W), textbook_numerical_gradient(f, W), rtol=1e-6, atol=1e-9
    )
    return interleaved(
        lambda: numerical_gradient(f, W), lambda: textbook_numerical_gradient(f, W), repeats
    )


def bench_check_gradient(repeats):
    rng = np.random.default_rng(1)
    X, W, b, dY = (rng.normal(size=s) for s in [(4, 32), (32, 32), 32, (4, 32)])
    calls = [0]

    def f(_):
        calls[0] += 1
        return np.sum(dY * forward(X, W, b))

    dW = backward(dY, X, W).dW
    assert check_gradient(f, W, dW).passed
    counts = []
    for differentiate in (lambda: check_gradient(f, W, dW), lambda: numerical_gradient(f, W)):
        calls[0] = 0
        differentiate()
        counts.append(calls[0])
    times = interleaved(lambda: check_gradient(f, W, dW), lambda: numerical_gradient(f, W), repeats)
    return times, counts, W.size


def main():
    with threadpool_limits(limits=1, user_api="blas"):
        blas = [
            f"{i['internal_api']} {i['version']} ({i['num_threads']} thread)"
            for i in threadpool_info()
        ]
        print(f"numpy {np.__version__}, BLAS: {', '.join(blas)}")
        rows = [
            ("backward / bare numpy, N=256 n=m=1024 float64", bench_backward(31), 1.05),
            ("numerical_gradient / textbook loop, 32x32 W", bench_numerical_gradient(31), 1.0),
        ]
        (check, plain), (n_check, n_plain), size = bench_check_gradient(31)
    for name, (ours, theirs), target in rows:
        ratio = ours / theirs
        verdict = "meets" if ratio <= target else "MISSES"
        print(
            f"{name}: {ours * 1e3:.2f} ms / {theirs * 1e3:.2f} ms = {ratio:.3f} "
            f"({verdict} target <= {target})"
        )
    verdict = "meets" if n_check <= 4 * size + 1 + 40 else "MISSES"
    print(
        f"check_gradient / numerical_gradient, 32x32 W: {check * 1e3:.2f} ms / "
        f"{plain * 1e3:.2f} ms = {check / plain:.3f}; f evaluations {n_check} / {n_plain} "
        f"for {size} elements ({verdict} target <= 4 per element + 1 + 40)"
    )


if __name__ == "__main__":
    main()
