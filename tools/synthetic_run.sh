#!/usr/bin/env bash
# The offline fine-tuning check of issue 6 (an integration run, not a unit test): write the seeded synthetic
# shapes dataset, train mobilenetv3_small_050 from scratch at 96x96, and fail unless the last epoch's validation
# top-1 is at least 0.90. Prints the wall time. Usage: tools/synthetic_run.sh [OUT_DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-target/synthetic-run}
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
./mobilenet synth-data --output "$out/shapes"
./mobilenet train --model mobilenetv3_small_050 --data "$out/shapes" --input-size 96 --epochs 30 --batch-size 32 \
  --opt adamw --lr 4e-3 --weight-decay 0.05 --warmup-epochs 2 --scale 0.25,1 --output "$out/run"
end=$(date +%s)
top1=$(tail -1 "$out/run/metrics.csv" | cut -d, -f6)
echo "synthetic run: val top-1 $top1 after 30 epochs, $((end - start)) s"
python3 -c "import sys; sys.exit(0 if float('$top1') >= 0.90 else 1)" || { echo "below 0.90" >&2; exit 1; }
