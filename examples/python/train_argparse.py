"""Entry point with argparse only: no helper, nothing to install.

Expt appends `--<param> <value>` for every param and `--output_dir DIR`: bools as true/false, null as
__none__, lists and maps as one JSON value (an empty list is `[]`, never left out). Declaring every flag
required means a param added to the spec but not here fails at once instead of silently taking a default.
"""
import argparse
import json
import os

import toy

NONE = "__none__"


def nullable(convert):
    return lambda text: None if text == NONE else convert(text)


def boolean(text):
    if text not in ("true", "false"):
        raise argparse.ArgumentTypeError(f"expected true or false, got {text!r}")
    return text == "true"


def json_of(kind):
    def parse(text):
        try:
            value = json.loads(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a JSON {kind.__name__}, got {text!r}") from None
        if not isinstance(value, kind):
            raise argparse.ArgumentTypeError(f"expected a JSON {kind.__name__}, got {text!r}")
        return value
    return parse


def parse_args():
    p = argparse.ArgumentParser()
    p.add_argument("--entry", choices=["helper", "argparse", "pydantic"], required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--steps", type=int, required=True)
    p.add_argument("--lr", type=float, required=True)
    p.add_argument("--use_bias", type=boolean, required=True)
    p.add_argument("--optimizer", choices=["sgd", "momentum"], required=True)
    p.add_argument("--tags", type=json_of(list), required=True)
    p.add_argument("--prompts", type=json_of(list), required=True)
    p.add_argument("--extra", type=json_of(dict), required=True)
    p.add_argument("--metadata", type=nullable(json_of(dict)), required=True)
    p.add_argument("--limit", type=nullable(int), required=True)
    p.add_argument("--seed", type=int, required=True)
    p.add_argument("--output_dir", required=True)
    return p.parse_args()  # argparse exits with code 2 on a bad or unknown flag, as Expt's own errors do


def write_json(path, value):
    # Temp file, then rename: a reader never sees half a file.
    temp = path + ".tmp"
    with open(temp, "w", encoding="utf-8") as f:
        json.dump(value, f, ensure_ascii=False)
    os.replace(temp, path)


def main():
    args = parse_args()
    write_json(os.path.join(args.output_dir, "parsed.json"), vars(args))
    loss, _, _ = toy.train(args.steps, args.lr, args.use_bias, args.optimizer, args.seed, args.limit)
    write_json(os.path.join(args.output_dir, "metrics.json"), {"loss": loss, "steps": args.steps})
    print(f"{args.optimizer} bias={args.use_bias}: loss {loss:.4f}")


if __name__ == "__main__":
    main()
