#!/usr/bin/env bash
# Entry point of __EXPERIMENT__ (made by `expt init`). Expt appends `--<param> <value>` for every param and
# `--output_dir DIR`; the same values are in $EXPT_CONFIG (config.json) and EXPT_* variables. Replace the awk
# line with your program; keep writing metrics.json into the output directory.
set -euo pipefail

lr="" steps="" label="" seed="" output_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --lr) lr=$2 ;;
    --steps) steps=$2 ;;
    --label) label=$2 ;;
    --seed) seed=$2 ;;
    --output_dir) output_dir=$2 ;;
    *) echo "error: $1: unknown flag (add it to train.sh)" >&2; exit 2 ;;
  esac
  shift 2
done
: "${lr:?--lr missing}" "${steps:?--steps missing}" "${output_dir:?--output_dir missing}"

# A toy loss that falls with steps and learning rate.
loss=$(awk -v lr="$lr" -v steps="$steps" 'BEGIN { printf "%.6f", 1 / (1 + lr * steps) }')

# Written to a temp file, then renamed: a reader never sees half a file.
printf '{"loss": %s, "steps": %s}\n' "$loss" "$steps" > "$output_dir/metrics.json.tmp"
mv "$output_dir/metrics.json.tmp" "$output_dir/metrics.json"
echo "$label (seed $seed): lr=$lr loss $loss"
