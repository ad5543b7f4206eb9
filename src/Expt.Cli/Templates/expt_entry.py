"""expt_entry: read the config Expt hands a job, and write its results atomically.

Standard library only, Python 3.9 or newer. Copy this file next to your entry point (`expt init` does,
`expt init --print-helper > expt_entry.py` prints it).

    from dataclasses import dataclass, field
    from typing import Optional
    import expt_entry

    @dataclass
    class Config:
        lr: float = 1e-3
        epochs: int = 3
        tags: list = field(default_factory=list)
        limit: Optional[int] = None
        output_dir: str = "."
        seed: int = 42

    cfg = expt_entry.parse(Config)          # or expt_entry.parse() for a plain dict
    expt_entry.write_metrics(cfg.output_dir, {"loss": 0.12})

What Expt passes (`args: flags`, the default): `--<param> <value>` for every param and `--output_dir DIR`.
Strings as is, numbers in invariant culture, bools `true`/`false`, null `__none__`, lists and maps as one
compact JSON value (an empty list is `[]`). It also writes every resolved param, `output_dir` and `seed` to
config.json, whose path is in $EXPT_CONFIG. `parse` reads both: config.json first, the flags over it, so an
entry point works with `args: none` too, and by hand with flags only.

A dataclass gives each value its type: int, float, bool, str, pathlib.Path, an Enum (by value or name),
typing.Literal choices, Optional[...] (the only fields that accept null), list[...] / List[...], dict[...] /
Dict[...]. A field without a default is required. An unknown flag or key, a missing value or a value of the
wrong type is an error naming the flag and the type it expects; `parse` prints it and exits with code 2
(`exit_on_error=False` raises ConfigError instead). `output_dir` and `seed` go into the dataclass when it has
such fields and are dropped when it has none.
"""

import csv
import dataclasses
import enum
import io
import json
import math
import os
import pathlib
import sys
import tempfile
import typing

__all__ = ["ConfigError", "parse", "write_metrics", "append_metrics", "write_per_item_scores"]

NONE = "__none__"
RUNNER_KEYS = ("output_dir", "seed")


class ConfigError(ValueError):
    """A flag or config.json value that does not fit; the message names the flag and the expected type."""


def parse(schema=None, argv=None, *, config_path=None, exit_on_error=True):
    """Reads config.json ($EXPT_CONFIG, or `config_path`) and the flags (`argv`, default sys.argv[1:]).

    `schema` is a dataclass type (an instance of it is returned) or None (a dict is returned: config.json's
    values, typed as JSON, and flags decoded as Expt writes them). Flags win over config.json.
    """
    try:
        return _parse(schema, sys.argv[1:] if argv is None else list(argv), config_path)
    except ConfigError as error:
        if not exit_on_error:
            raise
        print(f"error: {error}", file=sys.stderr)
        sys.exit(2)


def _parse(schema, argv, config_path):
    if schema is not None and not (isinstance(schema, type) and dataclasses.is_dataclass(schema)):
        raise TypeError(f"parse() takes a dataclass type or None, not {schema!r}")
    path = config_path if config_path is not None else os.environ.get("EXPT_CONFIG")
    from_file = _read_config(path) if path else {}
    flags = _split_flags(argv)
    if schema is None:
        values = dict(from_file)
        for name, text in flags.items():
            values[name] = _decode_untyped(name, text, from_file.get(name))
        return values
    return _build(schema, from_file, flags, path)


def _read_config(path):
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except OSError as error:
        raise ConfigError(f"cannot read config.json {path}: {error.strerror}") from None
    except ValueError as error:
        raise ConfigError(f"config.json {path} is not valid JSON: {error}") from None
    if not isinstance(data, dict):
        raise ConfigError(f"config.json {path} must hold a JSON object, not {type(data).__name__}")
    return data


def _split_flags(argv):
    """`--name value` and `--name=value` pairs; the token after `--name` is its value even if it starts with `--`."""
    flags = {}
    i = 0
    while i < len(argv):
        token = argv[i]
        if not token.startswith("--") or len(token) == 2:
            raise ConfigError(f"unexpected argument {token!r}: Expt passes flags as --name value")
        name, eq, value = token[2:].partition("=")
        if not eq:
            if i + 1 >= len(argv):
                raise ConfigError(f"--{name}: missing value")
            value = argv[i + 1]
            i += 1
        if name in flags:
            raise ConfigError(f"--{name}: given twice")
        flags[name] = value
        i += 1
    return flags


