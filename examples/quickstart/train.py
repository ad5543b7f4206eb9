"""Toy entry point for the quickstart: fits a polynomial of degree `rank` by gradient descent.

It shows the three ways Expt hands a job its config: flags (parsed below), config.json
($EXPT_CONFIG) and environment variables. Standard library only.
"""
import argparse
import json
import os
import random
import time


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--model", choices=["poly", "poly-ridge"], required=True)
    p.add_argument("--rank", type=int, required=True)
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--tags", type=json.loads, required=True)  # lists arrive as one JSON value
    p.add_argument("--data_path", required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--output_dir", required=True)
    return p.parse_args()


def load(path):
    with open(path) as f:
        next(f)
        return [tuple(map(float, line.split(","))) for line in f if line.strip()]


def main():
    args = parse_args()
    with open(os.environ["EXPT_CONFIG"]) as f:
        assert json.load(f)["rank"] == args.rank, "flags and config.json disagree"
    # The seed picks the starting weights and the order of the minibatches: each seed is one replicate.
    rng = random.Random(args.seed)
    points = load(args.data_path)
    weights = [rng.gauss(0.0, 0.5) for _ in range(args.rank + 1)]
    ridge = 1e-3 if args.model == "poly-ridge" else 0.0

    def loss_of(weights):
        return sum((predict(weights, x) - y) ** 2 for x, y in points) / len(points)

    series = open(os.path.join(args.output_dir, "metrics.jsonl"), "w")
    started = time.time()
    for step in range(1, args.steps + 1):
        batch = rng.sample(points, 10)
        grads = [0.0] * len(weights)
        for x, y in batch:
            err = predict(weights, x) - y
            for k in range(len(weights)):
                grads[k] += 2 * err * x**k / len(batch) + 2 * ridge * weights[k]
        weights = [w - args.lr * 5 * g for w, g in zip(weights, grads)]
        if step % 20 == 0:
            series.write(json.dumps({"step": step, "loss": loss_of(weights)}) + "\n")
    series.close()
    loss = loss_of(weights)
    # One row per point: reports pair the points across variants.
    with open(os.path.join(args.output_dir, "per_item_scores.csv"), "w") as f:
        f.write("point,sq_error\n")
        for i, (x, y) in enumerate(points):
            f.write(f"{i},{(predict(weights, x) - y) ** 2:.6g}\n")
    metrics = {"loss": loss, "n_points": len(points), "seconds": round(time.time() - started, 3)}
    with open(os.path.join(args.output_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(f"{os.environ['EXPT_VARIANT']}: final loss {loss:.4f} (attempt {os.environ['EXPT_ATTEMPT']})")


def predict(weights, x):
    return sum(w * x**k for k, w in enumerate(weights))


if __name__ == "__main__":
    main()
