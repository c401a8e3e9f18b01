package org.aigcmark.serve;

import io.helidon.http.Headers;
import io.helidon.http.HttpPrologue;
import io.helidon.webserver.ConnectionContext;
import io.helidon.webserver.http1.Http1ConnectionListener;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Slow clients (slowloris): a client that sends its request a byte at a time never lets one read wait long, so a
 * read timeout alone never closes it. Each connection is read by its own virtual thread, and interrupting a virtual
 * thread blocked on a socket closes that socket; so a clock that interrupts the reading thread bounds the time:
 * <ul>
 *   <li>the request line: Helidon's idle-connection check (set to the same limit) closes a connection that has not
 *       sent it;</li>
 *   <li>the headers: from the request line read ({@link #prologue}) to the headers parsed ({@link #headers}), at most
 *       the limit;</li>
 *   <li>the body: {@link #watch} while it is copied, until it ends or falls below the minimum rate.</li>
 * </ul>
 */
final class SlowHeads implements Http1ConnectionListener, AutoCloseable {
    private final long limitNanos;
    private final Runnable onClose;
    private final ScheduledExecutorService clock = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "aigcmark-serve-slow-clients");
        t.setDaemon(true);
        return t;
    });
    /** The head being read on this connection's thread (prologue and headers are read by the same thread). */
    private final ThreadLocal<Watch> head = new ThreadLocal<>();

    SlowHeads(Duration limit, Runnable onClose) {
        this.limitNanos = limit.toNanos();
        this.onClose = onClose;
    }

    /** One thread watched until {@link #close()}: interrupted (its socket closed) if {@code tooSlow} says so. */
    final class Watch implements AutoCloseable {
        private final Thread reader = Thread.currentThread();
        private final ScheduledFuture<?> check;
        private boolean done;
        private volatile boolean fired;

        private final boolean counted;

        private Watch(BooleanSupplier tooSlow, long firstNanos, long everyNanos, boolean counted) {
            this.counted = counted;
            this.check = everyNanos > 0
                    ? clock.scheduleAtFixedRate(() -> fireIf(tooSlow), firstNanos, everyNanos, TimeUnit.NANOSECONDS)
                    : clock.schedule(() -> fireIf(tooSlow), firstNanos, TimeUnit.NANOSECONDS);
        }

        private synchronized void fireIf(BooleanSupplier tooSlow) {
            if (!done && !fired && tooSlow.getAsBoolean()) {
                fired = true;
                check.cancel(false);
                if (counted) {
                    onClose.run();
                }
                reader.interrupt();
            }
        }

        /** Whether the clock closed the connection. */
        boolean fired() {
            return fired;
        }

        @Override
        public void close() {
            synchronized (this) {
                done = true;
            }
            check.cancel(false);
            if (fired) {
                Thread.interrupted(); // the connection is closed; the interrupt has done its work
            }
        }
    }

    /**
     * Watches a body read on this thread: past twice the limit, it must have kept up {@code minBytesPerSecond} since
     * {@code startedNanos} (checked four times a limit), else its connection is closed.
     */
    Watch watch(long startedNanos, java.util.function.LongSupplier bytesSoFar, long minBytesPerSecond) {
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), limitNanos / 4);
        return new Watch(() -> {
            long elapsed = System.nanoTime() - startedNanos;
            // twice the limit: a body that trickles is refused with 408 by its reader at the limit (after a read);
            // this clock is for one that stops, whose reader is blocked and cannot answer
            return elapsed > 2 * limitNanos && bytesSoFar.getAsLong() < minBytesPerSecond * (elapsed / 1e9);
        }, every, every, false); // the body's reader answers (and counts) the refusal itself
    }

    /** Closes this thread's connection once the limit has passed, unless closed before. */
    Watch deadline() {
        return new Watch(() -> true, limitNanos, 0, false);
    }

    /** Watches a stream read on this thread: silent (no read returned) for twice the limit, its connection is closed. */
    Watch watchSilence(java.util.function.LongSupplier lastReadNanos) {
        long every = Math.max(TimeUnit.MILLISECONDS.toNanos(100), limitNanos / 4);
        return new Watch(() -> System.nanoTime() - lastReadNanos.getAsLong() > 2 * limitNanos, every, every, false);
    }

    @Override
    public void prologue(ConnectionContext ctx, HttpPrologue prologue) {
        Watch earlier = head.get();
        if (earlier != null) {
            earlier.close();
        }
        head.set(new Watch(() -> true, limitNanos, 0, true));
    }

    @Override
    public void headers(ConnectionContext ctx, Headers headers) {
        Watch w = head.get();
        if (w != null) {
            head.remove();
            w.close();
        }
    }

    @Override
    public void close() {
        clock.shutdownNow();
    }
}