def _decode_untyped(name, text, like):
    """A flag without a declared type: typed like config.json's value when there is one, else as Expt writes it."""
    if text == NONE:
        return None
    if isinstance(like, bool) or (like is None and text in ("true", "false")):
        return _convert_text(name, text, bool)
    if isinstance(like, int):
        return _convert_text(name, text, int)
    if isinstance(like, float):
        return _convert_text(name, text, float)
    if isinstance(like, (list, dict)) or (like is None and text[:1] in ("[", "{")):
        return _json(name, text)
    if like is None:
        for kind in (int, float):
            try:
                return kind(text)
            except ValueError:
                pass
    return text


def _build(schema, from_file, flags, path):
    hints = typing.get_type_hints(schema)
    fields = {f.name: f for f in dataclasses.fields(schema) if f.init}
    by_flag = {name.replace("_", "-"): name for name in fields}
    values = {}
    for key, value in from_file.items():
        field_name = key if key in fields else by_flag.get(key)
        if field_name is None:
            if key in RUNNER_KEYS:
                continue
            raise ConfigError(f"{key}: config.json {path} has a param that {schema.__name__} has no field for")
        values[field_name] = _convert_json(key, value, hints[field_name])
    for name, text in flags.items():
        field_name = name if name in fields else by_flag.get(name)
        if field_name is None:
            if name in RUNNER_KEYS:
                continue
            known = ", ".join("--" + n for n in fields)
            raise ConfigError(f"--{name}: unknown flag ({schema.__name__} has {known})")
        values[field_name] = _convert_text("--" + name, text, hints[field_name])
    missing = [n for n, f in fields.items() if n not in values and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING]
    if missing:
        raise ConfigError("missing " + ", ".join("--" + n for n in missing) + f" (required by {schema.__name__})")
    return schema(**values)


def _type_name(kind):
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in kind)
    if typing.get_origin(kind) is typing.Literal:
        return "one of " + ", ".join(str(a) for a in typing.get_args(kind))
    name = getattr(kind, "__name__", None)
    return name if name and not typing.get_args(kind) else str(kind).replace("typing.", "")


def _is_union(kind):
    """Union[X, Y] or, from Python 3.10, X | Y."""
    return typing.get_origin(kind) is typing.Union or type(kind).__name__ == "UnionType"


def _optional(kind):
    """(inner type, True) for Optional[X] / X | None, else (kind, False)."""
    args = typing.get_args(kind)
    if type(None) in args and _is_union(kind):
        rest = [a for a in args if a is not type(None)]
        return (rest[0] if len(rest) == 1 else typing.Union[tuple(rest)]), True
    return kind, False


def _convert_text(flag, text, kind):
    inner, nullable = _optional(kind)
    if text == NONE:
        if nullable or kind is typing.Any:
            return None
        raise ConfigError(f"{flag}: got null ({NONE}) but expected {_type_name(kind)}; declare the field Optional[...]")
    if inner is str or inner is typing.Any:
        return text
    if inner is bool:
        if text.lower() in ("true", "false"):
            return text.lower() == "true"
        raise ConfigError(f"{flag}: expected bool (true or false), got {text!r}")
    if inner in (int, float):
        try:
            value = inner(text)
        except ValueError:
            raise ConfigError(f"{flag}: expected {inner.__name__}, got {text!r}") from None
        return value
    if inner is pathlib.Path or (isinstance(inner, type) and issubclass(inner, pathlib.PurePath)):
        return inner(text)
    if (isinstance(inner, type) and issubclass(inner, enum.Enum)) or typing.get_origin(inner) is typing.Literal:
        return _convert_json(flag, text, inner)
    if _is_union(inner):
        for option in typing.get_args(inner):
            try:
                return _convert_text(flag, text, option)
            except ConfigError:
                pass
        raise ConfigError(f"{flag}: expected {_type_name(inner)}, got {text!r}")
    origin = typing.get_origin(inner) or inner
    if origin in (list, dict, tuple, set, frozenset):
        return _convert_json(flag, _json(flag, text), kind)
    raise ConfigError(f"{flag}: fields of type {_type_name(kind)} are not supported by expt_entry")


def _json(flag, text):
    try:
        return json.loads(text)
    except ValueError as error:
        raise ConfigError(f"{flag}: expected one JSON value (a list or a map), got {text!r}: {error}") from None


