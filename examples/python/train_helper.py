"""Entry point with expt_entry.py: a dataclass says each param's type; standard library only.

expt_entry.parse reads config.json ($EXPT_CONFIG) and the flags Expt appends, and checks both against the
dataclass: an unknown flag or a value of the wrong type stops with exit code 2 and a message naming the flag.
"""
import dataclasses
import enum
import json
import os
from typing import Dict, List, Literal, Optional

import expt_entry
import toy


class Optimizer(enum.Enum):
    SGD = "sgd"
    MOMENTUM = "momentum"


@dataclasses.dataclass(frozen=True)
class Config:
    entry: Literal["helper", "argparse", "pydantic"] = "helper"
    model: str = "tiny-linear"
    steps: int = 40
    lr: float = 0.1
    use_bias: bool = True
    optimizer: Optimizer = Optimizer.SGD
    tags: List[str] = dataclasses.field(default_factory=list)
    prompts: List[str] = dataclasses.field(default_factory=list)
    extra: Dict[str, str] = dataclasses.field(default_factory=dict)
    metadata: Optional[Dict[str, str]] = None
    limit: Optional[int] = None
    output_dir: str = "."
    seed: int = 42


def main():
    cfg = expt_entry.parse(Config)
    # What was parsed, as JSON, for the example's round-trip test.
    parsed = dataclasses.asdict(cfg)
    parsed["optimizer"] = cfg.optimizer.value
    with open(os.path.join(cfg.output_dir, "parsed.json"), "w", encoding="utf-8") as f:
        json.dump(parsed, f, ensure_ascii=False)

    loss, history, errors = toy.train(cfg.steps, cfg.lr, cfg.use_bias, cfg.optimizer.value, cfg.seed, cfg.limit)
    for step, value in enumerate(history, start=1):
        if step % 10 == 0:
            expt_entry.append_metrics(cfg.output_dir, step, {"loss": value})
    expt_entry.write_per_item_scores(cfg.output_dir, [{"item": k, "sq_error": v} for k, v in errors.items()])
    expt_entry.write_metrics(cfg.output_dir, {"loss": loss, "steps": cfg.steps})
    print(f"{cfg.optimizer.value} bias={cfg.use_bias}: loss {loss:.4f}")


if __name__ == "__main__":
    main()
