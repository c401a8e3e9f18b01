#!/usr/bin/env bash
# One round of fresh `aigcmark label --visible --watermark` processes, one per JVM configuration, started at the same
# time as the bundled FFmpeg's own `ffmpeg` re-encoding the same file with the same encoder settings (openh264): on a
# machine other jobs keep busy, processes that run side by side see the same load, where runs in turn (cli-configs.sh)
# may not. Prints the load average, wall, CPU (user + sys) and peak RSS (GNU time) of each, and the ratios to ffmpeg.
# Wall times are the scheduler's share, not the cost: read CPU and RSS. Repeat the round for a second sample.
# Usage (repository root, after the CLI jar is built): tools/video-speed/cli-parallel.sh IN.mp4 "NAME|JVM OPTIONS" ...
#   e.g. tools/video-speed/cli-parallel.sh bench1080.mp4 "was|-XX:+UseSerialGC -Xmn24m" \
#        "trim|-XX:+UseSerialGC -Xmn24m -XX:TrimNativeHeapInterval=500"
# KBPS: the openh264 bitrate the labeller chooses (9331 for the 1080p30 bench1080.mp4); JAR: another CLI jar.
set -euo pipefail
IN=$(readlink -f "$1"); shift; KBPS=${KBPS:-9331}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
JAR=$(readlink -f "${JAR:-$ROOT/cli/target/aigcmark.jar}")
NATIVES=$(ls ~/.m2/repository/org/bytedeco/ffmpeg/*/ffmpeg-*-linux-x86_64.jar | head -1)
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && unzip -q "$NATIVES" 'org/bytedeco/ffmpeg/linux-x86_64/*')
FF=$WORK/org/bytedeco/ffmpeg/linux-x86_64; chmod +x "$FF/ffmpeg"
"$J" -jar "$JAR" keygen --alg watermark -o "$WORK/wm" >/dev/null 2>&1
echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
LD_LIBRARY_PATH=$FF /usr/bin/time -o "$WORK/t.ff" -f "%e %U %S %M" "$FF/ffmpeg" -hide_banner -v error -y -i "$IN" \
    -map 0:v:0 -map '0:a?' -c:a copy -c:v libopenh264 -rc_mode bitrate -b:v "${KBPS}k" -g 60 "$WORK/ff.mp4" &
i=0
for c in "$@"; do
  i=$((i + 1)); opts=${c#*|}
  # shellcheck disable=SC2086 # opts is a list of JVM options
  /usr/bin/time -o "$WORK/t.$i" -f "%e %U %S %M" "$J" --add-modules jdk.incubator.vector \
      --enable-native-access=ALL-UNNAMED $opts -jar "$JAR" label "$IN" -o "$WORK/out$i.mp4" \
      --producer 00119144030008867405X210002 --produce-id bench --visible --watermark --key "$WORK/wm.key" >/dev/null 2>&1 &
done
wait
read -r fw fu fs fm < "$WORK/t.ff"
awk -v fw="$fw" -v fu="$fu" -v fs="$fs" -v fm="$fm" 'BEGIN{printf "%-14s wall %6.1f cpu %6.2f rss %4d\n", "ffmpeg", fw, fu+fs, fm/1024}'
i=0
for c in "$@"; do
  i=$((i + 1)); read -r w u s m < "$WORK/t.$i"
  awk -v n="${c%%|*}" -v w="$w" -v u="$u" -v s="$s" -v m="$m" -v fu="$fu" -v fs="$fs" -v fm="$fm" 'BEGIN{
    printf "%-14s wall %6.1f cpu %6.2f rss %4d | speed (CPU) %.2fx, memory %.2fx of ffmpeg\n", n, w, u+s, m/1024, (fu+fs)/(u+s), m/fm}'
done
