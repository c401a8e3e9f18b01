package org.aigcmark.serve;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How the service listens and what it admits.
 *
 * @param bind          the address to listen on (127.0.0.1 by default: nothing outside the machine can call it)
 * @param port          the port; 0 picks a free one (tests)
 * @param maxBodyBytes  the largest request body; a larger one gets 413 without being read whole
 * @param maxConcurrent requests worked on at once
 * @param queue         requests that may wait for a worker; past that 429 with Retry-After
 * @param timeout       the longest a request may wait and run; past that 504
 * @param apiKeys       the API keys file, or null: auth off
 */
public record ServeSettings(String bind, int port, long maxBodyBytes, int maxConcurrent, int queue, Duration timeout, Path apiKeys) {
    public ServeSettings {
        if (port < 0 || port > 65535) {
            throw org.aigcmark.AigcmarkException.invalid("--port must be 0..65535, got " + port);
        }
        if (maxBodyBytes < 1 || maxConcurrent < 1 || queue < 0 || timeout.isNegative() || timeout.isZero()) {
            throw org.aigcmark.AigcmarkException.invalid("--max-body-mb, --max-concurrent and --timeout-s must be positive, --queue at least 0");
        }
    }

    /** The defaults of {@code aigcmark serve}: loopback, port 8080, 64 MiB bodies, one worker per core, 32 waiting, 60 s. */
    public static ServeSettings defaults() {
        return new ServeSettings("127.0.0.1", 8080, 64L << 20, Runtime.getRuntime().availableProcessors(), 32,
                Duration.ofSeconds(60), null);
    }

    public ServeSettings withPort(int newPort) {
        return new ServeSettings(bind, newPort, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys);
    }

    public ServeSettings withApiKeys(Path file) {
        return new ServeSettings(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, file);
    }

    public ServeSettings withLimits(long newMaxBodyBytes, int newMaxConcurrent, int newQueue, Duration newTimeout) {
        return new ServeSettings(bind, port, newMaxBodyBytes, newMaxConcurrent, newQueue, newTimeout, apiKeys);
    }
}
