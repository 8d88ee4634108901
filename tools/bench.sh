#!/usr/bin/env bash
# Runs the JMH benchmarks (Java engine vs ONNX Runtime, same run, same machine) on JDK 17 and JDK 25, with the
# Vector API at 256 bits and, where the JVM supports them, 512 bits; prints the table for docs/PERFORMANCE.md.
# Usage: tools/bench.sh [extra JMH args, e.g. -p model=mobilenetv3_large_100]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -DskipTests install
out=target/bench
mkdir -p "$out"
jdk17=${JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
for jdk in 17 25; do
  home=$([ "$jdk" = 17 ] && echo "$jdk17" || echo "$jdk25")
  [ -x "$home/bin/java" ] || { echo "skipping JDK $jdk: $home not found" >&2; continue; }
  # 512-bit lanes only where the JVM uses them (MaxVectorSize 64); otherwise they would silently run at 256.
  widths=256
  "$home/bin/java" -XX:+PrintFlagsFinal -version 2>/dev/null | grep -Eq 'MaxVectorSize += 64' && widths="256 512"
  for bits in $widths; do
    "$home/bin/java" -jar bench/target/benchmarks.jar InferenceBench -p engine=java \
      -jvmArgsAppend "--add-modules jdk.incubator.vector -Dmobilenet.vector.bits=$bits" -rf json -rff "$out/jdk$jdk-java-$bits.json" "$@" \
      2>&1 | grep -E "^(Benchmark|InferenceBench)" || true
  done
  "$home/bin/java" -jar bench/target/benchmarks.jar InferenceBench -p engine=onnxruntime \
    -rf json -rff "$out/jdk$jdk-onnxruntime.json" "$@" 2>&1 | grep -E "^(Benchmark|InferenceBench)" || true
done
python3 tools/bench_table.py "$out"
