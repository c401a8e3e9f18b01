package org.aigcmark.fuzz;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.Supplier;
import org.aigcmark.AigcmarkException;
import org.aigcmark.InspectReport;
import org.aigcmark.LabelRequest;
import org.aigcmark.LabelResult;
import org.aigcmark.Labeler;
import org.aigcmark.Limits;
import org.aigcmark.format.ContainerScan;
import org.aigcmark.format.FormatHandler;
import org.aigcmark.format.FormatRegistry;
import org.aigcmark.format.MediaType;
import org.aigcmark.label.AigcLabel;
import org.aigcmark.label.LabelParser;
import org.aigcmark.report.ReportJson;

/**
 * The checks every fuzz target makes beyond "no crash" (issue 16): only {@link AigcmarkException} escapes, and it
 * carries a reason; a label operation's output re-inspects with exactly one record, the one asked for; inspect is
 * deterministic; and each call keeps a heap budget (bytes the thread allocated) and, while fuzzing, a CPU budget.
 *
 * <p>The CPU budget (1 s plus 2 s per MB of input, thread CPU time; an overrun counts only if a repeat of the call
 * overruns too, so the cold JIT of a campaign's first inputs is not a finding) is checked only in a campaign
 * ({@code JAZZER_FUZZ} set): the regression run in CI asserts no time (a hang there still ends in the test's
 * ceiling). The heap budget counts what the thread allocated, which does not depend on the machine's speed.
 */
final class Oracles {
    /** Bytes one call may allocate on its thread: 256 MiB plus 64 bytes per input byte (copies of the file). */
    static final long HEAP_BASE = 256L << 20;
    static final long HEAP_PER_BYTE = 64;
    /**
     * What one detection may allocate: the watermark search makes working copies at several scales, so a 1 Mpx photo
     * allocates about 300 MiB over the call (the heap in use at any time is a fraction); a bomb allocates GBs.
     */
    static final long DETECT_HEAP_BASE = 1L << 30;
    static final boolean FUZZING = System.getenv("JAZZER_FUZZ") != null && !System.getenv("JAZZER_FUZZ").isEmpty()
            && !"0".equals(System.getenv("JAZZER_FUZZ"));

    static final Limits LIMITS = Limits.DEFAULT;
    static final Labeler LABELER = Labeler.create();
    static final FormatRegistry REGISTRY = LABELER.registry();
    static final AigcLabel REQUEST_LABEL = AigcLabel.produced("001191310000000000000000000", "fuzz-0001");

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Oracles() {}

    static FormatHandler handler(MediaType type) {
        return REGISTRY.handlerFor(type).orElseThrow(() -> new IllegalStateException("no handler for " + type));
    }

    /** Runs {@code work} within the budgets; an {@link AigcmarkException} is returned as null after its checks. */
    static <T> T bounded(String what, int inputBytes, Supplier<T> work) {
        return bounded(what, inputBytes, HEAP_BASE, work);
    }

    /** As {@link #bounded(String, int, Supplier)} with another allocation base (detection's pixel pipeline). */
    static <T> T bounded(String what, int inputBytes, long heapBase, Supplier<T> work) {
        return bounded(what, inputBytes, heapBase, cpuBudgetMillis(inputBytes), work);
    }

    /** The default CPU budget of a call: 1 s plus 2 s per MB of input (thread CPU time, checked while fuzzing). */
    static long cpuBudgetMillis(int inputBytes) {
        return 1000 + 2000L * inputBytes / (1 << 20);
    }

