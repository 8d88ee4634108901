#!/usr/bin/env bash
# Fuzzes one Jazzer @FuzzTest for a set time (coverage-guided, libFuzzer under Jazzer's JUnit integration).
#
#   tools/fuzz.sh MODULE TEST [SECONDS]     e.g. tools/fuzz.sh core SafeTensorsFuzzTest 600
#                                           or   tools/fuzz.sh image 'ImageDecoderFuzzTest#jpeg' 900
#
# Without JAZZER_FUZZ, `mvn verify` runs every @FuzzTest over its committed seeds only
# (src/test/resources/<package>/<TestClass>Inputs/<method>/). Here JAZZER_FUZZ=1 makes the one selected test mutate
# inputs for SECONDS (default 600). New coverage goes to MODULE/.cifuzz-corpus/ (not committed); a crashing input is
# written into the Inputs directory above, where it becomes a regression seed: fix the code, keep the seed, commit both.
# The log (executions, exec/s, coverage) is MODULE/target/fuzz-TEST_CLASS.log; its last "#N DONE" line gives the total.
# The JVM gets -Xmx1g so that memory not bounded by a checked size shows up as an OutOfMemoryError finding.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
module="${1:?usage: tools/fuzz.sh MODULE TEST_CLASS [SECONDS]}"
test="${2:?usage: tools/fuzz.sh MODULE TEST_CLASS [SECONDS]}"
seconds="${3:-600}"
case "$seconds" in ''|*[!0-9]*) echo "fuzz.sh: SECONDS must be a whole number, got '$seconds'" >&2; exit 2;; esac
mkdir -p "$here/$module/target"
log="$here/$module/target/fuzz-${test//#/-}.log"
cd "$here"
# jazzer.internal.arg.N are libFuzzer's arguments (0 is argv[0]); -max_total_time bounds the run.
JAZZER_FUZZ=1 mvn -B -ntp -pl "$module" -am test \
  -Dtest="$test" -Dsurefire.failIfNoSpecifiedTests=false -Djacoco.skip=true \
  -Djazzer.internal.arg.0=fuzz -Djazzer.internal.arg.1=-max_total_time="$seconds" \
  -Djazzer.internal.arg.2=-print_final_stats=1 \
  -DargLine="--add-modules jdk.incubator.vector -Xmx1g" 2>&1 | tee "$log" | grep -E '^#[0-9]+.*(DONE|pulse)|stat::|ERROR|FAIL|Tests run' || true
echo "fuzz.sh: log in $log" >&2
grep -q 'BUILD SUCCESS' "$log"
