"""Unit tests of expt_entry.py (src/Expt.Cli/Templates), standard library only.

Run: python3 -m unittest discover -s tests/Expt.Cli.Tests/Templates -p 'test_*.py'
(ExptEntryTests.cs runs them in `dotnet test`; EXPT_ENTRY_DIR names the folder that holds expt_entry.py.)
"""
import contextlib
import csv
import dataclasses
import enum
import io
import json
import os
import pathlib
import sys
import tempfile
import typing
import unittest
from typing import Dict, List, Literal, Optional

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, os.environ.get("EXPT_ENTRY_DIR") or str(HERE.parents[2] / "src" / "Expt.Cli" / "Templates"))
import expt_entry  # noqa: E402


class Precision(enum.Enum):
    BF16 = "bf16"
    FP32 = "fp32"


@dataclasses.dataclass
class Config:
    model: str
    epochs: int = 3
    lr: float = 1e-3
    amp: bool = False
    precision: Precision = Precision.BF16
    mode: Literal["fast", "slow"] = "fast"
    tags: List[str] = dataclasses.field(default_factory=list)
    extra: Optional[Dict[str, str]] = None
    limit: Optional[int] = None
    data_path: pathlib.Path = pathlib.Path("data")
    output_dir: str = "."
    seed: int = 42


@dataclasses.dataclass
class Small:
    lr: float = 0.1


FLAGS = ["--model", "llama-1b", "--epochs", "5", "--lr", "0.0001", "--amp", "true", "--precision", "fp32",
         "--mode", "slow", "--tags", '["a,b","--x",""]', "--extra", '{"k":"v,1","ü":"x y"}', "--limit", "__none__",
         "--data_path", "d/x y.txt", "--seed", "7", "--output_dir", "/tmp/out"]


def parse(schema=None, argv=(), config_path=None):
    return expt_entry.parse(schema, list(argv), config_path=config_path, exit_on_error=False)


class ParseFlags(unittest.TestCase):
    def setUp(self):
        os.environ.pop("EXPT_CONFIG", None)

    def test_every_type_from_flags_into_a_dataclass(self):
        cfg = parse(Config, FLAGS)
        self.assertEqual(cfg, Config(model="llama-1b", epochs=5, lr=1e-4, amp=True, precision=Precision.FP32, mode="slow",
                                     tags=["a,b", "--x", ""], extra={"k": "v,1", "ü": "x y"}, limit=None,
                                     data_path=pathlib.Path("d/x y.txt"), output_dir="/tmp/out", seed=7))

    def test_empty_list_and_null_map(self):
        cfg = parse(Config, ["--model", "m", "--tags", "[]", "--extra", "__none__", "--limit", "3"])
        self.assertEqual((cfg.tags, cfg.extra, cfg.limit), ([], None, 3))

    def test_union_tries_each_type_in_order(self):
        @dataclasses.dataclass
        class Mixed:
            size: typing.Union[int, str] = 0
            sizes: Optional[typing.Union[List[int], str]] = None

        self.assertEqual(parse(Mixed, ["--size", "5", "--sizes", "[1,2]"]), Mixed(size=5, sizes=[1, 2]))
        self.assertEqual(parse(Mixed, ["--size", "auto", "--sizes", "all"]), Mixed(size="auto", sizes="all"))

    def test_equals_form(self):
        self.assertEqual(parse(Config, ["--model=m", "--epochs=2"]).epochs, 2)

    def test_dict_without_schema_decodes_as_expt_writes(self):
        values = parse(None, FLAGS)
        self.assertEqual(values["epochs"], 5)
        self.assertEqual(values["amp"], True)
        self.assertEqual(values["tags"], ["a,b", "--x", ""])
        self.assertIsNone(values["limit"])
        self.assertEqual(values["model"], "llama-1b")

    def test_unknown_flag_names_it_and_the_known_ones(self):
        with self.assertRaises(expt_entry.ConfigError) as e:
            parse(Config, ["--model", "m", "--lrr", "1"])
        self.assertIn("--lrr: unknown flag", str(e.exception))
        self.assertIn("--lr", str(e.exception))

    def test_bad_values_name_the_flag_and_the_type(self):
        cases = [(["--epochs", "2.5"], "--epochs: expected int"), (["--lr", "fast"], "--lr: expected float"),
                 (["--amp", "yes"], "--amp: expected bool"), (["--precision", "fp8"], "--precision: expected one of bf16, fp32"),
                 (["--mode", "medium"], "--mode: expected one of fast, slow"), (["--tags", "a,b"], "--tags: expected one JSON value"),
                 (["--tags", '{"a":1}'], "--tags: expected"), (["--epochs", "__none__"], "--epochs: got null"),
                 (["--extra", '{"k":1}'], "--extra['k']: expected str")]
        for argv, message in cases:
            with self.subTest(argv=argv), self.assertRaises(expt_entry.ConfigError) as e:
                parse(Config, ["--model", "m"] + argv)
            self.assertIn(message, str(e.exception))

    def test_missing_required_field_and_missing_value(self):
        with self.assertRaisesRegex(expt_entry.ConfigError, "missing --model"):
            parse(Config, [])
        with self.assertRaisesRegex(expt_entry.ConfigError, "--model: missing value"):
            parse(Config, ["--model"])
        with self.assertRaisesRegex(expt_entry.ConfigError, "unexpected argument 'x'"):
            parse(Config, ["x"])

    def test_runner_keys_are_dropped_when_the_dataclass_has_no_such_field(self):
        self.assertEqual(parse(Small, ["--lr", "0.5", "--seed", "1", "--output_dir", "/o"]), Small(lr=0.5))

    def test_parse_exits_2_with_the_message_on_stderr(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err), self.assertRaises(SystemExit) as e:
            expt_entry.parse(Config, ["--model", "m", "--epochs", "x"])
        self.assertEqual(e.exception.code, 2)
        self.assertEqual(err.getvalue(), "error: --epochs: expected int, got 'x'\n")


