package dev.mobilenet.spark;

import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.TaskInfo;

/**
 * Where a job's wall time went, from Spark's own task events ({@code --verbose}, docs/SCALING.md): how long before
 * the first task started (planning, code generation, listing), the tasks' time and its parts as Spark's task metrics
 * count them, how long the task slots stood idle between and after tasks, and how long after the last task the job
 * took (the output's commit).
 */
final class TaskTimeline extends SparkListener {
    private final CountDownLatch jobEnded = new CountDownLatch(1);
    private int tasks;
    private long firstLaunch = Long.MAX_VALUE;
    private long lastFinish;
    private long taskMs;
    private long runMs;
    private long cpuNs;
    private long deserializeMs;
    private long gcMs;
    private long resultSerializeMs;
    private long records;

    @Override
    public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
        TaskInfo info = end.taskInfo();
        tasks++;
        firstLaunch = Math.min(firstLaunch, info.launchTime());
        lastFinish = Math.max(lastFinish, info.finishTime());
        taskMs += info.finishTime() - info.launchTime();
        TaskMetrics m = end.taskMetrics();
        if (m != null) {
            runMs += m.executorRunTime();
            cpuNs += m.executorCpuTime();
            deserializeMs += m.executorDeserializeTime();
            gcMs += m.jvmGCTime();
            resultSerializeMs += m.resultSerializationTime();
            records += m.outputMetrics().recordsWritten();
        }
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd end) {
        jobEnded.countDown();
    }

    /**
     * The timeline of a job that ran from {@code startMs} to {@code endMs} (wall clock) on {@code slots} task slots;
     * waits briefly for Spark's listener bus, which delivers the events after the job returns.
     */
    String describe(long startMs, long endMs, int slots) throws InterruptedException {
        boolean complete = jobEnded.await(10, TimeUnit.SECONDS);
        synchronized (this) {
            if (tasks == 0) {
                return "no task events";
            }
            long span = lastFinish - firstLaunch;
            return String.format(Locale.ROOT, "%d tasks, %d rows written; before the first task %.1f s; tasks %.1f s "
                    + "(of which run %.1f s, CPU %.1f s, deserialize %.1f s, GC %.1f s, result %.1f s); slots idle "
                    + "%.1f s of %d x %.1f s; after the last task %.1f s%s", tasks, records,
                    (firstLaunch - startMs) / 1e3, taskMs / 1e3, runMs / 1e3, cpuNs / 1e9, deserializeMs / 1e3,
                    gcMs / 1e3, resultSerializeMs / 1e3, (slots * span - taskMs) / 1e3, slots, span / 1e3,
                    (endMs - lastFinish) / 1e3, complete ? "" : " (events still arriving)");
        }
    }
}
