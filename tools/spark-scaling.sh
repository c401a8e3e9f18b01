#!/usr/bin/env bash
# The Spark job's scaling from local[1] to local[2] and its ratio to scan's own loop, in one run (docs/SCALE.md).
# Usage: tools/spark-scaling.sh [--copies N] [--modes metadata-only|full|metadata-only,full] [bench options...]
# Runs `./aigcmark spark-scan bench` over the fixed fixture corpus and prints the load average before and after,
# since on a shared machine only ratios taken in the same run mean anything.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d "${TMPDIR:-/tmp}/aigcmark-spark-scaling.XXXXXX")
trap 'rm -rf "$work"' EXIT
copies=16
modes=metadata-only
args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --copies) copies=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    *) args+=("$1"); shift ;;
  esac
done
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores; $(date -u +%FT%TZ)"
./aigcmark spark-scan bench testdata/fixtures/{labeled,jpeg,png,webp,docs,c2pa} --modes "$modes" \
    --copies "$copies" --rounds 3 --no-ocr --work "$work/bench" "${args[@]}" 2>&1 \
  | grep -E '^(corpus|metadata-only|full|CPU ratio)'
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(date -u +%FT%TZ)"
