package org.aigcmark.format.jpeg;

import java.util.ArrayList;
import java.util.List;

/**
 * A JPEG split into its marker segments up to the first SOS, plus the rest (scan data through EOI) as one
 * untouched tail. Written by hand because relabelling must keep the entropy-coded data byte-identical, and
 * because hostile lengths must be caught before anything is allocated.
 */
final class JpegSegments {
    /** A segment: marker byte (0xE1 for APP1, ...), its position, and the payload range (after the length). */
    record Segment(int marker, int start, int payloadStart, int payloadLength) {
        int end() {
            return payloadStart + payloadLength;
        }
    }

    final List<Segment> segments = new ArrayList<>();
    /** Offset of the first SOS marker (0xFFDA); the tail from here on is kept verbatim. -1 if none. */
    int scanStart = -1;
    /** Offset just past the last EOI marker, or -1 when the file is truncated. */
    int eoiEnd = -1;
    final List<String> damage = new ArrayList<>();
    /**
     * The parse stopped because the bytes ended (inside a segment, its header or before an SOS), not at a bad byte:
     * a longer read of the same file may parse on ({@link JpegStreaming} reads a file's head in growing pieces).
     */
    boolean cut;

    static final int MAX_SEGMENTS = 4096;

    static JpegSegments parse(byte[] b) {
        JpegSegments s = new JpegSegments();
        int p = 2;
        int n = b.length;
        while (p < n) {
            if ((b[p] & 0xFF) != 0xFF) {
                s.damage.add("expected a marker at byte " + p + ", found 0x" + Integer.toHexString(b[p] & 0xFF));
                return s;
            }
            while (p < n && (b[p] & 0xFF) == 0xFF) {
                p++; // fill bytes
            }
            if (p >= n) {
                s.cut = true;
                break;
            }
            int marker = b[p] & 0xFF;
            int markerStart = p - 1;
            p++;
            if (marker == 0xD9) {
                s.damage.add("end-of-image marker before any image data");
                return s;
            }
            if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7)) {
                continue; // standalone markers
            }
            if (p + 2 > n) {
                s.cut = true;
                s.damage.add("truncated inside the header of marker 0xFF" + hex(marker));
                return s;
            }
            int len = (b[p] & 0xFF) << 8 | (b[p + 1] & 0xFF);
            if (len < 2 || p + len > n) {
                s.cut = len >= 2;
                s.damage.add("segment 0xFF" + hex(marker) + " at byte " + markerStart + " declares " + len
                        + " bytes, past the end of the file (truncated or corrupt)");
                return s;
            }
            if (s.segments.size() >= MAX_SEGMENTS) {
                s.damage.add("more than " + MAX_SEGMENTS + " marker segments");
                return s;
            }
            s.segments.add(new Segment(marker, markerStart, p + 2, len - 2));
            p += len;
            if (marker == 0xDA) {
                s.scanStart = markerStart;
                s.eoiEnd = findEoi(b, p);
                if (s.eoiEnd < 0) {
                    s.damage.add("no end-of-image marker after the scan data (the file is truncated)");
                }
                return s;
            }
        }
        s.cut = true;
        s.damage.add("no image data (no start-of-scan marker)");
        return s;
    }

    /** Finds the last EOI in the file after {@code from}; returns the offset after it, or -1. */
    private static int findEoi(byte[] b, int from) {
        for (int i = b.length - 2; i >= from; i--) {
            if ((b[i] & 0xFF) == 0xFF && (b[i + 1] & 0xFF) == 0xD9) {
                return i + 2;
            }
        }
        return -1;
    }

    static boolean isSof(int m) {
        return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
    }

    static String hex(int m) {
        return String.format("%02X", m);
    }
}
