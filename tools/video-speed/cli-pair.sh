#!/usr/bin/env bash
# Video labelling as a user runs it (a fresh `aigcmark label` process: JVM start, JIT, one 1080p clip) against the
# ffmpeg program of the same bundled FFmpeg build re-encoding the same file with the same encoder settings.
# Interleaved pairs; prints the load average before each pair, wall time, CPU time (user + sys) and peak RSS of
# each process, and the ratios. Usage (from the repository root, after the CLI jar is built, e.g. by ./aigcmark):
#   tools/video-speed/cli-pair.sh IN.mp4 [PAIRS] [KBPS]
# KBPS: the openh264 bitrate the labeller chooses (its report prints it; 9331 for the 1080p30 bench1080.mp4).
# JAVA_OPTS adds JVM options to the aigcmark side, as with the launcher. Needs GNU time (/usr/bin/time).
set -euo pipefail
IN=$1; PAIRS=${2:-3}; KBPS=${3:-9331}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
JAR=$ROOT/cli/target/aigcmark.jar
NATIVES=$(ls ~/.m2/repository/org/bytedeco/ffmpeg/*/ffmpeg-*-linux-x86_64.jar | head -1)
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && unzip -q "$NATIVES" 'org/bytedeco/ffmpeg/linux-x86_64/*')
FF=$WORK/org/bytedeco/ffmpeg/linux-x86_64; chmod +x "$FF/ffmpeg"
"$JAVA_HOME/bin/java" -jar "$JAR" keygen --alg watermark -o "$WORK/wm" >/dev/null 2>&1
for i in $(seq "$PAIRS"); do
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  LD_LIBRARY_PATH=$FF /usr/bin/time -o "$WORK/ff.t" -f "%e %U %S %M" "$FF/ffmpeg" -hide_banner -v error -y -i "$IN" \
      -map 0:v:0 -map '0:a?' -c:a copy -c:v libopenh264 -rc_mode bitrate -b:v "${KBPS}k" -g 60 "$WORK/ff.mp4"
  /usr/bin/time -o "$WORK/lab.t" -f "%e %U %S %M" "$JAVA_HOME/bin/java" --add-modules jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC ${JAVA_OPTS:-} -jar "$JAR" label "$IN" -o "$WORK/lab.mp4" \
      --producer 00119144030008867405X210002 --produce-id bench --visible --watermark --key "$WORK/wm.key" >/dev/null 2>&1
  read -r fw fu fs fm < "$WORK/ff.t"; read -r lw lu ls lm < "$WORK/lab.t"
  awk -v fw="$fw" -v fu="$fu" -v fs="$fs" -v fm="$fm" -v lw="$lw" -v lu="$lu" -v ls="$ls" -v lm="$lm" 'BEGIN {
    printf "ffmpeg: wall %.1f s, CPU %.2f s, peak RSS %d MiB | aigcmark label --visible --watermark: wall %.1f s, CPU %.2f s, peak RSS %d MiB\n", fw, fu+fs, fm/1024, lw, lu+ls, lm/1024;
    printf "  speed (wall) %.2fx, speed (CPU) %.2fx, memory %.2fx of ffmpeg\n", fw/lw, (fu+fs)/(lu+ls), lm/fm }'
  rm -f "$WORK/ff.mp4" "$WORK/lab.mp4"
done
