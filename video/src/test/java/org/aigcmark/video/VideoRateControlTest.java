package org.aigcmark.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelRequest;
import org.aigcmark.key.WatermarkKey;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelSignatures;
import org.aigcmark.Labeler;
import org.aigcmark.testdata.Fixtures;
import org.aigcmark.video.VideoOptions.Encoder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --crf and --bitrate reach the encoder actually used, or are refused with the knob it has. Each encoder labels the
 * first second of the real 360p footage twice with two settings; ffprobe sums the video packet sizes of the
 * outputs, which must differ in the right direction. The encoders are the bundled FFmpeg's (JavaCPP build).
 */
class VideoRateControlTest {
    static final String PRODUCER = "00119144030008867405X210002";
    static final WatermarkKey KEY = WatermarkKey.fromPassphrase("rate-test-key");

    @TempDir
    static Path dir;
    static Path mp4;
    static Path webm;

    @BeforeAll
    static void makeInputs() {
        Tools.require("ffmpeg");
        Tools.require("ffprobe");
        mp4 = dir.resolve("one-second.mp4");
        Tools.ffmpeg("-i", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-t", "1", "-c", "copy", mp4.toString());
        webm = dir.resolve("one-second.webm");
        Tools.ffmpeg("-i", mp4.toString(), "-c:v", "libvpx-vp9", "-deadline", "realtime", "-cpu-used", "8", "-b:v", "400k",
                "-c:a", "libopus", webm.toString());
    }

    /** Bytes of video packets, from ffprobe. */
    static long videoBytes(Path f) {
        String out = Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "packet=size", "-of", "csv=p=0", f.toString());
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).mapToLong(Long::parseLong).sum();
    }

    static String videoCodec(Path f) {
        return Tools.run("ffprobe", "-v", "error", "-select_streams", "v", "-show_entries", "stream=codec_name", "-of", "csv=p=0",
                f.toString()).trim();
    }

    static VideoLabelResult label(Path in, String outName, VideoOptions opts) {
        return VideoLabeler.create().label(in, dir.resolve(outName), LabelRequest.produced(PRODUCER, outName).withWatermark(KEY), opts);
    }

    record Pair(Encoder encoder, Path in, String ext, String codec, int lowCrf, int highCrf) {}

    @Test
    void crfChangesTheOutputOfEveryEncoderThatHasOne() {
        List<Pair> pairs = List.of(new Pair(Encoder.VP9, webm, "webm", "vp9", 20, 50), new Pair(Encoder.VP8, webm, "webm", "vp8", 10, 50),
                new Pair(Encoder.AV1, webm, "webm", "av1", 20, 55), new Pair(Encoder.X264, mp4, "mp4", "h264", 18, 40));
        int tested = 0;
        for (Pair p : pairs) {
            if (!VideoLabeler.availableEncoders().contains(p.encoder().ffmpegName)) {
                assertEquals(Encoder.X264, p.encoder(), "only libx264 may be absent (LGPL build): " + VideoLabeler.availableEncoders());
                continue;
            }
            String name = p.encoder().optionName();
            VideoLabelResult low = label(p.in(), name + "-low." + p.ext(), VideoOptions.defaults().withEncoder(p.encoder()).withCrf(p.lowCrf()));
            VideoLabelResult high = label(p.in(), name + "-high." + p.ext(), VideoOptions.defaults().withEncoder(p.encoder()).withCrf(p.highCrf()));
            Path lowOut = dir.resolve(name + "-low." + p.ext());
            Path highOut = dir.resolve(name + "-high." + p.ext());
            assertEquals(p.codec(), videoCodec(lowOut));
            assertTrue(low.encoder().contains("crf " + p.lowCrf()), low.encoder());
            assertTrue(high.encoder().contains("crf " + p.highCrf()), high.encoder());
            long lowBytes = videoBytes(lowOut);
            long highBytes = videoBytes(highOut);
            assertTrue(lowBytes > 1.3 * highBytes, name + ": crf " + p.lowCrf() + " gives " + lowBytes + " bytes, crf "
                    + p.highCrf() + " " + highBytes);
            tested++;
        }
        assertTrue(tested >= 3, "VP9, VP8 and AV1 are in the bundled build: " + VideoLabeler.availableEncoders());
    }

    @Test
    void openh264RefusesACrfAndNamesTheBitrateItHas() {
        assumeTrue(VideoLabeler.availableEncoders().contains("libopenh264"));
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> label(mp4, "openh264-crf.mp4", VideoOptions.defaults().withEncoder(Encoder.OPENH264).withCrf(23)));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("libopenh264") && e.getMessage().contains("bitrate"), e.getMessage());
        assertTrue(!java.nio.file.Files.exists(dir.resolve("openh264-crf.mp4")));
    }

    @Test
    void bitrateChangesTheOutputOfEveryEncoder() {
        List<Pair> pairs = List.of(new Pair(Encoder.OPENH264, mp4, "mp4", "h264", 0, 0), new Pair(Encoder.VP9, webm, "webm", "vp9", 0, 0),
                new Pair(Encoder.X264, mp4, "mp4", "h264", 0, 0));
        for (Pair p : pairs) {
            if (!VideoLabeler.availableEncoders().contains(p.encoder().ffmpegName)) {
                continue;
            }
            String name = p.encoder().optionName();
            VideoLabelResult small = label(p.in(), name + "-200k." + p.ext(), VideoOptions.defaults().withEncoder(p.encoder()).withBitrate(200_000));
            VideoLabelResult big = label(p.in(), name + "-1500k." + p.ext(), VideoOptions.defaults().withEncoder(p.encoder()).withBitrate(1_500_000));
            assertTrue(small.encoder().contains("200 kb/s"), small.encoder());
            assertTrue(big.encoder().contains("1500 kb/s"), big.encoder());
            long smallBytes = videoBytes(dir.resolve(name + "-200k." + p.ext()));
            long bigBytes = videoBytes(dir.resolve(name + "-1500k." + p.ext()));
            assertTrue(bigBytes > 2 * smallBytes, name + ": 1500 kb/s gives " + bigBytes + " bytes, 200 kb/s " + smallBytes);
        }
    }

    /** 3 Gb/s opened no encoder (an internal error): above VideoOptions.MAX_BITRATE it is refused as an argument. */
    @Test
    void bitrateAboveTheCapIsRefused() {
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> VideoOptions.defaults().withBitrate(VideoOptions.MAX_BITRATE + 1));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertEquals(VideoOptions.MAX_BITRATE, VideoOptions.defaults().withBitrate(VideoOptions.MAX_BITRATE).bitrate());
    }

    @Test
    void crfOutOfTheEncodersRangeOrWithABitrateIsRefused() {
        assertThrows(AigcmarkException.class, () -> VideoOptions.defaults().withCrf(20).withBitrate(1_000_000));
        assertThrows(AigcmarkException.class, () -> VideoOptions.defaults().withCrf(64));
        AigcmarkException e = assertThrows(AigcmarkException.class,
                () -> label(webm, "vp8-crf2.webm", VideoOptions.defaults().withEncoder(Encoder.VP8).withCrf(2)));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, e.reason());
        assertTrue(e.getMessage().contains("4..63"), e.getMessage());
    }

    @Test
    void encoderChoicePerContainerAndWhatIsMissing() {
        assertEquals(Encoder.VP9, VideoContainer.WEBM.chooseEncoder(Encoder.AUTO, n -> true));
        assertEquals(Encoder.VP8, VideoContainer.WEBM.chooseEncoder(Encoder.AUTO, n -> !n.equals("libvpx-vp9")));
        assertEquals(Encoder.OPENH264, VideoContainer.MATROSKA.chooseEncoder(Encoder.AUTO, n -> !n.equals("libx264")));
        AigcmarkException none = assertThrows(AigcmarkException.class, () -> VideoContainer.WEBM.chooseEncoder(Encoder.AUTO,
                n -> Set.of("libx264", "libopenh264").contains(n)));
        assertEquals(AigcmarkException.Reason.UNSUPPORTED_FORMAT, none.reason());
        assertTrue(none.getMessage().contains("libvpx-vp9, libvpx, libsvtav1"), none.getMessage());
        AigcmarkException h264InWebm = assertThrows(AigcmarkException.class,
                () -> VideoContainer.WEBM.chooseEncoder(Encoder.OPENH264, n -> true));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, h264InWebm.reason());
        assertTrue(h264InWebm.getMessage().contains("WebM holds AV1/VP8/VP9 video, not H.264"), h264InWebm.getMessage());
        AigcmarkException vp9InMp4 = assertThrows(AigcmarkException.class, () -> VideoContainer.MP4.chooseEncoder(Encoder.VP9, n -> true));
        assertEquals(AigcmarkException.Reason.INVALID_ARGUMENT, vp9InMp4.reason());
        AigcmarkException missing = assertThrows(AigcmarkException.class,
                () -> VideoContainer.MP4.chooseEncoder(Encoder.X264, n -> !n.equals("libx264")));
        assertEquals(AigcmarkException.Reason.UNAVAILABLE, missing.reason());
        assertTrue(missing.getMessage().contains("GPL"), missing.getMessage());
        // the bundled LGPL build has every WebM encoder
        assertTrue(VideoLabeler.availableEncoders().containsAll(List.of("libopenh264", "libvpx-vp9", "libvpx", "libsvtav1")),
                VideoLabeler.availableEncoders().toString());
    }

    @Test
    void aSignedRecordGoesIntoWebmThroughTheSdk() {
        var key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
        Path out = dir.resolve("signed.webm");
        VideoLabeler.create().label(webm, out, LabelRequest.produced(PRODUCER, "signed").withWatermark(KEY).withSigningKey(key),
                VideoOptions.defaults());
        var report = Labeler.create().inspect(out, List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"))));
        assertEquals(1, report.labels().size(), report.toString());
        assertEquals(LabelSignatures.Status.VALID, report.labels().get(0).signature(), report.toString());
        assertTrue(Tools.ffprobe(out, "format_tags=AIGC").contains("\"ProduceID\":\"signed\""));
    }
}
