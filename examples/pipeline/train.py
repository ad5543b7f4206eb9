"""Toy fine-tuning: writes one 'checkpoint' per epoch. Standard library only."""
import argparse
import json
import os
import time

p = argparse.ArgumentParser()
p.add_argument("--rank", type=int, required=True)
p.add_argument("--epochs", type=int, required=True)
p.add_argument("--seed", type=int, required=True)
p.add_argument("--output_dir", required=True)
args = p.parse_args()

for epoch in range(1, args.epochs + 1):
    time.sleep(0.2 * args.rank / 2)  # larger ranks train longer
    skill = 1 - 0.5 / (1 + args.rank * epoch)
    with open(os.path.join(args.output_dir, f"epoch-{epoch}.json"), "w") as f:
        json.dump({"epoch": epoch, "skill": skill}, f)
with open(os.path.join(args.output_dir, "metrics.json"), "w") as f:
    json.dump({"final_skill": skill}, f)
print(f"trained rank {args.rank} for {args.epochs} epochs")
