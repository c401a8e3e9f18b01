package org.aigcmark.text;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Labels a streamed answer (e.g. the chunks of a chat service's server-sent events) without buffering it: the start
 * label goes out with the first chunk, the end label after the last. A chunk that ends with the first half of a
 * surrogate pair is held back one char so that no chunk emitted ever splits a character. Not thread-safe: one
 * labeler per answer.
 *
 * <pre>{@code
 * StreamingLabeler l = new StreamingLabeler(ExplicitTextLabel.defaults(TextLanguage.ZH), LabelPosition.BOTH);
 * for (String chunk : upstream) send(l.onChunk(chunk));
 * send(l.finish());
 * }</pre>
 */
public final class StreamingLabeler {
    private final ExplicitTextLabel label;
    private final LabelPosition position;
    private boolean started;
    private boolean finished;
    private char heldHighSurrogate;
    private char lastEmitted;
    private boolean emittedAny;

    /**
     * A labeler for one answer.
     *
     * @param label the label text to add
     * @param position where it goes: before the first chunk, after the last ({@link #finish()}), or both
     */
    public StreamingLabeler(ExplicitTextLabel label, LabelPosition position) {
        this.label = label;
        this.position = position;
    }

    /** The text to send for this upstream chunk (may be empty; never splits a surrogate pair). */
    public String onChunk(String chunk) {
        if (finished) {
            throw new IllegalStateException("finish() was already called");
        }
        StringBuilder sb = new StringBuilder(chunk.length() + 32);
        if (!started) {
            started = true;
            if (position.atStart()) {
                sb.append(label.startPrefix());
            }
        }
        if (heldHighSurrogate != 0) {
            sb.append(heldHighSurrogate);
            heldHighSurrogate = 0;
        }
        sb.append(chunk);
        int len = sb.length();
        if (len > 0 && Character.isHighSurrogate(sb.charAt(len - 1))) {
            heldHighSurrogate = sb.charAt(len - 1);
            sb.setLength(len - 1);
        }
        if (!sb.isEmpty()) {
            lastEmitted = sb.charAt(sb.length() - 1);
            emittedAny = true;
        }
        return sb.toString();
    }

    /** The text to send after the last chunk: any held char and the end label. Call once. */
    public String finish() {
        if (finished) {
            throw new IllegalStateException("finish() was already called");
        }
        finished = true;
        StringBuilder sb = new StringBuilder();
        if (!started) {
            started = true;
            if (position.atStart()) {
                sb.append(label.startPrefix());
            }
        }
        if (heldHighSurrogate != 0) {
            sb.append(heldHighSurrogate); // a lone high surrogate at the very end: passed through unchanged
            heldHighSurrogate = 0;
        }
        if (position.atEnd()) {
            CharSequence tail = !sb.isEmpty() ? sb : emittedAny ? String.valueOf(lastEmitted) : "";
            sb.append(label.endSuffix(tail));
        }
        return sb.toString();
    }

    /** A labelled view of an iterator of chunks (pulls lazily; the end label is the last element). */
    public static Iterator<String> wrap(Iterator<String> chunks, ExplicitTextLabel label, LabelPosition position) {
        StreamingLabeler l = new StreamingLabeler(label, position);
        return new Iterator<>() {
            boolean done;

            @Override
            public boolean hasNext() {
                return !done;
            }

            @Override
            public String next() {
                if (done) {
                    throw new NoSuchElementException();
                }
                if (chunks.hasNext()) {
                    return l.onChunk(chunks.next());
                }
                done = true;
                return l.finish();
            }
        };
    }

    /**
     * A labelled {@link Flow.Publisher}: each upstream item becomes one labelled item; on completion one more item
     * (the end label) is sent, then completion. Back-pressure passes through; the extra final item is delivered
     * when the subscriber has demand for it.
     */
    public static Flow.Publisher<String> wrap(Flow.Publisher<String> upstream, ExplicitTextLabel label, LabelPosition position) {
        return subscriber -> upstream.subscribe(new Flow.Subscriber<String>() {
            final StreamingLabeler l = new StreamingLabeler(label, position);
            final AtomicReference<Flow.Subscription> sub = new AtomicReference<>();
            final Object lock = new Object();
            long demand;
            boolean upstreamDone;
            boolean sentFinal;

            @Override
            public void onSubscribe(Flow.Subscription s) {
                sub.set(s);
                subscriber.onSubscribe(new Flow.Subscription() {
                    @Override
                    public void request(long n) {
                        boolean flush;
                        synchronized (lock) {
                            demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                            flush = upstreamDone && !sentFinal;
                        }
                        if (flush) {
                            sendFinal();
                        } else {
                            s.request(n);
                        }
                    }

                    @Override
                    public void cancel() {
                        s.cancel();
                    }
                });
            }

            @Override
            public void onNext(String item) {
                synchronized (lock) {
                    if (demand != Long.MAX_VALUE) {
                        demand--;
                    }
                }
                subscriber.onNext(l.onChunk(item));
            }

            @Override
            public void onError(Throwable t) {
                subscriber.onError(t);
            }

            @Override
            public void onComplete() {
                boolean send;
                synchronized (lock) {
                    upstreamDone = true;
                    send = demand > 0;
                }
                if (send) {
                    sendFinal();
                }
            }

            private void sendFinal() {
                synchronized (lock) {
                    if (sentFinal) {
                        return;
                    }
                    sentFinal = true;
                }
                subscriber.onNext(l.finish());
                subscriber.onComplete();
            }
        });
    }
}
