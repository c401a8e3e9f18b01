package org.aigcmark.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.aigcmark.format.MediaType;

/**
 * One target per container handler: its {@code scan}, its {@code writeLabel} (read back: exactly the record
 * written), and the facade's deterministic {@code inspect} and {@code label} on the same bytes. The handler is
 * called directly, so a mutation that breaks the magic bytes still reaches the parser.
 */
class ContainerFuzzTest {
    private static void container(MediaType type, String name, byte[] data) {
        Oracles.writeLabelReadsBack(Oracles.handler(type), data);
        Oracles.inspectDeterministic(data, name);
        Oracles.labelReadsBack(data, name);
    }

    @FuzzTest
    void jpeg(byte[] data) {
        container(MediaType.JPEG, "fuzz.jpg", data);
    }

    @FuzzTest
    void png(byte[] data) {
        container(MediaType.PNG, "fuzz.png", data);
    }

    @FuzzTest
    void webp(byte[] data) {
        container(MediaType.WEBP, "fuzz.webp", data);
    }

    @FuzzTest
    void gif(byte[] data) {
        container(MediaType.GIF, "fuzz.gif", data);
    }

    @FuzzTest
    void tiff(byte[] data) {
        container(MediaType.TIFF, "fuzz.tif", data);
    }

    @FuzzTest
    void heif(byte[] data) {
        container(MediaType.HEIF, "fuzz.heic", data);
    }

    @FuzzTest
    void avi(byte[] data) {
        container(MediaType.AVI, "fuzz.avi", data);
    }

    @FuzzTest
    void flv(byte[] data) {
        container(MediaType.FLV, "fuzz.flv", data);
    }

    @FuzzTest
    void mp4(byte[] data) {
        container(MediaType.MP4, "fuzz.mp4", data);
        Oracles.streamingMatchesBytes(Oracles.handler(MediaType.MP4), data);
    }

    @FuzzTest
    void mkv(byte[] data) {
        container(MediaType.MKV, "fuzz.mkv", data);
        Oracles.streamingMatchesBytes(Oracles.handler(MediaType.MKV), data);
    }

    @FuzzTest
    void markdown(byte[] data) {
        container(MediaType.MARKDOWN, "fuzz.md", data);
    }

    @FuzzTest
    void text(byte[] data) {
        container(MediaType.TEXT, "fuzz.txt", data);
    }

    @FuzzTest
    void pdf(byte[] data) {
        container(MediaType.PDF, "fuzz.pdf", data);
    }

    @FuzzTest
    void ooxml(byte[] data) {
        container(MediaType.DOCX, "fuzz.docx", data);
    }
}
