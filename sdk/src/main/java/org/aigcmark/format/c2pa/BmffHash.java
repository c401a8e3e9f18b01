package org.aigcmark.format.c2pa;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The C2PA BMFF hard binding ({@code c2pa.hash.bmff.v2}/{@code .v3}, C2PA 2.x "BMFF-Based Hash") over a whole file
 * held in memory, without Merkle trees: the top-level boxes in file order, each box that is not wholly excluded
 * preceded by its absolute file offset as an 8-byte big-endian integer, minus the exclusions (boxes named by an
 * xpath, matched further by length, version, flags and data, whole or by subset ranges). That is how the C2PA
 * reference implementation (c2pa-rs {@code bmff_to_jumbf_exclusions}: a "BMFF v2 offset" before each top-level box
 * kept) and c2pa-ts ({@code BMFFHashAssertion}) compute it. Only top-level xpaths ({@code /ftyp}) are evaluated: a
 * nested one is reported as unsupported rather than guessed.
 */
final class BmffHash {
    /** The C2PA manifest box: {@code uuid} with this extended type (C2PA, embedding in BMFF). */
    static final byte[] C2PA_UUID = HexFormat.of().parseHex("d8fec3d61b0e483c92975828877ec481");
    /** Boxes that must never be excluded: the media and the movie header are what the binding binds. */
    private static final List<String> CONTENT_BOXES = List.of("mdat", "moov", "moof");
    private static final int MAX_TOP_BOXES = 200_000;
    private static final int MAX_EXCLUSIONS = 1_000;

    private BmffHash() {}

    /** One top-level box: type, start, end (exclusive), header length. */
    record Top(String type, long start, long end, int header) {}

    /**
     * The exclusion list aigcmark writes: the C2PA box ({@code /uuid} whose extended type, at byte 8, is the C2PA
     * UUID), {@code /ftyp} (brands may change) and {@code /mfra} (rewritten when fragments are added), as the C2PA
     * specification requires and c2pa-rs and c2pa-ts write.
     */
    static List<Map<String, Object>> standardExclusions() {
        Map<String, Object> uuid = new LinkedHashMap<>();
        uuid.put("xpath", "/uuid");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("offset", 8);
        data.put("value", C2PA_UUID);
        uuid.put("data", List.of(data));
        Map<String, Object> ftyp = new LinkedHashMap<>();
        ftyp.put("xpath", "/ftyp");
        Map<String, Object> mfra = new LinkedHashMap<>();
        mfra.put("xpath", "/mfra");
        return List.of(uuid, ftyp, mfra);
    }

    /** The top-level boxes; null when they do not tile the file (a box runs past the end, a size is impossible). */
    static List<Top> topLevel(byte[] b) {
        List<Top> out = new ArrayList<>();
        long p = 0;
        while (p < b.length) {
            if (b.length - p < 8 || out.size() >= MAX_TOP_BOXES) {
                return null;
            }
            int i = (int) p;
            long size = u32(b, i);
            String type = new String(b, i + 4, 4, StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                if (b.length - p < 16) {
                    return null;
                }
                size = u32(b, i + 8) << 32 | u32(b, i + 12);
                header = 16;
            } else if (size == 0) {
                size = b.length - p;
            }
            if (size < header || size > b.length - p) {
                return null;
            }
            out.add(new Top(type, p, p + size, header));
            p += size;
        }
        return out;
    }

