#!/usr/bin/env python3
"""Splits a bench-serve JFR recording's CPU (docs/SERVICE.md, "Where a 1080p image's CPU goes").

Record the server with JDK 25's CPU-time sampler (it counts native code, which execution samples miss) and per-thread
CPU load, then:
  jfr print --events jdk.CPUTimeSample --stack-depth 200 rec.jfr > cpu.txt
  jfr print --events jdk.ThreadCPULoad rec.jfr > load.txt
  jfr print --events jdk.GCCPUTime rec.jfr > gc.txt
  python3 tools/serve-profile/cpu-split.py SECONDS CORES cpu.txt load.txt gc.txt
SECONDS: the measured level's length (the last SECONDS of the recording are counted, leaving out start-up and warm-up).
"""
import collections
import re
import sys


def seconds(stamp):
    h, m, s = stamp.split(':')
    return int(h) * 3600 + int(m) * 60 + float(s)


def events(path, name):
    for block in open(path).read().split(name + ' {')[1:]:
        yield block


window, cores = float(sys.argv[1]), int(sys.argv[2])
cpu_txt, load_txt, gc_txt = sys.argv[3:6]

loads = []
for b in events(load_txt, 'jdk.ThreadCPULoad'):
    t = seconds(re.search(r'startTime = (\S+)', b).group(1))
    pct = float(re.search(r'user = ([\d.]+)%', b).group(1)) + float(re.search(r'system = ([\d.]+)%', b).group(1))
    thread = re.sub(r'\d+', '#', re.search(r'eventThread = "(.*?)"', b).group(1))
    loads.append((t, thread, pct / 100 * cores))  # the event's period is 1 s: CPU seconds
start = max(t for t, _, _ in loads) - window
by_thread = collections.Counter()
for t, thread, cpu in loads:
    if t >= start:
        by_thread[thread] += cpu
gc = 0.0
for b in events(gc_txt, 'jdk.GCCPUTime'):
    if seconds(re.search(r'startTime = (\S+)', b).group(1)) >= start:
        for field in ('userTime', 'systemTime'):
            v = re.search(field + r' = ([\d.]+) (ms|s)', b)
            gc += float(v.group(1)) / (1000 if v.group(2) == 'ms' else 1)
print('CPU seconds in the last %.0f s by thread (GC threads from jdk.GCCPUTime):' % window)
for thread, cpu in by_thread.most_common(6):
    print('  %-40s %7.2f' % (thread, cpu))
print('  %-40s %7.2f' % ('GC', gc))

STAGES = [('toRgb (packed RGB)', r'DecodedPixels\.toRgb'), ('sdxl', r'Sdxl'),
          ('decode jpeg', r'JpegPixels|TurboJpeg'), ('decode png', r'PngPixels|Libdeflate|format\.png'),
          ('decode webp', r'WebpPixels|Libwebp|luciad|SystemWebp'), ('watermark search', r'org\.aigcmark\.watermark\.'),
          ('report json', r'jackson|ReportJson'), ('metadata', r'org\.aigcmark\.format\.|Labeler\.inspect'),
          ('serve', r'org\.aigcmark\.serve\.'), ('detection other', r'org\.aigcmark\.detection\.')]
STAGES = [(k, re.compile(p)) for k, p in STAGES]
split = collections.Counter()
for b in events(cpu_txt, 'jdk.CPUTimeSample'):
    if seconds(re.search(r'startTime = (\S+)', b).group(1)) < start:
        continue
    if 'serve-worker' not in re.search(r'eventThread = "(.*?)"', b).group(1):
        continue
    m = re.search(r'stackTrace = \[(.*?)\n\s*\]', b, re.S)
    frames = [l.strip() for l in m.group(1).strip().split('\n')] if m else []
    stage = next((k for f in frames for k, p in STAGES if p.search(f)), 'other')
    split[stage] += 1
total = sum(split.values())
print('detection workers, %d CPU samples, by the innermost stage on the stack:' % total)
for stage, n in split.most_common():
    print('  %-20s %5d %5.1f%%' % (stage, n, 100 * n / total))
