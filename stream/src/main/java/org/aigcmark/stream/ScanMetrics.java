package org.aigcmark.stream;

import java.util.EnumMap;
import java.util.Map;
import org.aigcmark.detection.Verdict;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.StreamsMetrics;

/**
 * The topology's counters, as Kafka Streams custom sensors: group {@value #GROUP}, tag {@code aigcmark-id=scan} and
 * the stream thread's {@code thread-id}, each a {@code NAME-total} and a {@code NAME-rate} metric: {@code
 * verdict-RULE} per verdict rule ({@code verdict-metadata}, {@code verdict-watermark}, {@code verdict-user-declared},
 * {@code verdict-traces}, {@code verdict-none}, {@code verdict-unchecked}), {@code dead-letter-REASON} per {@link
 * DeadLetter}, {@code propagated} and {@code propagate-failed}. They sit beside Kafka Streams' own metrics, so one
 * reporter (JMX, or {@code metric.reporters}) exports both; the sensor of one thread is shared by its tasks.
 */
final class ScanMetrics {
    /** The metrics group of these sensors. */
    static final String GROUP = "stream-aigcmark-metrics";
    private static final String SCOPE = "aigcmark";
    private static final String ENTITY = "scan";

    private final Map<Verdict.Rule, Sensor> verdicts = new EnumMap<>(Verdict.Rule.class);
    private final Map<DeadLetter, Sensor> deadLetters = new EnumMap<>(DeadLetter.class);
    private final Sensor propagated;
    private final Sensor propagateFailed;

    /** Registers (or finds, for a second task on the same thread) the sensors; call from the stream thread. */
    ScanMetrics(StreamsMetrics metrics) {
        for (Verdict.Rule r : Verdict.Rule.values()) {
            verdicts.put(r, sensor(metrics, "verdict-" + r.id()));
        }
        for (DeadLetter d : DeadLetter.values()) {
            deadLetters.put(d, sensor(metrics, "dead-letter-" + d.id()));
        }
        propagated = sensor(metrics, "propagated");
        propagateFailed = sensor(metrics, "propagate-failed");
    }

    private static Sensor sensor(StreamsMetrics metrics, String operation) {
        return metrics.addRateTotalSensor(SCOPE, ENTITY, operation, Sensor.RecordingLevel.INFO);
    }

    void verdict(Verdict.Rule rule) {
        verdicts.get(rule).record();
    }

    void deadLetter(DeadLetter reason) {
        deadLetters.get(reason).record();
    }

    void propagated(boolean written) {
        (written ? propagated : propagateFailed).record();
    }
}