    /**
     * The hash of {@code b} under {@code exclusions} (CBOR exclusion maps, as read), or a reason it cannot be taken:
     * {@code "unsupported ..."} for what this implementation does not evaluate, anything else for a file or an
     * exclusion list that binds nothing.
     */
    static Either hash(byte[] b, JsonNode exclusions, MessageDigest md) {
        List<Top> top = topLevel(b);
        if (top == null) {
            return Either.problem("the file's top-level boxes do not parse");
        }
        if (exclusions.size() > MAX_EXCLUSIONS) {
            return Either.problem("more than " + MAX_EXCLUSIONS + " exclusions");
        }
        boolean[] whole = new boolean[top.size()];
        List<List<long[]>> partial = new ArrayList<>();
        top.forEach(t -> partial.add(new ArrayList<>()));
        for (JsonNode e : exclusions) {
            String xpath = e.path("xpath").asText("");
            if (!xpath.matches("/[^/\\[\\]]{4}")) {
                return Either.problem("unsupported exclusion xpath '" + xpath + "' (only top-level boxes are evaluated)");
            }
            String type = xpath.substring(1);
            for (int i = 0; i < top.size(); i++) {
                Top t = top.get(i);
                if (!t.type().equals(type) || !matches(b, t, e)) {
                    continue;
                }
                if (CONTENT_BOXES.contains(type)) {
                    return Either.problem("an exclusion skips the '" + type + "' box (content would be unbound)");
                }
                JsonNode subset = e.path("subset");
                if (subset.isArray() && !subset.isEmpty()) {
                    long size = t.end() - t.start();
                    for (JsonNode s : subset) {
                        long offset = s.path("offset").asLong(-1);
                        long length = s.path("length").asLong(-1);
                        if (offset < 0 || length < 0) {
                            return Either.problem("a malformed subset in the exclusion of " + xpath);
                        }
                        if (offset > size) {
                            continue;
                        }
                        partial.get(i).add(new long[] {t.start() + offset, length == 0 ? size - offset : Math.min(length, size - offset)});
                    }
                } else {
                    whole[i] = true;
                }
            }
        }
        byte[] offset = new byte[8];
        for (int i = 0; i < top.size(); i++) {
            if (whole[i]) {
                continue;
            }
            Top t = top.get(i);
            for (int k = 0; k < 8; k++) {
                offset[k] = (byte) (t.start() >>> (56 - 8 * k));
            }
            md.update(offset);
            List<long[]> skip = partial.get(i);
            skip.sort((x, y) -> Long.compare(x[0], y[0]));
            long p = t.start();
            for (long[] r : skip) {
                if (r[0] > p) {
                    md.update(b, (int) p, (int) (r[0] - p));
                }
                p = Math.max(p, r[0] + r[1]);
            }
            if (p < t.end()) {
                md.update(b, (int) p, (int) (t.end() - p));
            }
        }
        return Either.hash(md.digest());
    }

    /** Whether box {@code t} meets the exclusion's optional length, version, flags and data conditions. */
    private static boolean matches(byte[] b, Top t, JsonNode e) {
        long size = t.end() - t.start();
        if (e.hasNonNull("length") && e.path("length").asLong() != size) {
            return false;
        }
        int fullBoxAt = (int) t.start() + t.header() + (t.type().equals("uuid") ? 16 : 0);
        if (e.hasNonNull("version")) {
            if (fullBoxAt + 4 > t.end() || (b[fullBoxAt] & 0xFF) != e.path("version").asInt()) {
                return false;
            }
        }
        if (e.hasNonNull("flags")) {
            byte[] want = binary(e.path("flags"));
            if (want.length != 3 || fullBoxAt + 4 > t.end()) {
                return false;
            }
            boolean exact = e.path("exact").asBoolean(true);
            for (int k = 0; k < 3; k++) {
                int have = b[fullBoxAt + 1 + k] & 0xFF;
                int w = want[k] & 0xFF;
                if (exact ? have != w : (have & w) != w) {
                    return false;
                }
            }
        }
        for (JsonNode d : e.path("data")) {
            long at = t.start() + d.path("offset").asLong(-1);
            byte[] value = binary(d.path("value"));
            if (at < t.start() || at + value.length > t.end()) {
                return false;
            }
            for (int k = 0; k < value.length; k++) {
                if (b[(int) at + k] != value[k]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A hash, or why none. */
    record Either(byte[] hash, String problem) {
        static Either hash(byte[] h) {
            return new Either(h, null);
        }

        static Either problem(String p) {
            return new Either(null, p);
        }
    }

    private static byte[] binary(JsonNode n) {
        try {
            return n != null && n.isBinary() ? n.binaryValue() : new byte[0];
        } catch (java.io.IOException e) {
            return new byte[0];
        }
    }

    private static long u32(byte[] b, int p) {
        return (b[p] & 0xFFL) << 24 | (b[p + 1] & 0xFFL) << 16 | (b[p + 2] & 0xFFL) << 8 | (b[p + 3] & 0xFFL);
    }
}
