"""Toy evaluation of one checkpoint on one task. Standard library only."""
import argparse
import json
import os
import random

p = argparse.ArgumentParser()
p.add_argument("--checkpoints", required=True)
p.add_argument("--task", required=True)
args = p.parse_args()

config = json.load(open(os.environ["EXPT_CONFIG"]))
skill = 0.5  # the untrained control guesses
if os.environ["EXPT_KIND"] != "control":
    checkpoint = os.path.join(args.checkpoints, f"epoch-{config['epoch']}.json")
    skill = json.load(open(checkpoint))["skill"]
rng = random.Random(config["seed"])
difficulty = {"arith": 0.9, "parity": 0.7}[args.task]
correct = sum(rng.random() < skill * difficulty + (1 - difficulty) * 0.5 for _ in range(200))
with open(os.path.join(os.environ["EXPT_OUTPUT_DIR"], "metrics.json"), "w") as f:
    json.dump({"accuracy": correct / 200}, f)  # the task is the job's cell already
print(f"{os.environ['EXPT_VARIANT']} {args.task}: {correct / 200:.3f}")
