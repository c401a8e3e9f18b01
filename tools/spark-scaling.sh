#!/usr/bin/env bash
# The Spark job's scaling from local[1] to local[2] and its ratio to scan's own loop, in one run (docs/SCALE.md).
# Usage: tools/spark-scaling.sh [--copies N] [--rounds N] [--modes metadata-only|full|metadata-only,full] [--jar SPARK.jar]
#                                [bench options...: --warmup N, --route command...]
# Runs `./aigcmark spark-scan bench` over the fixed fixture corpus and prints the load average before and after,
# since on a shared machine only ratios taken in the same run mean anything. Each line also gives the JIT compiler
# threads' CPU per file during the timed passes and the CPU ratio without it (the JIT is still warming Spark's code
# after the bench's --warmup passes, default 3, on a corpus this small: docs/SCALE.md). --jar runs another build's
# aigcmark-spark.jar (a copy of main's, for an A/B) with this build's spark/target/lib and the launcher's JVM flags;
# run the two alternately (A, B, A, B) and compare their ratios, not their files/s.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/aigcmark-spark-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
copies=16
rounds=3
modes=metadata-only
jar=
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --copies) copies=$2; shift 2 ;;
    --rounds) rounds=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    --jar) jar=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u +%FT%TZ)"
bench=(./aigcmark spark-scan bench)
if [ -n "$jar" ]; then
  [ -f spark/target/aigcmark-spark.jar ] || ./mvnw -B -q -pl spark -am package -DskipTests
  # the launcher's flags for spark-scan (./aigcmark), with the other jar first on the class path
  opens=()
  for pkg in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
             java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
    opens+=("--add-opens=java.base/$pkg=ALL-UNNAMED")
  done
  # shellcheck disable=SC2086  # JAVA_OPTS is a list of words by convention
  bench=("${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java" --add-modules jdk.incubator.vector
         --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC "${opens[@]}" -Djdk.reflect.useDirectMethodHandle=false
         -Dio.netty.tryReflectionSetAccessible=true -Dlog4j2.configurationFile=spark/launcher/log4j2.properties
         ${JAVA_OPTS:-} -cp "$jar:spark/target/lib/*" org.aigcmark.spark.SparkScanCommand bench)
  echo "spark jar: $jar ($(sha256sum "$jar" | cut -c1-12))"
fi
"${bench[@]}" testdata/fixtures/{labeled,jpeg,png,webp,docs,c2pa} --modes "$modes" \
    --copies "$copies" --rounds "$rounds" --no-ocr --work "$work/bench" "${args[@]}" 2>&1 \
  | grep -E '^(corpus|metadata-only|full|CPU ratio)'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
