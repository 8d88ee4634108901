#!/usr/bin/env bash
# Throughput of `mobilenet spark predict` in local[1] and local[2] against `mobilenet predict --threads 2 --batch 16`
# on the same images, run back to back (docs/SCALING.md). Usage: tools/spark_bench.sh IMAGES_DIR WEIGHTS [MODEL] [ROUNDS]
# Makes no images: generate them first (e.g. 2,000 JPEGs of about 224x224). Prints one line per run, and with it
# (--verbose) for Spark the wall and CPU time of each phase and the job's task timeline, for predict its steady-state
# rate (the images without the JVM's start and the model's load). The launcher records its class-data archive on the
# first Spark job after a build; the warm-up run below makes sure no timed run pays for that, and each timed Spark run
# says whether the JVM mapped that archive (the JVM drops it silently when the classpath changed).
# PINNED=1 adds a run of local[1] confined to one CPU (taskset -c 0): on a 2-core machine an unconfined local[1] also
# gets the second core's JIT, GC and driver work for free, so this is the per-core view of local[2] against local[1].
# SKIP_PREDICT=1 leaves predict out.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
images="$1"
weights="$2"
model="${3:-mobilenetv3_large_100.ra_in1k}"
rounds="${4:-1}"
n="$(find "$images" -type f | wc -l)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

secs() { date +%s.%N; }
rate() { awk -v n="$n" -v a="$1" -v b="$2" 'BEGIN { printf "%.1f s wall, %.1f images/s", b - a, n / (b - a) }'; }
# CPU time of the run (user + system, all threads), from /usr/bin/time's output file.
cpu() { awk -v n="$n" '{ c = $1 + $2 } END { printf "%.1f s CPU, %.2f images per CPU-second", c, n / c }' "$1"; }

# The whole machine's CPU time (all processes) in seconds, from /proc/stat: "busy idle steal". A run's own CPU time
# against the machine's busy time says how much other processes took meanwhile; idle time while a run's threads
# were runnable would point at the run itself (blocking), steal at the host.
machine() { awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%.1f %.1f %.1f", ($2 + $3 + $4 + $7 + $8) / hz, ($5 + $6) / hz, $9 / hz }' /proc/stat; }
delta() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, " "); split(b, y, " "); printf "machine: busy %.1f s, idle %.1f s, steal %.1f s", y[1] - x[1], y[2] - x[2], y[3] - x[3] }'; }

# Build both launch paths first so that no run pays for Maven.
"$here/mobilenet" --version >/dev/null
"$here/mobilenet" spark predict --help >/dev/null
warm="$(mktemp -d)"
find "$images" -type f | sed -n 1,32p | xargs cp -t "$warm"
"$here/mobilenet" spark predict --model "$model" --weights "$weights" --master 'local[1]' --input "$warm" \
  --output "$out/warm" 2>/dev/null || true
rm -rf "$warm" "$out/warm"

# One timed Spark run: $1 is a label, the rest the command's prefix (e.g. taskset) and master.
spark_run() {
  local label="$1" master="$2"
  shift 2
  rm -rf "$out/spark" "$out/cds.log"
  m0="$(machine)"
  t0="$(secs)"
  MOBILENET_JAVA_OPTS="${MOBILENET_JAVA_OPTS:-} -Xlog:cds=info:file=$out/cds.log" /usr/bin/time -f '%U %S' \
    -o "$out/time" "$@" "$here/mobilenet" spark predict --model "$model" --weights "$weights" --master "$master" \
    --batch 16 --threads 1 --verbose --input "$images" --output "$out/spark" 2>"$out/err" || true
  t1="$(secs)"
  local cds="class-data archive NOT mapped"
  grep -q 'Mapped dynamic region' "$out/cds.log" 2>/dev/null && cds="class-data archive mapped"
  echo "round $r spark $label: $(rate "$t0" "$t1"); $(cpu "$out/time"); $(delta "$m0" "$(machine)"); $cds; $(grep '^mobilenet spark: [0-9]' "$out/err")"
  grep '^mobilenet spark: \(job\|phases\):' "$out/err" || true
}

for r in $(seq 1 "$rounds"); do
  if [ -z "${SKIP_PREDICT:-}" ]; then
    m0="$(machine)"
    t0="$(secs)"
    /usr/bin/time -f '%U %S' -o "$out/time" "$here/mobilenet" predict --verbose --model "$model" --weights "$weights" \
      --threads 2 --batch 16 --json "$images" >"$out/predict.jsonl" 2>"$out/err"
    t1="$(secs)"
    echo "round $r predict --threads 2 --batch 16: $(rate "$t0" "$t1"); $(cpu "$out/time"); $(delta "$m0" "$(machine)")"
    grep '^mobilenet predict: phases:' "$out/err" || true
  fi
  spark_run 'local[1]' 'local[1]'
  spark_run 'local[2]' 'local[2]'
  if [ -n "${PINNED:-}" ]; then
    spark_run 'local[1] on one CPU (taskset -c 0)' 'local[1]' taskset -c 0
  fi
done
