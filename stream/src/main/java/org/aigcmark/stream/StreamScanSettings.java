package org.aigcmark.stream;

import java.util.Optional;
import java.util.Properties;
import org.aigcmark.AigcmarkException;
import org.aigcmark.Limits;

/**
 * What the topology needs besides Kafka's own configuration: topic names, size limits and the platform's name for
 * the propagated label. Read from the {@code aigcmark.*} keys of the application's properties; every other key is
 * Kafka Streams' ({@link StreamScanApp#streamsConfig}).
 *
 * @param uploadsTopic the topic upload events arrive on ({@code aigcmark.topic.uploads})
 * @param verdictsTopic the topic verdict events go to ({@code aigcmark.topic.verdicts})
 * @param deadLettersTopic the topic unreadable events go to, unchanged, with the reason in headers
 *     ({@code aigcmark.topic.dead-letters})
 * @param inlineMaxBytes the most bytes an event may carry inline (decoded), and the most a propagated copy returned
 *     inline may have ({@code aigcmark.inline.max.bytes}; default 512 KiB, so the base64 fits Kafka's default 1 MiB
 *     message)
 * @param objectMaxBytes the most bytes read from the object store for one event ({@code aigcmark.object.max.bytes};
 *     default the sdk's {@link Limits#maxFileBytes()})
 * @param propagator the platform's name written as ContentPropagator ({@code aigcmark.propagator}); empty: events that
 *     ask for the propagated label get it skipped, with the reason
 * @param propagateSigningKey a PEM private key file that signs the propagated record into ReservedCode2
 *     ({@code aigcmark.propagate.sign-key}), or empty
 * @param sha256 whether each verdict carries the file's SHA-256 ({@code aigcmark.verdict.sha256}, default true): a
 *     platform's key for deduplication and audit, but a pass over every byte, the largest cost of a metadata-only
 *     verdict (docs/STREAM.md); a platform that hashes at upload time turns it off
 */
public record StreamScanSettings(String uploadsTopic, String verdictsTopic, String deadLettersTopic, int inlineMaxBytes,
                                 long objectMaxBytes, String propagator, Optional<String> propagateSigningKey,
                                 boolean sha256) {
    /** The prefix of this topology's own keys in the application's properties. */
    public static final String PREFIX = "aigcmark.";

    /** Checks the values. */
    public StreamScanSettings {
        requireTopic(uploadsTopic, "aigcmark.topic.uploads");
        requireTopic(verdictsTopic, "aigcmark.topic.verdicts");
        requireTopic(deadLettersTopic, "aigcmark.topic.dead-letters");
        if (inlineMaxBytes < 0 || objectMaxBytes < 0) {
            throw AigcmarkException.invalid("aigcmark.inline.max.bytes and aigcmark.object.max.bytes must not be negative");
        }
        propagator = propagator == null ? "" : propagator.strip();
        propagateSigningKey = propagateSigningKey == null ? Optional.empty() : propagateSigningKey;
    }

    /** @return the defaults: topics {@code aigcmark.uploads}, {@code aigcmark.verdicts}, {@code aigcmark.uploads.dlt} */
    public static StreamScanSettings defaults() {
        return from(new Properties());
    }

    /**
     * The settings in {@code props} ({@code aigcmark.*} keys), defaults for the missing ones.
     *
     * @param props the application's properties
     * @return the settings
     * @throws AigcmarkException {@code INVALID_ARGUMENT} for a value that is not a number where one is needed
     */
    public static StreamScanSettings from(Properties props) {
        String key = props.getProperty("aigcmark.propagate.sign-key", "").strip();
        return new StreamScanSettings(
                props.getProperty("aigcmark.topic.uploads", "aigcmark.uploads"),
                props.getProperty("aigcmark.topic.verdicts", "aigcmark.verdicts"),
                props.getProperty("aigcmark.topic.dead-letters", "aigcmark.uploads.dlt"),
                (int) number(props, "aigcmark.inline.max.bytes", 512 * 1024, Integer.MAX_VALUE - 8),
                number(props, "aigcmark.object.max.bytes", Limits.DEFAULT.maxFileBytes(), Long.MAX_VALUE),
                props.getProperty("aigcmark.propagator", ""),
                key.isEmpty() ? Optional.empty() : Optional.of(key),
                bool(props, "aigcmark.verdict.sha256", true));
    }

    /** @return a copy with this inline limit */
    public StreamScanSettings withInlineMaxBytes(int bytes) {
        return new StreamScanSettings(uploadsTopic, verdictsTopic, deadLettersTopic, bytes, objectMaxBytes, propagator, propagateSigningKey, sha256);
    }

    /** @return a copy with this ContentPropagator name */
    public StreamScanSettings withPropagator(String name) {
        return new StreamScanSettings(uploadsTopic, verdictsTopic, deadLettersTopic, inlineMaxBytes, objectMaxBytes, name, propagateSigningKey, sha256);
    }

    /** @return a copy whose verdicts carry the file's SHA-256, or not */
    public StreamScanSettings withSha256(boolean on) {
        return new StreamScanSettings(uploadsTopic, verdictsTopic, deadLettersTopic, inlineMaxBytes, objectMaxBytes, propagator,
                propagateSigningKey, on);
    }

    private static boolean bool(Properties props, String key, boolean fallback) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        return switch (v.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw AigcmarkException.invalid(key + " must be true or false, got " + v);
        };
    }

    private static long number(Properties props, String key, long fallback, long max) {
        String v = props.getProperty(key);
        if (v == null || v.isBlank()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.strip());
            if (n < 0 || n > max) {
                throw AigcmarkException.invalid(key + " must be between 0 and " + max + ", got " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw AigcmarkException.invalid(key + " must be a number of bytes, got " + v);
        }
    }

    private static void requireTopic(String topic, String key) {
        if (topic == null || !topic.matches("[A-Za-z0-9._-]{1,249}")) {
            throw AigcmarkException.invalid(key + " must be a Kafka topic name ([A-Za-z0-9._-], 1 to 249 characters), got " + topic);
        }
    }
}
