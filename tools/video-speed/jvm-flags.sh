#!/usr/bin/env bash
# JVM flags for one-shot CLI commands: each command run as a fresh process under each JVM configuration, interleaved
# (configuration A, B, ... for command 1, then for command 2, ...; REPS rounds), wall, CPU (user + sys) and peak RSS
# from GNU time, and per command the ratio of each configuration to the first. Output files go to a temporary folder.
# Usage (repository root, after the CLI jar is built): tools/video-speed/jvm-flags.sh REPS "NAME|JVM OPTIONS" ... -- \
#   "inspect photo.jpg" "label photo.jpg -o @OUT.jpg --producer P --produce-id X --visible --watermark --key @KEY" ...
# @OUT is replaced by a temporary output path, @KEY by a watermark key made for the run.
set -euo pipefail
REPS=$1; shift
configs=(); while [ "$1" != "--" ]; do configs+=("$1"); shift; done; shift
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=$ROOT/cli/target/aigcmark.jar
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
"$J" -jar "$JAR" keygen --alg watermark -o "$WORK/wm" >/dev/null 2>&1
declare -A sum_w sum_c sum_m
for r in $(seq "$REPS"); do
  echo "round $r, load $(cut -d' ' -f1-3 /proc/loadavg)"
  for cmd in "$@"; do
    for c in "${configs[@]}"; do
      name=${c%%|*}; opts=${c#*|}
      line=${cmd//@OUT/$WORK/out}; line=${line//@KEY/$WORK/wm.key}
      # shellcheck disable=SC2086 # opts and line are lists of words
      /usr/bin/time -o "$WORK/t" -f "%e %U %S %M" "$J" --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
          $opts -jar "$JAR" $line >/dev/null 2>"$WORK/err" || { echo "FAILED: $name: $line"; cat "$WORK/err"; }
      read -r w u s m < "$WORK/t"
      printf '%-28s %-14s wall %6.2f cpu %6.2f rss %5d MiB\n' "${cmd%% *} ${cmd#* }" "$name" "$w" "$(echo "$u + $s" | bc)" $((m / 1024)) | cut -c1-200
      k="$cmd|$name"; sum_w[$k]=$(echo "${sum_w[$k]:-0} + $w" | bc); sum_c[$k]=$(echo "${sum_c[$k]:-0} + $u + $s" | bc)
      sum_m[$k]=$(( ${sum_m[$k]:-0} + m / 1024 ))
      rm -rf "$WORK"/out*
    done
  done
done
echo "means over $REPS rounds; ratios to ${configs[0]%%|*}"
for cmd in "$@"; do
  base="$cmd|${configs[0]%%|*}"
  for c in "${configs[@]}"; do
    k="$cmd|${c%%|*}"
    awk -v n="${c%%|*}" -v cmd="${cmd:0:60}" -v r="$REPS" -v w="${sum_w[$k]}" -v cu="${sum_c[$k]}" -v m="${sum_m[$k]}" \
        -v bw="${sum_w[$base]}" -v bc="${sum_c[$base]}" -v bm="${sum_m[$base]}" 'BEGIN{
      printf "%-60s %-14s wall %6.2f s (%.2fx) cpu %6.2f s (%.2fx) rss %5d MiB (%.2fx)\n", cmd, n, w/r, w/bw, cu/r, cu/bc, m/r, m/bm}'
  done
done
