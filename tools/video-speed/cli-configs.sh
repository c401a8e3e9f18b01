#!/usr/bin/env bash
# Fresh `aigcmark label --visible --watermark` processes under several JVM configurations (and jars), interleaved with
# the bundled FFmpeg's own `ffmpeg` re-encoding the same file with the same encoder settings (openh264), one ffmpeg
# run per repetition; prints the load average, wall, CPU (user + sys) and peak RSS (GNU time) and the same-run ratios.
# Unlike cli-pair.sh it passes no GC option of its own, so a configuration may choose its collector.
# Usage (repository root): tools/video-speed/cli-configs.sh IN.mp4 REPS "NAME|JAR|JVM OPTIONS" ...
#   e.g. tools/video-speed/cli-configs.sh bench1080.mp4 2 "launcher|cli/target/aigcmark.jar|-XX:+UseParallelGC" \
#        "serial|cli/target/aigcmark.jar|-XX:+UseSerialGC -Xmn24m"
set -euo pipefail
IN=$(readlink -f "$1"); REPS=$2; shift 2; KBPS=${KBPS:-9331}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
J=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java
NATIVES=$(ls ~/.m2/repository/org/bytedeco/ffmpeg/*/ffmpeg-*-linux-x86_64.jar | head -1)
WORK=$(mktemp -d); trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && unzip -q "$NATIVES" 'org/bytedeco/ffmpeg/linux-x86_64/*')
FF=$WORK/org/bytedeco/ffmpeg/linux-x86_64; chmod +x "$FF/ffmpeg"
"$J" -jar "$ROOT/cli/target/aigcmark.jar" keygen --alg watermark -o "$WORK/wm" >/dev/null 2>&1
for r in $(seq "$REPS"); do
  echo "load $(cut -d' ' -f1-3 /proc/loadavg)"
  LD_LIBRARY_PATH=$FF /usr/bin/time -o "$WORK/ff.t" -f "%e %U %S %M" "$FF/ffmpeg" -hide_banner -v error -y -i "$IN" \
      -map 0:v:0 -map '0:a?' -c:a copy -c:v libopenh264 -rc_mode bitrate -b:v "${KBPS}k" -g 60 "$WORK/ff.mp4"
  read -r fw fu fs fm < "$WORK/ff.t"
  awk -v fw="$fw" -v fu="$fu" -v fs="$fs" -v fm="$fm" 'BEGIN{printf "ffmpeg     wall %5.1f cpu %5.2f rss %4d\n", fw, fu+fs, fm/1024}'
  for c in "$@"; do
    name=${c%%|*}; rest=${c#*|}; jar=${rest%%|*}; opts=${rest#*|}
    # shellcheck disable=SC2086 # opts is a list of JVM options
    /usr/bin/time -o "$WORK/lab.t" -f "%e %U %S %M" "$J" --add-modules jdk.incubator.vector \
        --enable-native-access=ALL-UNNAMED $opts -jar "$jar" label "$IN" -o "$WORK/lab.mp4" \
        --producer 00119144030008867405X210002 --produce-id bench --visible --watermark --key "$WORK/wm.key" >/dev/null
    read -r lw lu ls lm < "$WORK/lab.t"
    awk -v n="$name" -v fw="$fw" -v fu="$fu" -v fs="$fs" -v fm="$fm" -v lw="$lw" -v lu="$lu" -v ls="$ls" -v lm="$lm" 'BEGIN{
      printf "%-10s wall %5.1f cpu %5.2f rss %4d | speed (CPU) %.2fx, speed (wall) %.2fx, memory %.2fx of ffmpeg\n",
        n, lw, lu+ls, lm/1024, (fu+fs)/(lu+ls), fw/lw, lm/fm}'
    rm -f "$WORK/lab.mp4"
  done
done
