"""The toy study every entry point runs: fit y = 2x + 1 by gradient descent. Standard library only."""
import math
import random

POINTS = [(x / 10.0, 2.0 * x / 10.0 + 1.0) for x in range(-10, 11)]


def train(steps, lr, use_bias, optimizer, seed, limit=None):
    """Returns (final loss, loss per step, squared error per point)."""
    rng = random.Random(seed)
    points = POINTS[:limit] if limit is not None else POINTS
    w, b, vw, vb = rng.uniform(-1, 1), 0.0, 0.0, 0.0
    beta = 0.9 if optimizer == "momentum" else 0.0
    history = []
    for _ in range(steps):
        gw = sum(2 * (w * x + b - y) * x for x, y in points) / len(points)
        gb = sum(2 * (w * x + b - y) for x, y in points) / len(points) if use_bias else 0.0
        vw, vb = beta * vw + gw, beta * vb + gb
        w, b = w - lr * vw, b - lr * vb
        history.append(_loss(points, w, b))
    errors = {f"p{i}": (w * x + b - y) ** 2 for i, (x, y) in enumerate(points)}
    return history[-1], history, errors


def _loss(points, w, b):
    value = sum((w * x + b - y) ** 2 for x, y in points) / len(points)
    return value if math.isfinite(value) else float("nan")
