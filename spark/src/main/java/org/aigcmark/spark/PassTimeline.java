package org.aigcmark.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;

/**
 * Where the wall time of one Spark pass of the bench went (docs/SCALE.md): the driver before the first task (listing,
 * analysis, planning, code generation, scheduling), the task phase (how full the cores were, and the tail at its end
 * when a core had no task left), the driver after the last task (the job's commit), and the tasks' own CPU
 * (Spark's task metrics) beside the process's. A listener on the session's bus; {@link #pass} reads what it saw.
 */
final class PassTimeline extends SparkListener {
    /** One finished task: launch and finish (epoch ms), and its metrics (run ms, CPU ns, deserialization CPU ns, GC ms). */
    private record Task(long launch, long finish, long runMillis, long cpuNanos, long deserializeCpuNanos, long gcMillis) {}

    private final List<Task> tasks = new ArrayList<>();
    private int jobs;
    private long firstJobStart = Long.MAX_VALUE;

    /** The figures of one pass: seconds, fractions, ms a file. */
    record Pass(int jobs, int tasks, double seconds, double beforeTasks, double datasetBuilt, double jobSubmitted, double taskPhase, double afterTasks,
                double slotsBusy, double tail, double driverCpuSeconds, double taskCpuMsPerFile, double deserializeMsPerFile, double gcMsPerFile) {}

    static PassTimeline on(SparkContext sc) {
        PassTimeline t = new PassTimeline();
        sc.addSparkListener(t);
        return t;
    }

    @Override
    public synchronized void onJobStart(SparkListenerJobStart jobStart) {
        jobs++;
        firstJobStart = Math.min(firstJobStart, jobStart.time());
    }

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        var m = end.taskMetrics();
        tasks.add(new Task(end.taskInfo().launchTime(), end.taskInfo().finishTime(), m == null ? 0 : m.executorRunTime(),
                m == null ? 0 : m.executorCpuTime(), m == null ? 0 : m.executorDeserializeCpuTime(), m == null ? 0 : m.jvmGCTime()));
    }

    /** Forgets what was seen; call before a pass. */
    synchronized void reset() {
        tasks.clear();
        jobs = 0;
        firstJobStart = Long.MAX_VALUE;
    }

    /**
     * The pass that ran from {@code startMillis} to {@code endMillis} (epoch ms; its dataset built at {@code builtMillis}) on {@code cores} task slots over
     * {@code files} files, the driver's thread having used {@code driverCpuNanos}. Waits for the listener bus to deliver the pass's events first.
     */
    Pass pass(SparkContext sc, long startMillis, long builtMillis, long endMillis, long driverCpuNanos, int cores, int files) {
        try {
            sc.listenerBus().waitUntilEmpty(); // Spark's private[spark], public in the bytecode; 10 s at most
        } catch (java.util.concurrent.TimeoutException e) {
            // a bus that late: the figures miss its last events
        }
        synchronized (this) {
            long firstLaunch = tasks.stream().mapToLong(Task::launch).min().orElse(endMillis);
            long lastLaunch = tasks.stream().mapToLong(Task::launch).max().orElse(endMillis);
            long lastFinish = tasks.stream().mapToLong(Task::finish).max().orElse(endMillis);
            long busy = tasks.stream().mapToLong(t -> t.finish() - t.launch()).sum();
            long phase = Math.max(1, lastFinish - firstLaunch);
            // the tail: the time after the last task started during which fewer tasks than slots ran (a slot without
            // work from then on). A sweep over launches and ends: in local mode the next task is launched as soon as the
            // executor reports one done, a moment before the driver records that one's finish
            long[][] edges = new long[tasks.size() * 2][];
            for (int i = 0; i < tasks.size(); i++) {
                edges[2 * i] = new long[] {tasks.get(i).launch(), 1};
                edges[2 * i + 1] = new long[] {tasks.get(i).finish(), -1};
            }
            java.util.Arrays.sort(edges, java.util.Comparator.comparingLong((long[] e) -> e[0]));
            long tail = 0;
            int running = 0;
            for (int i = 0; i < edges.length; i++) {
                running += (int) edges[i][1];
                if (i + 1 < edges.length && edges[i][0] >= lastLaunch && running < cores) {
                    tail += edges[i + 1][0] - edges[i][0];
                }
            }
            return new Pass(jobs, tasks.size(), (endMillis - startMillis) / 1e3, (firstLaunch - startMillis) / 1e3,
                    (builtMillis - startMillis) / 1e3, (Math.min(firstJobStart, firstLaunch) - startMillis) / 1e3,
                    phase / 1e3, (endMillis - lastFinish) / 1e3, Math.min(1, (double) busy / (cores * (double) phase)),
                    tail / 1e3, driverCpuNanos / 1e9, tasks.stream().mapToLong(Task::cpuNanos).sum() / 1e6 / files,
                    tasks.stream().mapToLong(Task::deserializeCpuNanos).sum() / 1e6 / files,
                    (double) tasks.stream().mapToLong(Task::gcMillis).sum() / files);
        }
    }
}
