package org.aigcmark.format.xmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.MediaType;
import org.junit.jupiter.api.Test;

/** The tolerant scan of a non-well-formed XMP packet: linear time, and the same slots the old regular expressions found. */
class XmpFallbackScanTest {
    static final String RECORD = "{\"Label\":\"1\",\"ContentProducer\":\"p\",\"ProduceID\":\"x1\"}";

    /** The regular expressions the scan used before (backtracking, quadratic on long word runs): the oracle here. */
    static final Pattern OLD_ATTR = Pattern.compile(
            "(\\w+):(\\w*AIGC\\w*)\\s*=\\s*(\"([^\"]*)\"|'([^']*)')", Pattern.CASE_INSENSITIVE);
    static final Pattern OLD_ELEMENT = Pattern.compile("<(\\w+):(\\w*AIGC\\w*)>([^<]*)</\\1:\\2>", Pattern.CASE_INSENSITIVE);

    static List<String> oldSlots(String packet) {
        List<String> out = new ArrayList<>();
        Matcher m = OLD_ELEMENT.matcher(packet);
        while (m.find()) {
            out.add(Xmp.unescape(m.group(3)));
        }
        m = OLD_ATTR.matcher(packet);
        while (m.find()) {
            out.add(Xmp.unescape(m.group(4) != null ? m.group(4) : m.group(5)));
        }
        return out;
    }

    static List<String> slots(String packet) {
        ContainerScan scan = new ContainerScan(MediaType.JPEG);
        Xmp.scan(packet, "xmp", scan);
        assertTrue(scan.notes().stream().anyMatch(n -> n.contains("not well-formed")), "the fallback ran: " + scan.notes());
        return scan.slots().stream().map(ContainerScan.Slot::text).toList();
    }

    @Test
    void brokenPacketsGiveTheSameSlotsAsTheOldExpressions() {
        String esc = RECORD.replace("\"", "&quot;");
        List<String> packets = List.of(
                "<x:xmpmeta><rdf:Description TC260:AIGC=\"" + esc + "\"></x:xmpmeta",
                "<x:xmpmeta><rdf:Description tc260:aigc = '" + RECORD + "'><broken",
                "<x:xmpmeta><TC260:AIGC>" + esc + "</TC260:AIGC><x:y:zAigcX=\"v\" <",
                "<a:AIGC>one</A:aigc> <b:xAIGCy>two</b:xAIGCy> <c:AIGC>no</c:AIGCx> a:AIGC=\"unclosed",
                "<p:AIGC>t</p:AIGC>q:AIGC='a\"b' r:AIGC=\"c'd\" s:AIGC= x <");
        for (String p : packets) {
            assertEquals(oldSlots(p), slots(p), p);
        }
        assertEquals(RECORD, slots(packets.get(0)).get(0));
        // Random short packets over the alphabet the expressions care about.
        Random rnd = new Random(16);
        String[] atoms = {"a", "AIGC", "aigc", ":", "<", ">", "</", "=", " ", "\"", "'", "x", "_", "&quot;", "é"};
        for (int i = 0; i < 3_000; i++) {
            StringBuilder sb = new StringBuilder("<broken");
            for (int k = rnd.nextInt(30); k > 0; k--) {
                sb.append(atoms[rnd.nextInt(atoms.length)]);
            }
            String p = sb.toString();
            assertEquals(oldSlots(p), slots(p), p);
        }
    }

    /** Fuzzing found 65 KB of non-well-formed XMP in a JPEG taking 98 s (long word runs made the expressions backtrack). */
    @Test
    void longWordRunsAreScannedInLinearTime() {
        String packet = "<x:xmpmeta " + "a".repeat(200_000) + " b:" + "c".repeat(200_000) + "aigc" + "a:".repeat(100_000)
                + " TC260:AIGC=\"" + RECORD.replace("\"", "&quot;") + "\" <";
        List<String> found = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> slots(packet), "hang guard only");
        assertEquals(List.of(RECORD), found);
    }
}
