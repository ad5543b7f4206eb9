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
    random.seed(args.seed)
    points = load(args.data_path)
    weights = [0.0] * (args.rank + 1)
    ridge = 1e-3 if args.model == "poly-ridge" else 0.0
    series = open(os.path.join(args.output_dir, "metrics.jsonl"), "w")
    started = time.time()
    loss = 0.0
    for step in range(1, args.steps + 1):
        grads = [0.0] * len(weights)
        loss = 0.0
        for x, y in points:
            pred = sum(w * x**k for k, w in enumerate(weights))
            err = pred - y
            loss += err * err / len(points)
            for k in range(len(weights)):
                grads[k] += 2 * err * x**k / len(points) + 2 * ridge * weights[k]
        weights = [w - args.lr * 5 * g for w, g in zip(weights, grads)]
        if step % 20 == 0:
            series.write(json.dumps({"step": step, "loss": loss}) + "\n")
    series.close()
    metrics = {"loss": loss, "rank": args.rank, "seconds": round(time.time() - started, 3)}
    with open(os.path.join(args.output_dir, "metrics.json"), "w") as f:
        json.dump(metrics, f, indent=2)
    print(f"{os.environ['EXPT_VARIANT']}: final loss {loss:.4f} (attempt {os.environ['EXPT_ATTEMPT']})")


if __name__ == "__main__":
    main()
