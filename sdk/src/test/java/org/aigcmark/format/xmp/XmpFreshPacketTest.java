package org.aigcmark.format.xmp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;
import org.junit.jupiter.api.Test;

/**
 * The packet written into a file without XMP comes from a template, not a DOM round trip per call: it must be the
 * DOM's bytes exactly, and reading it back without the DOM must give the DOM scan's slots, hints and packets.
 */
class XmpFreshPacketTest {
    private static final List<String> RECORDS = List.of(
            AigcLabel.produced("001191110102MACQD9K64010000", "img-1").toBareJson(),
            AigcLabel.produced("深度求索（北京）科技有限公司", "图像-42").toBareJson(),
            "{\"Label\":\"1\",\"ContentProducer\":\"a & b <c>\"}",
            "{\"Label\":\"1\",\"ContentProducer\":\"tab\there\"}",
            "{\"Label\":\"1\",\"ContentProducer\":\"emoji \uD83D\uDE00 and \u2028\"}",
            "{\"Label\":\"1\",\"ContentProducer\":\"c1 \u0085 del \u007F\"}",
            " {\"Label\":\"2\"}\u3000",
            "{\"Label\":\"3\",\"ContentProducer\":\"quote \\\" apostrophe ' ]]\"}");

    @Test
    void templatePacketIsTheDomPacketByteForByte() {
        int templated = 0;
        for (String dst : Arrays.asList(null, Xmp.TRAINED_ALGORITHMIC_MEDIA, "http://example.com/other")) {
            for (String record : RECORDS) {
                String dom = Xmp.domWithLabel(null, record, dst);
                assertEquals(dom, Xmp.withLabel(null, record, dst), record + " / " + dst);
                templated += Xmp.FreshPacket.of(dst) != null && Xmp.plainText(record) ? 1 : 0;
            }
        }
        assertEquals(6, templated, "the three plain records, with and without DigitalSourceType, take the template");
    }

    @Test
    void freshPacketsReadBackAsTheDomReadsThem() {
        for (String dst : Arrays.asList(null, Xmp.TRAINED_ALGORITHMIC_MEDIA)) {
            for (String record : RECORDS) {
                String packet = Xmp.withLabel(null, record, dst);
                assertEquals(describe(packet, false), describe(packet, true), record + " / " + dst);
            }
        }
        // a packet that only starts and ends like ours goes through the DOM
        Xmp.FreshPacket f = Xmp.FreshPacket.of(null);
        String tampered = f.head() + "{\"Label\":\"1\"}<x/>" + f.tail();
        assertEquals(describe(tampered, false), describe(tampered, true));
        assertTrue(Xmp.plainText(RECORDS.get(1)));
    }

    private static String describe(String packet, boolean fast) {
        ContainerScan scan = new ContainerScan(MediaType.JPEG);
        if (fast) {
            Xmp.scan(packet, "xmp", scan);
        } else {
            Xmp.domScan(packet, "xmp", scan);
        }
        List<String> out = new ArrayList<>();
        out.add(scan.slots().toString());
        out.add(scan.hints().toString());
        out.add(scan.xmpPackets().toString());
        out.add(scan.notes().toString());
        return out.toString();
    }
}
