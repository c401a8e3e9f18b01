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
 * @param readTimeout   slow clients: the longest a connection may take to send a request's head, and the longest
 *                      one read of a body may wait; a body must also keep up {@link #MIN_BYTES_PER_SECOND} once this
 *                      time has passed. Past either the connection is closed (a slowloris holds no worker)
 * @param tlsCert       a PEM certificate chain (the server's first), or null: plain HTTP; with {@code tlsKey}
 * @param tlsKey        the PEM private key (PKCS#8) of the chain's first certificate, or null
 * @param drainTimeout  graceful stop: the longest requests in flight may take to finish once {@code close} is called
 *                      (new ones get 503 with Retry-After meanwhile); what is still running then is cut off
 */
public record ServeSettings(String bind, int port, long maxBodyBytes, int maxConcurrent, int queue, Duration timeout, Path apiKeys,
                            Duration readTimeout, Path tlsCert, Path tlsKey, Duration drainTimeout) {
    /** The slowest a request body may arrive once {@code readTimeout} has passed, in bytes a second. */
    public static final long MIN_BYTES_PER_SECOND = 1024;
    /**
     * The default drain: under the 30 s an orchestrator commonly waits after SIGTERM before it kills (Kubernetes'
     * terminationGracePeriodSeconds), leaving time to stop the listener and close the models.
     */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(25);

    public ServeSettings {
        if (port < 0 || port > 65535) {
            throw org.aigcmark.AigcmarkException.invalid("--port must be 0..65535, got " + port);
        }
        if (maxBodyBytes < 1 || maxConcurrent < 1 || queue < 0 || timeout.isNegative() || timeout.isZero()
                || readTimeout.isNegative() || readTimeout.isZero() || drainTimeout.isNegative()) {
            throw org.aigcmark.AigcmarkException.invalid("--max-body-mb, --max-concurrent, --timeout-s and --read-timeout-s must be positive, --queue and --drain-timeout-s at least 0");
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw org.aigcmark.AigcmarkException.invalid("--tls-cert and --tls-key go together");
        }
    }

    /** Plain HTTP with the default read timeout (20 s). */
    public ServeSettings(String bind, int port, long maxBodyBytes, int maxConcurrent, int queue, Duration timeout, Path apiKeys) {
        this(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys, Duration.ofSeconds(20), null, null, DEFAULT_DRAIN_TIMEOUT);
    }

    /** With the default drain ({@link #DEFAULT_DRAIN_TIMEOUT}). */
    public ServeSettings(String bind, int port, long maxBodyBytes, int maxConcurrent, int queue, Duration timeout, Path apiKeys,
                         Duration readTimeout, Path tlsCert, Path tlsKey) {
        this(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys, readTimeout, tlsCert, tlsKey, DEFAULT_DRAIN_TIMEOUT);
    }

    /** The defaults of {@code aigcmark serve}: loopback, port 8080, 64 MiB bodies, one worker per core, 32 waiting, 60 s. */
    public static ServeSettings defaults() {
        return new ServeSettings("127.0.0.1", 8080, 64L << 20, Runtime.getRuntime().availableProcessors(), 32,
                Duration.ofSeconds(60), null);
    }

    /** These settings on another port. */
    public ServeSettings withPort(int newPort) {
        return new ServeSettings(bind, newPort, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys, readTimeout, tlsCert, tlsKey, drainTimeout);
    }

    /** These settings with auth on, keys from {@code file} (null: off). */
    public ServeSettings withApiKeys(Path file) {
        return new ServeSettings(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, file, readTimeout, tlsCert, tlsKey, drainTimeout);
    }

    /** These settings with other limits. */
    public ServeSettings withLimits(long newMaxBodyBytes, int newMaxConcurrent, int newQueue, Duration newTimeout) {
        return new ServeSettings(bind, port, newMaxBodyBytes, newMaxConcurrent, newQueue, newTimeout, apiKeys, readTimeout, tlsCert, tlsKey, drainTimeout);
    }

    /** These settings with another slow-client limit. */
    public ServeSettings withReadTimeout(Duration newReadTimeout) {
        return new ServeSettings(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys, newReadTimeout, tlsCert, tlsKey, drainTimeout);
    }

    /** These settings over HTTPS with this PEM chain and key (both null: plain HTTP). */
    public ServeSettings withTls(Path chainPem, Path keyPem) {
        return new ServeSettings(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys, readTimeout, chainPem, keyPem, drainTimeout);
    }

    /** These settings with another drain limit (zero: stop at once, cutting off what runs). */
    public ServeSettings withDrainTimeout(Duration newDrainTimeout) {
        return new ServeSettings(bind, port, maxBodyBytes, maxConcurrent, queue, timeout, apiKeys, readTimeout, tlsCert, tlsKey, newDrainTimeout);
    }

    /** Whether it speaks HTTPS. */
    public boolean tls() {
        return tlsCert != null;
    }
}