class ParseConfigJson(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.path = os.path.join(self.dir.name, "config.json")
        with open(self.path, "w", encoding="utf-8") as f:
            json.dump({"model": "m", "epochs": 4, "lr": 2.0, "amp": False, "precision": "fp32", "mode": "slow", "tags": [],
                       "extra": None, "limit": 9, "data_path": "p", "output_dir": "/o", "seed": 42}, f)

    def tearDown(self):
        os.environ.pop("EXPT_CONFIG", None)
        self.dir.cleanup()

    def test_config_json_from_the_environment(self):
        os.environ["EXPT_CONFIG"] = self.path
        cfg = parse(Config)
        self.assertEqual((cfg.epochs, cfg.lr, cfg.precision, cfg.limit, cfg.data_path), (4, 2.0, Precision.FP32, 9, pathlib.Path("p")))
        self.assertIsInstance(cfg.lr, float)

    def test_flags_win_over_config_json(self):
        cfg = parse(Config, ["--epochs", "8"], config_path=self.path)
        self.assertEqual((cfg.epochs, cfg.limit), (8, 9))

    def test_dict_mode_types_flags_like_config_json(self):
        values = parse(None, ["--model", "007", "--lr", "3"], config_path=self.path)
        self.assertEqual((values["model"], values["lr"], values["limit"]), ("007", 3.0, 9))

    def test_unknown_key_in_config_json(self):
        with self.assertRaisesRegex(expt_entry.ConfigError, "^lrr: config.json .* has a param that Small has no field for"):
            with open(self.path, "w", encoding="utf-8") as f:
                json.dump({"lrr": 1}, f)
            parse(Small, config_path=self.path)

    def test_unreadable_config_json(self):
        with self.assertRaisesRegex(expt_entry.ConfigError, "cannot read config.json"):
            parse(Small, config_path=os.path.join(self.dir.name, "nope.json"))
        with open(self.path, "w", encoding="utf-8") as f:
            f.write("{")
        with self.assertRaisesRegex(expt_entry.ConfigError, "is not valid JSON"):
            parse(Small, config_path=self.path)


class Writers(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.out = pathlib.Path(self.dir.name) / "job"

    def tearDown(self):
        self.dir.cleanup()

    def test_metrics_json_replaces_the_file_and_leaves_no_temp(self):
        expt_entry.write_metrics(self.out, {"loss": 0.5})
        expt_entry.write_metrics(self.out, {"loss": 0.25, "ok": True, "name": "x", "div": float("nan")})
        self.assertEqual(sorted(os.listdir(self.out)), ["metrics.json"])
        text = (self.out / "metrics.json").read_text(encoding="utf-8")
        self.assertIn('"div": NaN', text)
        self.assertEqual(json.loads(text)["loss"], 0.25)

    def test_nested_metrics_are_refused(self):
        with self.assertRaisesRegex(TypeError, "metric 'm': dict is not a number"):
            expt_entry.write_metrics(self.out, {"m": {"a": 1}})

    def test_metrics_jsonl_appends_one_line_per_step(self):
        expt_entry.append_metrics(self.out, 1, {"loss": 1.0})
        expt_entry.append_metrics(self.out, 2, {"loss": 0.5})
        lines = (self.out / "metrics.jsonl").read_text(encoding="utf-8").splitlines()
        self.assertEqual([json.loads(l) for l in lines], [{"step": 1, "loss": 1.0}, {"step": 2, "loss": 0.5}])

    def test_per_item_scores_csv(self):
        expt_entry.write_per_item_scores(self.out, [{"item": "q1", "correct": True, "f1": 0.5}, {"item": "q,2", "correct": False, "f1": 0.25}])
        with open(self.out / "per_item_scores.csv", newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        self.assertEqual(rows, [["item", "correct", "f1"], ["q1", "true", "0.5"], ["q,2", "false", "0.25"]])
        self.assertEqual(sorted(os.listdir(self.out)), ["per_item_scores.csv"])


if __name__ == "__main__":
    unittest.main()
