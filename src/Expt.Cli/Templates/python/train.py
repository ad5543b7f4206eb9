"""Entry point of __EXPERIMENT__ (made by `expt init`): fits y = 2x + 1 by gradient descent.

Expt runs it once per variant with `--<param> <value>` flags and `--output_dir DIR`; expt_entry.py (standard
library only) reads them, and config.json, into the dataclass below. Add a param to experiment.yaml and a field
here: a flag the dataclass does not know stops the job with exit code 2 and a message naming it.
"""
import dataclasses
from typing import List, Optional

import expt_entry


@dataclasses.dataclass(frozen=True)
class Config:
    lr: float = 0.1
    steps: int = 50
    tags: List[str] = dataclasses.field(default_factory=list)
    limit: Optional[int] = None
    output_dir: str = "."  # set by Expt: this job's folder
    seed: int = 42


def main():
    cfg = expt_entry.parse(Config)
    points = [(x / 10, 2 * x / 10 + 1) for x in range(-10, 11)][: cfg.limit]
    w = b = 0.0
    loss = float("nan")
    for step in range(1, cfg.steps + 1):
        errors = [w * x + b - y for x, y in points]
        w -= cfg.lr * sum(2 * e * x for e, (x, _) in zip(errors, points)) / len(points)
        b -= cfg.lr * sum(2 * e for e in errors) / len(points)
        loss = sum(e * e for e in errors) / len(points)
        expt_entry.append_metrics(cfg.output_dir, step, {"loss": loss})  # metrics.jsonl: the curve
    expt_entry.write_metrics(cfg.output_dir, {"loss": loss})  # metrics.json: what `expt report` compares
    print(f"lr={cfg.lr}: loss {loss:.4f}")


if __name__ == "__main__":
    main()
