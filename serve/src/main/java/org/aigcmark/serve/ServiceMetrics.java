package org.aigcmark.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * What {@code GET /metrics} shows, in the Prometheus text format (Micrometer's registry writes it): requests by
 * endpoint and status, a latency histogram by endpoint, verdicts by label, requests in flight and waiting, and
 * requests refused before any work (busy, too large, unauthorised, timed out...).
 */
final class ServiceMetrics {
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> requests = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Timer> durations = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentHashMap<String, Counter> verdicts = new java.util.concurrent.ConcurrentHashMap<>();

    ServiceMetrics(Supplier<Number> inFlight, Supplier<Number> waiting) {
        Gauge.builder("aigcmark.requests.in.flight", inFlight).description("Detection requests admitted and not finished")
                .register(registry);
        Gauge.builder("aigcmark.requests.waiting", waiting).description("Admitted requests waiting for a worker (queue depth)")
                .register(registry);
    }

    void request(String endpoint, int status, long nanos) {
        // the meters are looked up once and kept: a builder's register() a request cost more than the recording
        requests.computeIfAbsent(endpoint + ' ' + status, k -> Counter.builder("aigcmark.requests")
                .description("HTTP requests by endpoint and status")
                .tag("endpoint", endpoint).tag("status", Integer.toString(status)).register(registry)).increment();
        durations.computeIfAbsent(endpoint, k -> Timer.builder("aigcmark.request.duration").description("Time from request to response")
                .tag("endpoint", endpoint).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofMinutes(2))
                .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }

    /** A report's verdict: "1", "2", "3", "none" or "unchecked". */
    void verdict(String label) {
        verdicts.computeIfAbsent(label, k -> Counter.builder("aigcmark.verdicts").description("Detection verdicts by platform label")
                .tag("label", label).register(registry)).increment();
    }

    /** A request refused before its work started or ended: busy, draining, too_large, unauthorized, forbidden, timeout. */
    void rejected(String reason) {
        Counter.builder("aigcmark.rejected").description("Requests refused by the service's limits and auth")
                .tag("reason", reason).register(registry).increment();
    }

    String scrape() {
        return registry.scrape();
    }
}
