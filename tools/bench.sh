#!/usr/bin/env bash
# The speed table of docs/PERFORMANCE.md: `mobilenet bench --compare` (the Java engine and ONNX Runtime alternating
# in one process) for each model and case (batch 1 on 2 threads, batch 1 on 1 thread, batch 16 on 2 threads), on
# JDK 17 and JDK 25. JSON per cell goes to target/bench/, the markdown table to stdout.
# Usage: tools/bench.sh [--seconds S] [--warmup S]   (defaults 6 and 3; environment MODELS, CASES, JDK17, JDK25)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${SKIP_BUILD:-}" ] || mvn -q -B -ntp -pl cli -am -DskipTests package
out=target/bench
mkdir -p "$out"
models=${MODELS:-"mobilenetv3_large_100 mobilenetv2_100 mobilenetv1_100 mobilenetv3_small_100"}
cases=${CASES:-"1:2 1:1 16:2"}
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
for jdk in 17 25; do
  home=$([ "$jdk" = 17 ] && echo "$jdk17" || echo "$jdk25")
  [ -x "$home/bin/java" ] || { echo "skipping JDK $jdk: $home not found" >&2; continue; }
  for m in $models; do
    for c in $cases; do
      b=${c%%:*}; t=${c##*:}
      f="$out/jdk$jdk-$m-b$b-t$t.json"
      "$home/bin/java" --add-modules jdk.incubator.vector -jar cli/target/mobilenet.jar bench --model "$m" \
        --batch "$b" --threads "$t" --compare --json "$@" 2> >(grep -v 'incubator' >&2) > "$f.tmp"
      mv "$f.tmp" "$f"
      echo "JDK $jdk $m b$b t$t: $(python3 -c "import json;d=json.load(open('$f'));print(round(d['ratio'],2))")x" >&2
    done
  done
done
python3 tools/bench_table.py "$out"
