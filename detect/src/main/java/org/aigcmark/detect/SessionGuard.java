package org.aigcmark.detect;

import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;
import org.aigcmark.AigcmarkException;

/**
 * The lifetime rule shared by everything here that owns ONNX sessions: any number of threads may use it at once;
 * {@link #closeOnce} waits for running uses, releases the native resources exactly once, and later uses fail with
 * a typed error instead of touching freed memory (the onnxruntime {@code NativeObject} model).
 */
public final class SessionGuard {
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final String owner;
    private boolean closed;

    /**
     * A guard for resources that are open until {@link #closeOnce} runs.
     *
     * @param owner names the owner in the error a use after closing gets, e.g. {@code "FaceDetector"}
     */
    public SessionGuard(String owner) {
        this.owner = owner;
    }

    /** Runs {@code body} while the resources are guaranteed open. */
    public <T> T use(Supplier<T> body) {
        lock.readLock().lock();
        try {
            if (closed) {
                throw new AigcmarkException(AigcmarkException.Reason.UNAVAILABLE, "this " + owner + " is closed");
            }
            return body.get();
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Runs {@code release} the first time only, after every running use has finished. */
    public void closeOnce(Runnable release) {
        lock.writeLock().lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release.run();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
