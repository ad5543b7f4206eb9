"""Entry point written the way seed-style pydantic-settings entry points are: `config = TrainConfig()`.

Needs `pip install pydantic-settings` (2.x). The class is an ordinary BaseSettings: frozen, `output_dir` and
`seed` fields, `__none__` read as None, the same `--param value` flags when run by hand:

    python3 train_pydantic.py --steps 5 --lr 0.1 --use_bias true --optimizer sgd --output_dir /tmp/x

Under Expt it reads config.json ($EXPT_CONFIG) instead of the flags. pydantic-settings' own flag parser reads
an empty list `--tags []` as `[""]` and cannot take `__none__` for a map (`--metadata __none__` fails), while
config.json carries every value as typed JSON; pydantic then validates it exactly as it would the flags.
"""
import enum
import json
import os
from typing import Any, Dict, List, Literal, Optional, Tuple, Type

from pydantic import field_validator
from pydantic_settings import BaseSettings, JsonConfigSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

import toy

EXPT_CONFIG = os.environ.get("EXPT_CONFIG")


class Optimizer(str, enum.Enum):
    SGD = "sgd"
    MOMENTUM = "momentum"


class TrainConfig(BaseSettings):
    model_config = SettingsConfigDict(
        frozen=True,
        extra="forbid",
        # By hand: flags. Under Expt: config.json (see the module's doc for why not the flags).
        cli_parse_args=EXPT_CONFIG is None,
        cli_parse_none_str="__none__",
        json_file=EXPT_CONFIG,
    )

    entry: Literal["helper", "argparse", "pydantic"] = "pydantic"
    model: str = "tiny-linear"
    steps: int = 40
    lr: float = 0.1
    use_bias: bool = True
    optimizer: Optimizer = Optimizer.SGD
    tags: List[str] = []
    prompts: List[str] = []
    extra: Dict[str, str] = {}
    metadata: Optional[Dict[str, str]] = None
    limit: Optional[int] = None
    output_dir: str = "."
    seed: int = 42

    @field_validator("*", mode="before")
    @classmethod
    def _convert_none_sentinel(cls, value: Any) -> Any:
        return None if value == "__none__" else value

    @classmethod
    def settings_customise_sources(cls, settings_cls: Type[BaseSettings], init_settings: PydanticBaseSettingsSource,
                                   env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
                                   file_secret_settings: PydanticBaseSettingsSource) -> Tuple[PydanticBaseSettingsSource, ...]:
        # Only what Expt or the command line gives: a stray environment variable named like a field must not win.
        return (init_settings, JsonConfigSettingsSource(settings_cls)) if EXPT_CONFIG else (init_settings,)


def main() -> None:
    config = TrainConfig()
    with open(os.path.join(config.output_dir, "parsed.json"), "w", encoding="utf-8") as f:
        json.dump(config.model_dump(mode="json"), f, ensure_ascii=False)
    loss, _, _ = toy.train(config.steps, config.lr, config.use_bias, config.optimizer.value, config.seed, config.limit)
    path = os.path.join(config.output_dir, "metrics.json")
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        json.dump({"loss": loss, "steps": config.steps}, f)
    os.replace(path + ".tmp", path)
    print(f"{config.optimizer.value} bias={config.use_bias}: loss {loss:.4f}")


if __name__ == "__main__":
    main()