    /** As {@link #bounded(String, int, long, Supplier)} with a CPU budget of the caller's (a calibrated one). */
    static <T> T bounded(String what, int inputBytes, long heapBase, long cpuBudget, Supplier<T> work) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
        T result;
        try {
            result = work.get();
        } catch (AigcmarkException e) {
            if (e.reason() == null || e.getMessage() == null || e.getMessage().isBlank()) {
                throw new AssertionError(what + ": an AigcmarkException without a reason or message", e);
            }
            if (e.reason() == AigcmarkException.Reason.INTERNAL) {
                throw new AssertionError(what + ": internal error on hostile input (must be refused up front)", e);
            }
            result = null;
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            throw new AssertionError(what + ": " + e.getClass().getName() + " escaped (only AigcmarkException may)", e);
        }
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
        long heapBudget = heapBase + HEAP_PER_BYTE * inputBytes;
        if (allocated > heapBudget) {
            throw new AssertionError(what + ": allocated " + (allocated >> 20) + " MiB for " + inputBytes
                    + " input bytes, over the budget of " + (heapBudget >> 20) + " MiB");
        }
        long cpuMillis = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
        if (FUZZING && cpuMillis > cpuBudget) {
            // A campaign's first calls run cold (interpreted and instrumented: a 180 ms detection took 1.6 s): the
            // input is over the budget only if a warm repeat is too.
            long repeatMillis = cpuMillisOf(work);
            if (repeatMillis > cpuBudget) {
                throw new AssertionError(what + ": " + cpuMillis + " ms CPU (" + repeatMillis + " ms repeated) for "
                        + inputBytes + " bytes, over the budget of " + cpuBudget + " ms");
            }
        }
        return result;
    }

    /** The thread CPU time (ms) of one more run of {@code work}; its outcome was checked by the first run. */
    static long cpuMillisOf(Supplier<?> work) {
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        try {
            work.get();
        } catch (AigcmarkException e) {
            // the same refusal as the first run: only its time matters here
        }
        return (THREADS.getCurrentThreadCpuTime() - cpu0) / 1_000_000;
    }

    /** A handler's scan, bounded; its damage is data, never an exception other than AigcmarkException. */
    static ContainerScan scan(FormatHandler h, byte[] data) {
        return bounded(h.type().id() + " scan", data.length, () -> h.scan(data, LIMITS));
    }

    /** inspect twice: the same report both times (same JSON), within the budgets. */
    static InspectReport inspectDeterministic(byte[] data, String name) {
        InspectReport first = bounded("inspect", data.length, () -> LABELER.inspect(data, name, List.of()));
        InspectReport second = bounded("inspect again", data.length, () -> LABELER.inspect(data, name, List.of()));
        if (first == null != (second == null)) {
            throw new AssertionError("inspect refused the input once and read it once");
        }
        if (first != null) {
            String a = ReportJson.toJson(first);
            String b = ReportJson.toJson(second);
            if (!a.equals(b)) {
                throw new AssertionError("inspect is not deterministic:\n" + a + "\n---\n" + b);
            }
        }
        return first;
    }

    /**
     * The handler's writer on {@code data}, when the scan accepts it: its output scans with exactly one record, the
     * one written. A refusal (AigcmarkException) is fine.
     */
    static void writeLabelReadsBack(FormatHandler h, byte[] data) {
        if (h.writer().isEmpty()) {
            return;
        }
        ContainerScan in = scan(h, data);
        if (in == null || in.damaged()) {
            return;
        }
        byte[] out = bounded(h.type().id() + " writeLabel", data.length,
                () -> h.writer().get().writeLabel(data, REQUEST_LABEL, LIMITS));
        if (out == null) {
            return;
        }
        ContainerScan back = scan(h, out);
        if (back == null) {
            throw new AssertionError(h.type().id() + ": the written output does not scan");
        }
        exactlyTheRequest(h.type().id() + " writeLabel", back.slots().stream()
                .map(s -> LabelParser.parse(s.text())).flatMap(java.util.Optional::stream)
                .map(LabelParser.ParsedLabel::label).toList());
    }

    /** Labeler.label on {@code data}: refused (typed), or an output whose inspect holds exactly the request. */
    static void labelReadsBack(byte[] data, String name) {
        labelledOutput("label", data, name, LabelRequest.produced(REQUEST_LABEL.contentProducer(), REQUEST_LABEL.produceId()));
    }

    /**
     * Labeler.label with a visible label on {@code data} (the pixel path: decode, the second-label check, the label
     * drawn, the codec's encode spliced into the file, the record written and read back): refused (typed), or an output
     * whose inspect holds exactly the request and whose pixels decode again.
     */
    static void visibleLabelReadsBack(byte[] data, String name) {
        LabelResult r = labelledOutput("label --visible", data, name,
                LabelRequest.produced(REQUEST_LABEL.contentProducer(), REQUEST_LABEL.produceId())
                        .withVisible(org.aigcmark.visible.VisibleLabelOptions.defaults()));
        if (r == null) {
            return;
        }
        FormatHandler h = REGISTRY.handlerFor(r.format()).orElseThrow();
        if (bounded("decode of the labelled output", r.bytes().length, () -> h.pixels().orElseThrow().decode(r.bytes(), LIMITS)) == null) {
            throw new AssertionError("the labelled output's pixels are refused: " + r.format());
        }
    }

    /** The label call within budget; null when it was refused (typed), else its output, which inspect must read back
     *  with exactly the request's record. */
    private static LabelResult labelledOutput(String what, byte[] data, String name, LabelRequest request) {
        LabelResult r = bounded(what, data.length, () -> LABELER.label(data, name, request));
        if (r == null) {
            return null;
        }
        InspectReport back = bounded("inspect of the labelled output", r.bytes().length,
                () -> LABELER.inspect(r.bytes(), name, List.of()));
        if (back == null) {
            throw new AssertionError("the labelled output is refused by inspect");
        }
        exactlyTheRequest(what, back.labels().stream().map(InspectReport.FoundLabel::label).toList());
        return r;
    }

    /**
     * The streaming API (MP4, Matroska: files too big for memory) on the same bytes: scan and writeLabel over a
     * channel, within the budgets; a written output scans with exactly the record written.
     */
    static void streamingMatchesBytes(FormatHandler h, byte[] data) {
        if (h.streaming().isEmpty()) {
            return;
        }
        FormatHandler.Streaming s = h.streaming().get();
        ContainerScan in = bounded(h.type().id() + " streaming scan", data.length, () -> s.scan(new MemoryChannel(data), LIMITS));
        if (in == null || in.damaged()) {
            return;
        }
        MemoryChannel out = new MemoryChannel(new byte[0]);
        Boolean written = bounded(h.type().id() + " streaming writeLabel", data.length, () -> {
            try {
                s.writeLabel(new MemoryChannel(data), REQUEST_LABEL, out, LIMITS);
                return Boolean.TRUE;
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        if (written == null) {
            return;
        }
        ContainerScan back = bounded(h.type().id() + " streaming scan of the output", out.bytes().length,
                () -> s.scan(new MemoryChannel(out.bytes()), LIMITS));
        if (back == null) {
            throw new AssertionError(h.type().id() + ": the streamed output does not scan");
        }
        exactlyTheRequest(h.type().id() + " streaming writeLabel", back.slots().stream()
                .map(x -> LabelParser.parse(x.text())).flatMap(java.util.Optional::stream)
                .map(LabelParser.ParsedLabel::label).toList());
    }

    /** A seekable channel over bytes in memory, growing on write. */
    static final class MemoryChannel implements java.nio.channels.SeekableByteChannel {
        private byte[] buf;
        private int size;
        private long pos;
        private boolean open = true;

        MemoryChannel(byte[] data) {
            buf = data.clone();
            size = data.length;
        }

        byte[] bytes() {
            return java.util.Arrays.copyOf(buf, size);
        }

        @Override
        public int read(java.nio.ByteBuffer dst) {
            if (pos >= size) {
                return -1;
            }
            int n = (int) Math.min(dst.remaining(), size - pos);
            dst.put(buf, (int) pos, n);
            pos += n;
            return n;
        }

        @Override
        public int write(java.nio.ByteBuffer src) {
            int n = src.remaining();
            long end = pos + n;
            if (end > buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.max(end, buf.length * 2L));
            }
            src.get(buf, (int) pos, n);
            pos = end;
            size = (int) Math.max(size, end);
            return n;
        }

        @Override
        public long position() {
            return pos;
        }

        @Override
        public MemoryChannel position(long p) {
            pos = p;
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public MemoryChannel truncate(long s) {
            size = (int) Math.min(size, s);
            pos = Math.min(pos, s);
            return this;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() {
            open = false;
        }
    }

    private static void exactlyTheRequest(String what, List<AigcLabel> records) {
        if (records.size() != 1) {
            throw new AssertionError(what + ": the output holds " + records.size() + " records, not exactly one");
        }
        if (!records.get(0).toMap().equals(REQUEST_LABEL.toMap())) {
            throw new AssertionError(what + ": the output's record " + records.get(0).toMap() + " is not the request "
                    + REQUEST_LABEL.toMap());
        }
    }
}
