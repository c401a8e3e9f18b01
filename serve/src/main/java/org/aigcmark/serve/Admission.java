package org.aigcmark.serve;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Back-pressure: at most {@code workers} requests run at once and at most {@code queue} more wait; a request past
 * that is refused at once (429), before its body is read, so memory and the temp area stay bounded.
 */
final class Admission {
    private final int workers;
    private final int capacity;
    private final AtomicInteger admitted = new AtomicInteger();
    private final Semaphore running;
    private final Object idle = new Object();

    Admission(int workers, int queue) {
        this.workers = workers;
        this.capacity = workers + queue;
        this.running = new Semaphore(workers, true);
    }

    /** A ticket for one request, or null when {@code workers + queue} are already admitted. */
    Ticket tryEnter() {
        if (admitted.incrementAndGet() > capacity) {
            leave();
            return null;
        }
        return new Ticket();
    }

    /** Requests admitted and not finished (running or waiting). */
    int inFlight() {
        return admitted.get();
    }

    /** Admitted requests waiting for a worker. */
    int waiting() {
        return Math.max(0, admitted.get() - (workers - running.availablePermits()));
    }

    /** Waits until no request is in flight, or the time is up; whether it became idle. */
    boolean awaitIdle(long nanos) throws InterruptedException {
        long end = System.nanoTime() + nanos;
        synchronized (idle) {
            while (admitted.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(idle, left);
            }
            return true;
        }
    }

    private void leave() {
        if (admitted.decrementAndGet() == 0) {
            synchronized (idle) {
                idle.notifyAll();
            }
        }
    }

    /**
     * One admitted request. It is held by the exchange (until its answer has been sent) and, once handed to a worker,
     * by that work (until it really ends: a timed-out detection goes on after its 504); it leaves the admitted count
     * when both let go, so a drain that sees no request in flight has no answer left to send either.
     */
    final class Ticket implements AutoCloseable {
        private final AtomicInteger holders = new AtomicInteger(1);
        private final AtomicBoolean working = new AtomicBoolean();

        /** Waits for a worker slot; false when none came in time. */
        boolean awaitWorker(long nanos) throws InterruptedException {
            boolean got = running.tryAcquire(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            working.set(got);
            return got;
        }

        /** The work that is handed over holds the ticket too: call {@link #workEnded} when it ends. */
        void handOver() {
            holders.incrementAndGet();
        }

        /** The handed-over work has ended: its worker slot is free, and its hold let go. */
        void workEnded() {
            freeWorker();
            close();
        }

        private void freeWorker() {
            if (working.compareAndSet(true, false)) {
                running.release();
            }
        }

        /** The exchange is done (its answer sent, or the connection gone); the ticket leaves when its work has too. */
        @Override
        public void close() {
            int left = holders.decrementAndGet();
            if (left == 0) {
                freeWorker();
                leave();
            }
        }
    }
}
