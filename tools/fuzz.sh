#!/usr/bin/env bash
# Runs a Jazzer fuzzing campaign against one target, or each in turn (docs/FUZZING.md).
#   tools/fuzz.sh --list                      the targets
#   tools/fuzz.sh [TARGET|all] [--minutes N]  fuzz TARGET (default: all, one after the other) for N minutes each (default 5)
# Findings (crash-*, timeout-*, oom-*) are written to fuzz/src/test/resources/org/aigcmark/fuzz/<Class>Inputs/<target>/,
# where `./aigcmark test` replays them from then on; the corpus grown so far is kept in fuzz/.cifuzz-corpus (ignored).
# Environment: JAVA_HOME (a JDK >= 21; 25 is the project's), FUZZ_MAX_LEN (largest input the fuzzer makes, default
# 262144), FUZZ_TIMEOUT (wall-clock seconds per input, default 10, detect 60), FUZZ_MVN_OPTS (more Maven options, e.g. -o offline).
# Do not rebuild the sdk while a campaign runs: the fuzzed JVM loads its classes from sdk/target/classes.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

declare -A class=(
  [jpeg]=ContainerFuzzTest [png]=ContainerFuzzTest [webp]=ContainerFuzzTest [gif]=ContainerFuzzTest
  [tiff]=ContainerFuzzTest [heif]=ContainerFuzzTest [mp4]=ContainerFuzzTest [mkv]=ContainerFuzzTest [avi]=ContainerFuzzTest
  [flv]=ContainerFuzzTest [markdown]=ContainerFuzzTest
  [text]=ContainerFuzzTest [pdf]=ContainerFuzzTest [ooxml]=ContainerFuzzTest
  [labelParser]=ComponentFuzzTest [xmp]=ComponentFuzzTest [exif]=ComponentFuzzTest [c2pa]=ComponentFuzzTest
  [pixelDecoders]=ComponentFuzzTest [imageDecoders]=ComponentFuzzTest [visibleLabel]=ComponentFuzzTest [textChecker]=ComponentFuzzTest
  [detect]=DetectFuzzTest)
order=(jpeg png webp gif tiff heif mp4 mkv avi flv markdown text pdf ooxml labelParser xmp exif c2pa pixelDecoders
  imageDecoders visibleLabel textChecker detect)

target=all
minutes=5
while [ $# -gt 0 ]; do
  case "$1" in
    --list) printf '%s\n' "${order[@]}"; exit 0 ;;
    --minutes) minutes="${2:?--minutes needs a number}"; shift 2 ;;
    --minutes=*) minutes="${1#--minutes=}"; shift ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    -*) echo "fuzz.sh: unknown option $1" >&2; exit 2 ;;
    *) target="$1"; shift ;;
  esac
done
case "$minutes" in ''|*[!0-9]*) echo "fuzz.sh: --minutes takes a whole number" >&2; exit 2 ;; esac
if [ "$target" != all ] && [ -z "${class[$target]:-}" ]; then
  echo "fuzz.sh: no target '$target'; one of: ${order[*]} all" >&2; exit 2
fi
targets=("$target"); [ "$target" = all ] && targets=("${order[@]}")

cd "$here"
for t in "${targets[@]}"; do
  echo "== fuzzing $t for $minutes minute(s)"
  # Jazzer saves findings in the source inputs folder only when it exists (else in fuzz/).
  mkdir -p "fuzz/src/test/resources/org/aigcmark/fuzz/${class[$t]}Inputs/$t"
  # libFuzzer's -timeout is wall-clock: detect runs each input two or three times at up to 1.5 s of CPU each
  # (instrumented), which on a loaded machine passed 10 s for an unmutated seed; its CPU budget is in DetectFuzzTest.
  # pixelDecoders runs the same watermark search on up to 600x600 pixels (a flat 131x212 image passed 10 s of wall
  # clock at load 35, 0.14-0.6 s of CPU uninstrumented).
  timeout=10; [ "$t" = detect ] || [ "$t" = pixelDecoders ] && timeout=60
  # JAZZER_FUZZ turns the @FuzzTest from a regression run into a campaign; jazzer.internal.arg.N are libFuzzer's
  # arguments (0 is argv[0]); the CPU budget in Oracles applies only in a campaign.
  JAZZER_FUZZ=1 "$here/mvnw" -B -q ${FUZZ_MVN_OPTS:-} -pl fuzz -am test \
    -Dtest="${class[$t]}#$t" -Dsurefire.failIfNoSpecifiedTests=false \
    -Djazzer.internal.arg.0=fuzz \
    -Djazzer.internal.arg.1=-max_total_time=$((minutes * 60)) \
    -Djazzer.internal.arg.2=-max_len="${FUZZ_MAX_LEN:-262144}" \
    -Djazzer.internal.arg.3=-timeout="${FUZZ_TIMEOUT:-$timeout}" \
    -Djazzer.instrumentation_includes='org.aigcmark.**'
done
