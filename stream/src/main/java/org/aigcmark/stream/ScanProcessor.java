package org.aigcmark.stream;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.aigcmark.AigcmarkException;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.PropagateRequest;
import org.aigcmark.detection.DetectionReport;
import org.aigcmark.detection.Detector;
import org.aigcmark.io.Sha256;
import org.aigcmark.label.LabelKeys;
import org.aigcmark.report.ReportJson;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * One upload event in, one verdict or one dead letter out. Every failure an event can cause (bad JSON, a missing or
 * oversized object, a file the detector refuses or fails on) is a dead letter, never an exception out of
 * {@link #process}, so one hostile upload cannot stop the partition behind it. The propagated copy is written before
 * the verdict is forwarded; under exactly-once a retried event writes the same bytes to the same reference again.
 */
final class ScanProcessor implements Processor<byte[], byte[], byte[], byte[]> {
    private static final System.Logger LOG = System.getLogger(ScanProcessor.class.getName());
    private static final com.fasterxml.jackson.databind.ObjectWriter ONE_LINE = ReportJson.MAPPER.writer()
            .without(com.fasterxml.jackson.databind.SerializationFeature.INDENT_OUTPUT);

    private final StreamScanSettings settings;
    private final StreamScanTopology.SharedDetector shared;
    private final ObjectStore store;
    private final Labeler labeler;
    private final Optional<LabelKeys.SigningKey> signingKey;
    private ProcessorContext<byte[], byte[]> context;
    private ScanMetrics metrics;
    private Detector full;
    private Detector metadataOnly;

    ScanProcessor(StreamScanSettings settings, StreamScanTopology.SharedDetector shared, ObjectStore store, Labeler labeler,
                  Optional<LabelKeys.SigningKey> signingKey) {
        this.settings = settings;
        this.shared = shared;
        this.store = store;
        this.labeler = labeler;
        this.signingKey = signingKey;
    }

    @Override
    public void init(ProcessorContext<byte[], byte[]> context) {
        this.context = context;
        this.metrics = new ScanMetrics(context.metrics());
        this.full = shared.get();
        this.metadataOnly = shared.metadataOnly();
    }

    @Override
    public void process(Record<byte[], byte[]> record) {
        UploadEvent event;
        try {
            event = UploadEvent.parse(record.value(), settings.inlineMaxBytes());
        } catch (AigcmarkException e) {
            deadLetter(record, switch (e.reason()) {
                case CORRUPT_INPUT -> DeadLetter.BAD_JSON;
                case LIMIT_EXCEEDED -> DeadLetter.INLINE_TOO_LARGE;
                default -> DeadLetter.INVALID_EVENT;
            }, e.getMessage(), null);
            return;
        }
        byte[] bytes;
        try {
            bytes = event.inline() != null ? event.inline() : store.read(event.object().orElseThrow(), settings.objectMaxBytes());
        } catch (AigcmarkException e) {
            deadLetter(record, e.reason() == AigcmarkException.Reason.LIMIT_EXCEEDED ? DeadLetter.OBJECT_TOO_LARGE
                    : DeadLetter.OBJECT_UNREADABLE, e.getMessage(), event.eventId());
            return;
        }
        DetectionReport report;
        try {
            report = (event.metadataOnly() ? metadataOnly : full).detect(bytes, event.name(), event.declaredAi());
        } catch (AigcmarkException e) {
            deadLetter(record, DeadLetter.DETECTION_FAILED, e.reason().name() + ": " + e.getMessage(), event.eventId());
            return;
        } catch (RuntimeException | StackOverflowError e) {
            // a parser bug on a hostile file: this upload is dead-lettered, the ones behind it are still scanned
            LOG.log(System.Logger.Level.WARNING, "detection failed on event " + event.eventId(), e);
            deadLetter(record, DeadLetter.DETECTION_FAILED, "INTERNAL: " + e, event.eventId());
            return;
        }
        ObjectNode out = verdictEvent(event, bytes, report);
        metrics.verdict(report.verdict().rule());
        context.forward(new Record<>(record.key(), compact(out), record.timestamp(), new RecordHeaders()),
                StreamScanTopology.VERDICTS);
    }

    /**
     * The verdict event: the event's fields, the file's size and SHA-256 (unless turned off), the verdict, the platform's decision, the
     * full report ({@link ReportJson#toNode(DetectionReport)}) and, when asked, the propagated label.
     */
    private ObjectNode verdictEvent(UploadEvent event, byte[] bytes, DetectionReport report) {
        ObjectNode o = ReportJson.MAPPER.createObjectNode();
        o.put("eventId", event.eventId());
        o.put("tenant", event.tenant());
        o.put("object", event.object().orElse(null));
        o.put("name", event.name());
        o.put("size", bytes.length);
        if (settings.sha256()) {
            o.put("sha256", Sha256.hex(bytes));
        }
        o.put("declaredAi", event.declaredAi());
        o.put("metadataOnly", event.metadataOnly());
        ObjectNode v = o.putObject("verdict");
        v.put("label", report.verdict().labelCode());
        v.put("rule", report.verdict().rule().id());
        PlatformDecision decision = PlatformDecision.of(report.verdict());
        ObjectNode d = o.putObject("decision");
        d.put("id", decision.id());
        d.put("showLabel", report.verdict().labelCode());
        d.put("recordLabel", decision == PlatformDecision.KEEP ? report.verdict().labelCode()
                : decision.recordLabel().map(org.aigcmark.label.Label::code).orElse(null));
        o.set("report", ReportJson.toNode(report));
        if (event.propagate()) {
            o.set("propagated", propagate(event, bytes, report, decision));
        }
        return o;
    }

    /** Writes the propagated copy where the decision calls for a record; what was written, or why nothing was. */
    private ObjectNode propagate(UploadEvent event, byte[] bytes, DetectionReport report, PlatformDecision decision) {
        ObjectNode p = ReportJson.MAPPER.createObjectNode();
        if (!decision.writesRecord()) {
            p.put("written", false);
            p.put("skipped", decision == PlatformDecision.SHOW_ONLY
                    ? "our watermark but no record: a Label 1 record needs the producer's, and Labeler.propagate writes none"
                    : "no label to propagate (" + report.verdict().rule().id() + ")");
            return p;
        }
        if (settings.propagator().isEmpty()) {
            p.put("written", false);
            p.put("skipped", "no ContentPropagator configured (aigcmark.propagator)");
            return p;
        }
        try {
            PropagateRequest request = PropagateRequest.of(settings.propagator(), event.propagateId());
            if (decision.recordLabel().isPresent()) {
                request = request.withLabel(decision.recordLabel().get().code());
            }
            if (signingKey.isPresent()) {
                request = request.withSigningKey(signingKey.get());
            }
            LabelResult result = labeler.propagate(bytes, event.name(), request);
            if (event.object().isPresent()) {
                String ext = result.format().extensions().isEmpty() ? "bin" : result.format().extensions().get(0);
                String ref = store.propagatedRef(event.object().get(), event.tenant(), event.eventId(), ext);
                p.put("object", store.write(ref, result.bytes()));
            } else if (result.bytes().length > settings.inlineMaxBytes()) {
                throw AigcmarkException.limit("the propagated copy of " + result.bytes().length
                        + " bytes is over aigcmark.inline.max.bytes; send an object reference to get it written back");
            } else {
                p.put("inline", Base64.getEncoder().encodeToString(result.bytes()));
            }
            p.put("written", true);
            p.set("label", ReportJson.MAPPER.valueToTree(result.label().toMap()));
            result.notes().forEach(p.putArray("notes")::add);
            metrics.propagated(true);
        } catch (AigcmarkException e) {
            // the verdict stands; the platform sees why its copy is missing (a format we cannot write, a full disk)
            p.removeAll();
            p.put("written", false);
            p.put("error", e.reason().name() + ": " + e.getMessage());
            metrics.propagated(false);
        }
        return p;
    }

    private void deadLetter(Record<byte[], byte[]> record, DeadLetter reason, String message, String eventId) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetter.REASON_HEADER, utf8(reason.id()));
        String text = message == null ? "" : message;
        headers.add(DeadLetter.MESSAGE_HEADER, utf8(text.length() > 2000 ? text.substring(0, 2000) + "..." : text));
        Optional<RecordMetadata> meta = context.recordMetadata();
        headers.add(DeadLetter.SOURCE_HEADER, utf8(meta.map(m -> m.topic() + "/" + m.partition() + "@" + m.offset()).orElse("")));
        if (eventId != null) {
            headers.add(DeadLetter.EVENT_ID_HEADER, utf8(eventId));
        }
        metrics.deadLetter(reason);
        context.forward(new Record<>(record.key(), record.value(), record.timestamp(), headers), StreamScanTopology.DEAD_LETTERS);
    }

    /** One line of JSON, as Kafka tools show it. */
    static byte[] compact(ObjectNode node) {
        try {
            return ONE_LINE.writeValueAsBytes(node);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("a tree of plain values did not serialise", e);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
