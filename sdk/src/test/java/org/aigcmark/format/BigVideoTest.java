package org.aigcmark.format;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.Labeler;
import org.aigcmark.TestSupport;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.label.LabelParser;
import org.aigcmark.report.ReportJson;
import org.aigcmark.testdata.Fixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Movies over 2 GiB (past any int offset) labelled, signed and inspected in a JVM with a 128 MiB heap: the
 * streaming path must never hold the media. The inputs are a real small movie grown to 2 GiB + 1 MiB by sparse
 * zeros ({@link RandomAccessFile#setLength}: no disk used): the MP4's {@code mdat} runs on after the real samples,
 * the MKV gets a 2 GiB Void at the end of its Segment. Each output is checked by ffprobe and exiftool, decoded by
 * ffmpeg, and its media compared with the input's range by range.
 */
class BigVideoTest {
    static final String CODE = "00119144030008867405X210002";
    static final long SIZE = (1L << 31) + (1L << 20);

    @TempDir
    Path dir;

    @Test
    void aTwoGigabyteMp4IsLabelledAndInspectedInA128MegabyteHeap() throws Exception {
        TestSupport.requireTool("ffprobe");
        TestSupport.requireTool("exiftool");
        TestSupport.requireTool("ffmpeg");
        Path work = workDir();
        try {
            labelAndInspect(work.resolve("big.mp4"), work.resolve("big-labelled.mp4"));
        } finally {
            clean(work);
        }
    }

    /**
     * A Matroska file over 2 GiB: ffmpeg's remux of the same movie (SeekHead, Tracks, clusters, Cues, Tags at the end),
     * its Segment grown by a level-1 Void of 2 GiB of sparse zeros after everything. Labelling puts the new Tags in
     * front of the clusters (the layout that moves every byte after it), so the whole file is copied at a new
     * offset; the clusters and the Void must arrive unchanged.
     */
    @Test
    void aTwoGigabyteMkvIsLabelledAndInspectedInA128MegabyteHeap() throws Exception {
        TestSupport.requireTool("ffmpeg");
        TestSupport.requireTool("ffprobe");
        TestSupport.requireTool("exiftool");
        Path work = workDir();
        try {
            Path in = work.resolve("big.mkv");
            Path out = work.resolve("big-labelled.mkv");
            TestSupport.run("ffmpeg", "-v", "error", "-i", Fixtures.path("video/sample-360p-2s5.mp4").toString(), "-c", "copy", in.toString());
            long small = Files.size(in);
            long segmentSizeAt;
            try (RandomAccessFile f = new RandomAccessFile(in.toFile(), "rw")) {
                f.seek(4);
                int ebmlSize = f.readUnsignedByte() & 0x7F; // a 1-byte size: ffmpeg's EBML header is short
                segmentSizeAt = 4 + 1 + ebmlSize + 4;
                f.seek(segmentSizeAt);
                assertEquals(0x01, f.readUnsignedByte(), "an 8-byte Segment size");
                long voidSize = SIZE - small;
                f.seek(segmentSizeAt);
                f.writeLong((1L << 56) | (small - segmentSizeAt - 8 + voidSize));
                f.seek(small);
                f.writeByte(0xEC); // Void, 8-byte size
                f.writeLong((1L << 56) | (voidSize - 9));
                f.setLength(SIZE);
            }
            List<String> child = run(in, out);
            String report = String.join("\n", child);
            System.out.println(child.get(child.size() - 1));
            JsonNode inspect = new ObjectMapper().readTree(child.get(child.indexOf("inspect") + 1));
            assertEquals(1, inspect.path("labels").size(), report);
            assertEquals("valid", inspect.path("labels").get(0).path("signature").asText(), report);
            assertTrue(inspect.path("problems").isEmpty(), report);
            String probed = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags=AIGC", "-of", "json", out.toString());
            AigcLabel written = LabelParser.parse(new ObjectMapper().readTree(probed).path("format").path("tags").path("AIGC").asText())
                    .orElseThrow().label();
            assertEquals("big-1", written.produceId(), probed);
            assertTrue(TestSupport.run("exiftool", "-j", "-AIGC", out.toString()).contains("big-1"));
            TestSupport.run("ffmpeg", "-v", "error", "-xerror", "-i", out.toString(), "-f", "null", "-");
            // The clusters moved as one block and are unchanged (the Cues after them are re-encoded with the new
            // positions, the old Tags became a Void), and so is the 2 GiB Void that ends the file.
            long cluster = indexOf(in, CLUSTER_ID, 0);
            long cues = indexOf(in, CUES_ID, cluster);
            long moved = indexOf(out, CLUSTER_ID, 0);
            assertTrue(moved > cluster, "the Tags went in front of the clusters");
            assertTrue(sameBytes(in, cluster, out, moved, cues - cluster), "the clusters are unchanged");
            long voidSize = SIZE - small;
            assertTrue(sameBytes(in, SIZE - voidSize, out, Files.size(out) - voidSize, voidSize), "the Void is unchanged");
        } finally {
            clean(work);
        }
    }

    static final byte[] CLUSTER_ID = {0x1F, 0x43, (byte) 0xB6, 0x75};
    static final byte[] CUES_ID = {0x1C, 0x53, (byte) 0xBB, 0x6B};

    /** The first occurrence of {@code id} at or after {@code from} in the first 1 MiB (the real movie). */
    private static long indexOf(Path file, byte[] id, long from) throws IOException {
        byte[] head = new byte[1 << 20];
        try (var in = Files.newInputStream(file)) {
            int n = in.readNBytes(head, 0, head.length);
            for (int i = (int) from; i + id.length <= n; i++) {
                if (java.util.Arrays.equals(head, i, i + id.length, id, 0, id.length)) {
                    return i;
                }
            }
        }
        throw new AssertionError("no element " + java.util.HexFormat.of().formatHex(id) + " in the head of " + file);
    }

    private void clean(Path work) throws IOException {
        if (!work.equals(dir)) {
            try (var files = Files.list(work)) {
                for (Path f : files.toList()) {
                    Files.delete(f);
                }
            }
            Files.delete(work);
        }
    }

    /**
     * A RAM-backed folder when there is one with room (the 2 GiB output is real bytes, and fsync on tmpfs costs
     * nothing), else the JUnit temp folder on disk.
     */
    private Path workDir() throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm) && Files.getFileStore(shm).getUsableSpace() > (6L << 30)) {
            return Files.createTempDirectory(shm, "aigcmark-big");
        }
        return dir;
    }

    private void labelAndInspect(Path in, Path out) throws Exception {
        // sample-360p-2s5.mp4: ftyp(32) moov(3237) free(8) mdat(158304) at 3277; its mdat now runs to SIZE
        Files.copy(Fixtures.path("video/sample-360p-2s5.mp4"), in);
        long mdatAt = 3277;
        try (RandomAccessFile f = new RandomAccessFile(in.toFile(), "rw")) {
            f.seek(mdatAt + 4);
            assertEquals("mdat", readType(f));
            f.seek(mdatAt);
            f.writeInt((int) (SIZE - mdatAt)); // < 4 GiB: fits the 32-bit size
            f.setLength(SIZE);
        }

        List<String> child = run(in, out);
        String report = String.join("\n", child);
        System.out.println(child.get(child.size() - 1)); // times and peak heap, for docs/VIDEO-CONTAINERS.md
        assertTrue(child.contains("labelled"), report);
        JsonNode inspect = new ObjectMapper().readTree(child.get(child.indexOf("inspect") + 1));
        assertEquals(1, inspect.path("labels").size(), report);
        JsonNode label = inspect.path("labels").get(0);
        assertEquals("valid", label.path("signature").asText(), report);
        assertEquals("big-1", label.path("ProduceID").asText(), report);
        assertTrue(inspect.path("problems").isEmpty(), report);

        String probed = TestSupport.run("ffprobe", "-v", "error", "-show_entries", "format_tags=AIGC", "-of", "json", out.toString());
        JsonNode probedLabel = new ObjectMapper().readTree(probed).path("format").path("tags").path("AIGC");
        AigcLabel written = LabelParser.parse(probedLabel.asText()).orElseThrow().label();
        assertEquals("big-1", written.produceId(), probed);
        assertEquals(CODE, written.contentProducer(), probed);
        String exif = TestSupport.run("exiftool", "-j", "-AIGC", out.toString());
        assertTrue(exif.contains("big-1"), exif);
        long t = System.nanoTime();
        TestSupport.run("ffmpeg", "-v", "error", "-xerror", "-i", out.toString(), "-f", "null", "-"); // every frame decodes

        System.out.printf("tools %.1f s%n", (System.nanoTime() - t) / 1e9);
        t = System.nanoTime();
        long outMdat = findBox(out, "mdat");
        assertEquals(SIZE - mdatAt, Files.size(out) - outMdat, "the mdat ends the file and is as long as before");
        assertTrue(sameBytes(in, mdatAt + 8, out, outMdat + 8, SIZE - mdatAt - 8), "the media bytes are unchanged");
        System.out.printf("compare %.1f s%n", (System.nanoTime() - t) / 1e9);
    }

    /** Runs {@link Child} in a JVM with -Xmx128m; returns its output lines. */
    private List<String> run(Path in, Path out) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx128m");
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-modules") || a.startsWith("--enable-native-access") || a.equals("jdk.incubator.vector")) {
                cmd.add(a);
            }
        }
        cmd.add("-Daigcmark.testdata=" + System.getProperty("aigcmark.testdata"));
        cmd.add("-cp");
        cmd.add(System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")));
        cmd.add(Child.class.getName());
        cmd.add(in.toString());
        cmd.add(out.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), output);
        assertEquals(0, p.exitValue(), "the -Xmx128m JVM failed:\n" + output);
        return List.of(output.split("\n"));
    }

    /** The forked side: label with a signature, inspect with the public key, print both and the peak heap. */
    public static final class Child {
        public static void main(String[] args) throws Exception {
            Path in = Path.of(args[0]);
            Path out = Path.of(args[1]);
            Labeler labeler = Labeler.create();
            LabelKeys.SigningKey key = LabelKeys.readSigningKey(Fixtures.path("keys/test-ed25519.key"));
            long t0 = System.nanoTime();
            labeler.label(in, out, LabelRequest.produced(CODE, "big-1").withSigningKey(key));
            long t1 = System.nanoTime();
            System.out.println("labelled");
            InspectReport r = labeler.inspect(out, List.of(LabelKeys.readPublicKey(Fixtures.path("keys/test-ed25519.pub"))));
            long t2 = System.nanoTime();
            System.out.println("inspect");
            System.out.println(new ObjectMapper().writeValueAsString(ReportJson.toNode(r)));
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf("label %.1f s, inspect %.1f s, peak heap %d MiB (max %d MiB)%n", (t1 - t0) / 1e9, (t2 - t1) / 1e9,
                    peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    private static String readType(RandomAccessFile f) throws IOException {
        byte[] t = new byte[4];
        f.readFully(t);
        return new String(t, StandardCharsets.ISO_8859_1);
    }

    /** The offset of the first top-level box of this type, walking box headers. */
    private static long findBox(Path file, String type) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long p = 0;
            ByteBuffer h = ByteBuffer.allocate(16);
            while (p + 8 <= ch.size()) {
                h.clear();
                ch.read(h, p);
                long size = Integer.toUnsignedLong(h.getInt(0));
                String t = new String(h.array(), 4, 4, StandardCharsets.ISO_8859_1);
                if (t.equals(type)) {
                    return p;
                }
                p += size == 1 ? h.getLong(8) : size;
            }
        }
        throw new AssertionError("no " + type + " in " + file);
    }

    /** Compares two ranges a block at a time. */
    private static boolean sameBytes(Path a, long aFrom, Path b, long bFrom, long length) throws IOException {
        try (FileChannel ca = FileChannel.open(a, StandardOpenOption.READ); FileChannel cb = FileChannel.open(b, StandardOpenOption.READ)) {
            ByteBuffer ba = ByteBuffer.allocateDirect(1 << 20);
            ByteBuffer bb = ByteBuffer.allocateDirect(1 << 20);
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(ba.capacity(), length - done);
                ba.clear().limit(n);
                bb.clear().limit(n);
                while (ba.hasRemaining() && ca.read(ba, aFrom + done + ba.position()) > 0) { }
                while (bb.hasRemaining() && cb.read(bb, bFrom + done + bb.position()) > 0) { }
                if (ba.hasRemaining() || bb.hasRemaining() || !ba.flip().equals(bb.flip())) {
                    return false;
                }
                done += n;
            }
        }
        return true;
    }
}
