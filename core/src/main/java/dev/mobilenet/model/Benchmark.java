package dev.mobilenet.model;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.List;

/**
 * Times engines on one batch: a warm-up, then measured calls of {@code logits}. With several engines the
 * measurement alternates between them in rounds, so that a slow spell of a shared machine hits all of them alike.
 */
public final class Benchmark {
    private Benchmark() {
    }

    /** An engine under test and its name in reports. */
    public record Contender(String name, Engine engine) {
    }

    /**
     * @param warmupSeconds warm-up per engine, before any measurement
     * @param seconds       measured time per engine
     * @param roundSeconds  length of one engine's turn when several alternate
     * @param minCalls      calls measured per engine at least, however long they take
     */
    public record Options(double warmupSeconds, double seconds, double roundSeconds, int minCalls) {
        public Options {
            if (!(warmupSeconds >= 0) || !(seconds > 0) || !(roundSeconds > 0) || minCalls < 1) {
                throw new MobileNetException("benchmark times must be positive and calls at least 1");
            }
        }

        public static Options defaults() {
            return new Options(3, 6, 0.5, 5);
        }
    }

    /**
     * What one engine measured.
     *
     * @param msPerImage        median over calls of the call's time divided by the batch size
     * @param p90MsPerImage     90th percentile of the same
     * @param imagesPerSecond   batch / median call time
     * @param allocatedPerCall  bytes allocated on the Java heap per call, over all threads (-1 if unknown)
     * @param heapUsedBytes     heap in use after the warm-up and a GC, every contender loaded
     */
    public record Result(String engine, int batch, int calls, double msPerImage, double p90MsPerImage,
                         double imagesPerSecond, long allocatedPerCall, long heapUsedBytes) {
    }

    /** Runs {@code contenders} on {@code x} ([N, 3, H, W]) and returns one result per contender, in order. */
    public static List<Result> run(List<Contender> contenders, Tensor x, Options o) {
        int[] s = Session.checkInput(x);
        int n = s[0];
        List<Runner> runners = new ArrayList<>();
        for (Contender c : contenders) {
            runners.add(new Runner(c, x, n));
        }
        for (Runner r : runners) {
            r.runFor(o.warmupSeconds(), 1, false);
        }
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        boolean more = true;
        while (more) {
            more = false;
            for (Runner r : runners) {
                double left = o.seconds() - r.measuredSeconds;
                if (left > 0 || r.times.size() < o.minCalls()) {
                    int minCalls = Math.max(1, o.minCalls() - r.times.size());
                    r.runFor(Math.min(o.roundSeconds(), Math.max(left, 0)), runners.size() > 1 ? 1 : minCalls, true);
                    more |= o.seconds() - r.measuredSeconds > 0 || r.times.size() < o.minCalls();
                }
            }
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < runners.size(); i++) {
            results.add(runners.get(i).result(heap));
        }
        return results;
    }

    private static final class Runner {
        final Contender contender;
        final float[] x;
        final int n;
        final int h;
        final int w;
        final float[] out;
        final List<Double> times = new ArrayList<>();
        double measuredSeconds;
        long allocated;
        boolean allocKnown = true;

        Runner(Contender c, Tensor t, int n) {
            this.contender = c;
            this.x = t.data();
            this.n = n;
            this.h = t.shape()[2];
            this.w = t.shape()[3];
            this.out = new float[n * c.engine().numClasses()];
        }

        void runFor(double seconds, int minCalls, boolean record) {
            long start = System.nanoTime();
            long before = allocatedBytes();
            int calls = 0;
            while (calls < minCalls || (System.nanoTime() - start) < seconds * 1e9) {
                long t0 = System.nanoTime();
                contender.engine().logits(x, n, h, w, out);
                long t1 = System.nanoTime();
                calls++;
                if (record) {
                    times.add((t1 - t0) / 1e6);
                    measuredSeconds += (t1 - t0) / 1e9;
                }
            }
            long after = allocatedBytes();
            if (record) {
                if (before < 0 || after < 0) {
                    allocKnown = false;
                } else {
                    allocated += after - before;
                }
            }
        }

        Result result(long heapUsed) {
            double[] t = times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            double median = t[(t.length - 1) / 2];
            double p90 = t[Math.min(t.length - 1, (int) Math.ceil(0.9 * t.length) - 1)];
            return new Result(contender.name(), n, t.length, median / n, p90 / n, 1000.0 * n / median,
                    allocKnown ? allocated / t.length : -1, heapUsed);
        }
    }

    /** Bytes allocated so far by all live threads, or -1 when the JVM does not count them. */
    static long allocatedBytes() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        if (!(mx instanceof com.sun.management.ThreadMXBean)) {
            return -1;
        }
        com.sun.management.ThreadMXBean sun = (com.sun.management.ThreadMXBean) mx;
        if (!sun.isThreadAllocatedMemorySupported() || !sun.isThreadAllocatedMemoryEnabled()) {
            return -1;
        }
        long sum = 0;
        for (long b : sun.getThreadAllocatedBytes(mx.getAllThreadIds())) {
            if (b > 0) {
                sum += b;
            }
        }
        return sum;
    }
}
