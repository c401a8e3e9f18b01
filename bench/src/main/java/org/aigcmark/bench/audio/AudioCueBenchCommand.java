package org.aigcmark.bench.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.aigcmark.AigcmarkException;
import org.aigcmark.ExitCodes;
import org.aigcmark.audio.CueInsertion;
import org.aigcmark.audio.CuePosition;
import org.aigcmark.audio.RhythmCue;
import org.aigcmark.audio.RhythmCueDetector;
import org.aigcmark.video.AudioCueCheck;
import org.aigcmark.video.AudioTrack;
import org.bytedeco.ffmpeg.global.avcodec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code aigcmark bench audio-cue}: the rhythm cue detector on a corpus of real clips (bench/tools/build-audio-corpus.sh):
 * false finds on the clips as they are (and after MP3 64 kbps), the detection rate with the cue spliced in at the
 * start, middle and end under each attack, and the detector's speed. Every detection goes the way the pipeline's
 * does: the attacked file is decoded by FFmpeg to 16 kHz mono and searched by {@link RhythmCueDetector}.
 */
@Command(name = "audio-cue", mixinStandardHelpOptions = true,
        description = "The audio rhythm cue: false finds on real clips, detection rate per position and attack, speed.")
public final class AudioCueBenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--corpus", required = true, paramLabel = "DIR",
            description = "The corpus folder made by bench/tools/build-audio-corpus.sh (clips/*.wav, music/*.wav).")
    Path corpus;

    @Option(names = "--limit", defaultValue = "0", description = "Use the first N clips only (0: all).")
    int limit;

    @Option(names = "--attack-every", defaultValue = "1", paramLabel = "N",
            description = "Put the cue in and attack every Nth clip only (default ${DEFAULT-VALUE}: all); false finds are counted on all.")
    int attackEvery;

    @Option(names = "--threads", defaultValue = "1", description = "Clips evaluated in parallel (default ${DEFAULT-VALUE}).")
    int threads;

    /** The attacks, each applied to the file with the cue in it. */
    enum Attack { NONE, MP3_64K, AAC_96K, RESAMPLE_16K, GAIN_PLUS_6DB, GAIN_MINUS_6DB, MUSIC_MINUS_10DB_SNR, TRIM }

    private static final double TOLERANCE_SECONDS = 0.15;
    /** Clips are cut to their first 10 s (the corpus's music excerpts are 20 s): the attacks cost codec time per second. */
    static final double MAX_CLIP_SECONDS = 10;
    private final Map<Path, AudioTrack.Pcm> beds = new java.util.concurrent.ConcurrentHashMap<>();

    @Override
    public Integer call() throws Exception {
        List<Path> clips;
        List<Path> music;
        try (var s = Files.list(corpus.resolve("clips")); var m = Files.list(corpus.resolve("music"))) {
            clips = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
            music = m.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        } catch (IOException e) {
            throw new AigcmarkException(AigcmarkException.Reason.INPUT_UNREADABLE, "cannot list " + corpus + ": " + e.getMessage(), e);
        }
        if (limit > 0 && clips.size() > limit) {
            clips = clips.subList(0, limit);
        }
        if (clips.isEmpty() || music.isEmpty()) {
            throw AigcmarkException.invalid(corpus + " has no clips/*.wav or music/*.wav: run bench/tools/build-audio-corpus.sh");
        }
        var out = spec.commandLine().getOut();
        Path work = Files.createTempDirectory("aigcmark-audio-bench-");
        Map<String, int[]> found = new LinkedHashMap<>(); // "POSITION ATTACK" -> {found, total}
        List<String> falseFinds = new ArrayList<>();
        AtomicLong audioNanos = new AtomicLong();
        AtomicLong detectNanos = new AtomicLong();
        AtomicLong pipelineAudio = new AtomicLong();
        AtomicLong pipelineNanos = new AtomicLong();
        int[] cleanChecked = new int[1];
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, threads));
        try {
            List<Future<ClipResult>> futures = new ArrayList<>();
            for (int i = 0; i < clips.size(); i++) {
                Path clip = clips.get(i);
                Path bed = music.get(i % music.size());
                int index = i;
                boolean attack = index % Math.max(1, attackEvery) == 0;
                futures.add(pool.submit(() -> evaluate(clip, bed, work.resolve("c" + index), attack)));
            }
            for (Future<ClipResult> f : futures) {
                ClipResult r = f.get();
                r.found.forEach((k, v) -> {
                    int[] t = found.computeIfAbsent(k, x -> new int[2]);
                    t[0] += v[0];
                    t[1] += v[1];
                });
                falseFinds.addAll(r.falseFinds);
                cleanChecked[0] += r.cleanChecked;
                audioNanos.addAndGet(r.audioNanos);
                detectNanos.addAndGet(r.detectNanos);
                pipelineAudio.addAndGet(r.pipelineAudioNanos);
                pipelineNanos.addAndGet(r.pipelineNanos);
            }
        } finally {
            pool.shutdownNow();
            deleteQuietly(work);
        }
        out.printf(Locale.ROOT, "rhythm cue bench: %d clips from %s (cue put in every %d%s), cue %s%n", clips.size(), corpus,
                Math.max(1, attackEvery), attackEvery <= 1 ? "" : "th", RhythmCue.standard());
        out.printf(Locale.ROOT, "false finds: %d in %d clean checks (each clip as is at 44.1 kHz, through the 16 kHz pipeline,"
                + " and after MP3 64 kbps)%n", falseFinds.size(), cleanChecked[0]);
        falseFinds.forEach(s -> out.println("  false find: " + s));
        // the columns in time order, the header from the same list (the enum's order is START, END, MIDDLE)
        List<CuePosition> columns = List.of(CuePosition.START, CuePosition.MIDDLE, CuePosition.END);
        out.printf(Locale.ROOT, "%n| attack |%s%n| --- |%s%n", columns.stream().map(p -> " " + p.name().toLowerCase(Locale.ROOT) + " |")
                .collect(java.util.stream.Collectors.joining()), " ---: |".repeat(columns.size()));
        int allFound = 0, all = 0;
        for (Attack a : Attack.values()) {
            StringBuilder row = new StringBuilder("| " + a.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " |");
            for (CuePosition p : columns) {
                int[] t = found.getOrDefault(p + " " + a, new int[2]);
                allFound += t[0];
                all += t[1];
                row.append(String.format(Locale.ROOT, " %d/%d (%.1f %%) |", t[0], t[1], 100.0 * t[0] / Math.max(1, t[1])));
            }
            out.println(row);
        }
        out.printf(Locale.ROOT, "%nfound overall: %d/%d (%.2f %%)%n", allFound, all, 100.0 * allFound / Math.max(1, all));
        double[] speed = warmSpeed(clips);
        out.printf(Locale.ROOT, "detector speed, warm, one thread, best of 3 over the first %.0f s of clips in memory:"
                + " %.0fx real time at 44.1 kHz, %.0fx at 16 kHz%n", speed[0], speed[1], speed[2]);
        out.printf(Locale.ROOT, "pipeline speed (FFmpeg decode to 16 kHz mono + detector, WAV in, one thread): %.0fx real time%n",
                pipelineAudio.get() / (double) Math.max(1, pipelineNanos.get()));
        return ExitCodes.OK;
    }

    /** {seconds, speed at 44.1 kHz, speed at 16 kHz}: the detector alone, after warming up, on one thread. */
    private static double[] warmSpeed(List<Path> clips) {
        List<float[]> parts44 = new ArrayList<>();
        List<float[]> parts16 = new ArrayList<>();
        double seconds = 0;
        for (Path c : clips) {
            if (seconds >= 300) {
                break;
            }
            AudioTrack.Pcm a = AudioTrack.decode(c, 44_100, 1);
            parts44.add(a.channels()[0]);
            parts16.add(AudioTrack.decode(c, 16_000, 1).channels()[0]);
            seconds += a.seconds();
        }
        float[] x44 = concat(parts44);
        float[] x16 = concat(parts16);
        RhythmCueDetector d = RhythmCueDetector.standard();
        for (int i = 0; i < 3; i++) {
            d.detect(java.util.Arrays.copyOf(x44, Math.min(x44.length, 44_100 * 30)), 44_100); // warm-up
        }
        long best44 = Long.MAX_VALUE, best16 = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            long t = System.nanoTime();
            d.detect(x44, 44_100);
            best44 = Math.min(best44, System.nanoTime() - t);
            t = System.nanoTime();
            d.detect(x16, 16_000);
            best16 = Math.min(best16, System.nanoTime() - t);
        }
        return new double[] {seconds, x44.length / 44_100.0 / (best44 / 1e9), x16.length / 16_000.0 / (best16 / 1e9)};
    }

    private static float[] concat(List<float[]> parts) {
        float[] out = new float[parts.stream().mapToInt(p -> p.length).sum()];
        int at = 0;
        for (float[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private static final class ClipResult {
        final Map<String, int[]> found = new LinkedHashMap<>();
        final List<String> falseFinds = new ArrayList<>();
        int cleanChecked;
        long audioNanos, detectNanos, pipelineAudioNanos, pipelineNanos;
    }

    private ClipResult evaluate(Path clip, Path bed, Path dir, boolean attack) throws IOException {
        Files.createDirectories(dir);
        ClipResult r = new ClipResult();
        String name = clip.getFileName().toString();
        AudioTrack.Pcm pcm = firstSeconds(AudioTrack.decode(clip), MAX_CLIP_SECONDS);
        // speed: the detector alone over the clip's mono PCM at its own rate
        float[] mono = pcm.mono();
        RhythmCueDetector detector = RhythmCueDetector.standard();
        long t = System.nanoTime();
        List<RhythmCueDetector.Found> asIs = detector.detect(mono, pcm.sampleRate());
        r.detectNanos += System.nanoTime() - t;
        r.audioNanos += (long) (pcm.seconds() * 1e9);
        check(r, name + " (as is, 44.1 kHz)", asIs);
        t = System.nanoTime();
        List<RhythmCueDetector.Found> piped = search(clip);
        r.pipelineNanos += System.nanoTime() - t;
        r.pipelineAudioNanos += (long) (pcm.seconds() * 1e9);
        check(r, name + " (16 kHz pipeline)", piped);
        Path mp3 = dir.resolve("clean.mp3");
        AudioTrack.encode(pcm, mp3, "mp3", avcodec.AV_CODEC_ID_MP3, 64_000, Map.of(), Map.of());
        check(r, name + " (MP3 64 kbps)", search(mp3));
        if (!attack) {
            deleteQuietly(dir);
            return r;
        }
        AudioTrack.Pcm music = beds.computeIfAbsent(bed, AudioTrack::decode);
        RhythmCue cue = RhythmCue.standard();
        for (CuePosition p : CuePosition.values()) {
            CueInsertion.Result in = CueInsertion.insert(pcm.channels(), pcm.sampleRate(), EnumSet.of(p), cue);
            double at = in.cueStartSeconds().getFirst();
            AudioTrack.Pcm cued = new AudioTrack.Pcm(in.channels(), pcm.sampleRate(), pcm.source());
            for (Attack a : Attack.values()) {
                double expected = at;
                Path f;
                switch (a) {
                    case NONE -> f = wav(cued, dir.resolve("none.wav"));
                    case MP3_64K -> {
                        f = dir.resolve("a.mp3");
                        AudioTrack.encode(cued, f, "mp3", avcodec.AV_CODEC_ID_MP3, 64_000, Map.of(), Map.of());
                    }
                    case AAC_96K -> {
                        f = dir.resolve("a.m4a");
                        AudioTrack.encode(cued, f, "ipod", avcodec.AV_CODEC_ID_AAC, 96_000, Map.of(), Map.of());
                    }
                    case RESAMPLE_16K -> {
                        Path w = wav(cued, dir.resolve("r44.wav"));
                        AudioTrack.Pcm down = AudioTrack.decode(w, 16_000, 0);
                        Path w16 = wav(down, dir.resolve("r16.wav"));
                        f = wav(AudioTrack.decode(w16, 44_100, 0), dir.resolve("r44b.wav"));
                    }
                    case GAIN_PLUS_6DB -> f = wav(gain(cued, 6), dir.resolve("g.wav"));
                    case GAIN_MINUS_6DB -> f = wav(gain(cued, -6), dir.resolve("g.wav"));
                    case MUSIC_MINUS_10DB_SNR -> f = wav(withMusic(cued, music, at, cue, -10), dir.resolve("m.wav"));
                    case TRIM -> {
                        double from = Math.max(0, at - 0.5);
                        double to = Math.min(cued.seconds(), at + cue.durationSeconds() + 0.5);
                        f = wav(trim(cued, from, to), dir.resolve("t.wav"));
                        expected = at - from;
                    }
                    default -> throw new IllegalStateException();
                }
                List<RhythmCueDetector.Found> finds = search(f);
                double want = expected;
                boolean hit = finds.stream().anyMatch(x -> Math.abs(x.startSeconds() - want) <= TOLERANCE_SECONDS);
                for (RhythmCueDetector.Found x : finds) {
                    if (Math.abs(x.startSeconds() - want) > TOLERANCE_SECONDS) {
                        r.falseFinds.add(String.format(Locale.ROOT, "%s, cue at %s, %s: extra find at %.2f s (confidence %.2f)",
                                name, p, a, x.startSeconds(), x.confidence()));
                    }
                }
                int[] c = r.found.computeIfAbsent(p + " " + a, k -> new int[2]);
                c[0] += hit ? 1 : 0;
                c[1]++;
                if (!hit) {
                    System.err.printf(Locale.ROOT, "missed: %s, cue at %s (%.2f s), %s; finds %s%n", name, p, want, a, finds);
                }
            }
        }
        deleteQuietly(dir);
        return r;
    }

    private static void check(ClipResult r, String what, List<RhythmCueDetector.Found> finds) {
        r.cleanChecked++;
        for (RhythmCueDetector.Found f : finds) {
            r.falseFinds.add(String.format(Locale.ROOT, "%s at %.2f s (confidence %.2f, contrast %.1f dB, purity %.1f dB)", what,
                    f.startSeconds(), f.confidence(), f.contrastDb(), f.purityDb()));
        }
    }

    /** The pipeline's search: FFmpeg decodes to 16 kHz mono in chunks, the detector scans them. */
    private static List<RhythmCueDetector.Found> search(Path file) {
        RhythmCueDetector.Scan scan = RhythmCueDetector.standard().scan(AudioCueCheck.ANALYSIS_RATE);
        AudioTrack.stream(file, AudioCueCheck.ANALYSIS_RATE, 1, c -> scan.accept(c[0], 0, c[0].length));
        return scan.finish();
    }

    private static Path wav(AudioTrack.Pcm pcm, Path f) {
        AudioTrack.encode(pcm, f, "wav", avcodec.AV_CODEC_ID_PCM_S16LE, 0, Map.of(), Map.of());
        return f;
    }

    private static AudioTrack.Pcm gain(AudioTrack.Pcm pcm, double db) {
        double g = Math.pow(10, db / 20);
        float[][] out = new float[pcm.channels().length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = new float[pcm.channels()[c].length];
            for (int i = 0; i < out[c].length; i++) {
                out[c][i] = (float) Math.clamp(pcm.channels()[c][i] * g, -1.0, 1.0);
            }
        }
        return new AudioTrack.Pcm(out, pcm.sampleRate(), pcm.source());
    }

    /**
     * The audio with music under it, looped to length, at {@code snrDb}: the cue's power over its 11 units against
     * the music's power over the same span.
     */
    private static AudioTrack.Pcm withMusic(AudioTrack.Pcm pcm, AudioTrack.Pcm music, double cueAt, RhythmCue cue, double snrDb) {
        int rate = pcm.sampleRate();
        float[] cueSamples = cue.synthesize(rate);
        double cuePower = 0;
        for (float v : cueSamples) {
            cuePower += v * v;
        }
        cuePower /= cueSamples.length;
        float[] m = music.mono();
        int from = (int) Math.round(cueAt * rate);
        double musicPower = 0;
        for (int i = 0; i < cueSamples.length; i++) {
            float v = m[(from + i) % m.length];
            musicPower += v * v;
        }
        musicPower /= cueSamples.length;
        double g = Math.sqrt(cuePower / Math.max(musicPower, 1e-12) / Math.pow(10, snrDb / 10));
        float[][] out = new float[pcm.channels().length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = new float[pcm.channels()[c].length];
            for (int i = 0; i < out[c].length; i++) {
                out[c][i] = (float) Math.clamp(pcm.channels()[c][i] + g * m[i % m.length], -1.0, 1.0);
            }
        }
        return new AudioTrack.Pcm(out, rate, pcm.source());
    }

    private static AudioTrack.Pcm firstSeconds(AudioTrack.Pcm pcm, double seconds) {
        return pcm.seconds() <= seconds ? pcm : trim(pcm, 0, seconds);
    }

    private static AudioTrack.Pcm trim(AudioTrack.Pcm pcm, double from, double to) {
        int a = (int) Math.round(from * pcm.sampleRate());
        int b = (int) Math.round(to * pcm.sampleRate());
        float[][] out = new float[pcm.channels().length][];
        for (int c = 0; c < out.length; c++) {
            out[c] = java.util.Arrays.copyOfRange(pcm.channels()[c], a, b);
        }
        return new AudioTrack.Pcm(out, pcm.sampleRate(), pcm.source());
    }

    private static void deleteQuietly(Path dir) {
        try (var files = Files.walk(dir)) {
            for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // the OS cleans temp files left behind
        }
    }
}
