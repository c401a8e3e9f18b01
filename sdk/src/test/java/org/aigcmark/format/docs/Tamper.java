package org.aigcmark.format.docs;

import java.nio.charset.StandardCharsets;
import org.aigcmark.format.MediaType;

/** Changes a document's content (not its label) the way an editor would, per format. */
final class Tamper {
    private Tamper() {}

    static byte[] changeContent(byte[] doc) {
        MediaType t = MediaType.sniff(doc);
        return switch (t) {
            case MARKDOWN, TEXT -> {
                String s = new String(doc, StandardCharsets.UTF_8);
                yield (s + "\nOne more sentence.\n").getBytes(StandardCharsets.UTF_8);
            }
            default -> throw new IllegalArgumentException("no tamper for " + t);
        };
    }
}