def _convert_json(flag, value, kind):
    """A JSON value (from config.json, or inside a list or map flag) as `kind`."""
    inner, nullable = _optional(kind)
    if value is None:
        if nullable or kind is typing.Any:
            return None
        raise ConfigError(f"{flag}: got null but expected {_type_name(kind)}; declare the field Optional[...]")
    if inner is typing.Any:
        return value
    origin = typing.get_origin(inner)
    args = typing.get_args(inner)
    wrong = ConfigError(f"{flag}: expected {_type_name(inner)}, got {json.dumps(value, ensure_ascii=False)}")
    if origin is typing.Literal:
        for choice in args:
            if value == choice or str(choice) == str(value):
                return choice
        raise wrong
    if isinstance(inner, type) and issubclass(inner, enum.Enum):
        for member in inner:
            if member.value == value or str(member.value) == str(value) or member.name == value:
                return member
        raise wrong
    if inner is bool:
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false"):
            return value.lower() == "true"
        raise wrong
    if inner is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise wrong
    if inner is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        if isinstance(value, str) and value in ("NaN", "Infinity", "-Infinity", "nan", "inf", "-inf"):
            return float(value.replace("inity", ""))
        raise wrong
    if inner is str:
        if isinstance(value, str):
            return value
        raise wrong
    if inner is pathlib.Path or (isinstance(inner, type) and issubclass(inner, pathlib.PurePath)):
        if isinstance(value, str):
            return inner(value)
        raise wrong
    if inner in (list, tuple, set, frozenset) or origin in (list, tuple, set, frozenset):
        if not isinstance(value, list):
            raise wrong
        container = origin or inner
        if container is tuple and len(args) > 0 and not (len(args) == 2 and args[1] is Ellipsis):
            if len(args) != len(value):
                raise wrong
            return tuple(_convert_json(f"{flag}[{i}]", v, a) for i, (v, a) in enumerate(zip(value, args)))
        item = args[0] if args else typing.Any
        return container(_convert_json(f"{flag}[{i}]", v, item) for i, v in enumerate(value))
    if inner is dict or origin is dict:
        if not isinstance(value, dict):
            raise wrong
        key_type, value_type = args if len(args) == 2 else (str, typing.Any)
        return {_convert_json(f"{flag} key", k, key_type) if key_type is not str else k: _convert_json(f"{flag}[{k!r}]", v, value_type) for k, v in value.items()}
    if _is_union(inner):
        for option in args:
            try:
                return _convert_json(flag, value, option)
            except ConfigError:
                pass
        raise wrong
    raise ConfigError(f"{flag}: fields of type {_type_name(inner)} are not supported by expt_entry")


def _atomic_write(path, text):
    """Writes `text` to a temp file in the same folder, flushes it, then renames it over `path`."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(temp, path)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    return path


def _metric_value(name, value):
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return value
    # numpy and torch scalars
    if hasattr(value, "item"):
        return _metric_value(name, value.item())
    raise TypeError(f"metric {name!r}: {type(value).__name__} is not a number, bool, string or None (metrics.json is a flat object)")


def _flat(metrics):
    if not isinstance(metrics, dict):
        raise TypeError(f"metrics must be a dict, not {type(metrics).__name__}")
    return {str(k): _metric_value(k, v) for k, v in metrics.items()}


def write_metrics(output_dir, metrics):
    """Writes `metrics` (a flat dict of numbers, bools, strings) as {output_dir}/metrics.json, atomically.

    NaN and infinities are written as Python's json writes them (NaN, Infinity); Expt reads those.
    """
    text = json.dumps(_flat(metrics), indent=2, ensure_ascii=False) + "\n"
    return _atomic_write(pathlib.Path(output_dir) / "metrics.json", text)


def append_metrics(output_dir, step, metrics):
    """Appends {"step": step, ...metrics} as one line to {output_dir}/metrics.jsonl.

    The line goes out in one write(2) on a file opened with O_APPEND, so a reader sees whole lines only and a
    crash loses at most the line being written.
    """
    if isinstance(step, bool) or not isinstance(step, int):
        raise TypeError(f"step must be an int, not {type(step).__name__}")
    row = {"step": step}
    row.update(_flat(metrics))
    data = (json.dumps(row, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
    path = pathlib.Path(output_dir) / "metrics.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        written = os.write(fd, data)
        if written != len(data):
            raise OSError(f"short write to {path}: {written} of {len(data)} bytes")
    finally:
        os.close(fd)
    return path


def write_per_item_scores(output_dir, rows, fieldnames=None):
    """Writes `rows` (dicts, one per test item: an id column such as `item`, scores) as per_item_scores.csv, atomically.

    Columns are `fieldnames`, else the keys in the order they first appear. Bools are written as true/false.
    """
    rows = [dict(r) for r in rows]
    if fieldnames is None:
        fieldnames = []
        for row in rows:
            fieldnames.extend(k for k in row if k not in fieldnames)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fieldnames, lineterminator="\n", extrasaction="raise")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: _csv_value(v) for k, v in row.items()})
    return _atomic_write(pathlib.Path(output_dir) / "per_item_scores.csv", out.getvalue())


def _csv_value(value):
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if value is None:
        return ""
    return value
