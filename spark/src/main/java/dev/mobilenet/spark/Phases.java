package dev.mobilenet.spark;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where a command's time went, phase by phase: wall time and this process's CPU time (all threads) from one mark to
 * the next, the first phase starting at the JVM's start. {@code --verbose} prints it (docs/SCALING.md).
 */
final class Phases {
    private final List<String> parts = new ArrayList<>();
    private long lastWallMs;
    private long lastCpuNs;

    /** Ends the phase {@code name} now. */
    synchronized void mark(String name) {
        long wall = ManagementFactory.getRuntimeMXBean().getUptime();
        long cpu = cpuNanos();
        parts.add(String.format(Locale.ROOT, "%s %.1f s (CPU %.1f s)", name, (wall - lastWallMs) / 1e3,
                (cpu - lastCpuNs) / 1e9));
        lastWallMs = wall;
        lastCpuNs = cpu;
    }

    @Override
    public synchronized String toString() {
        return String.join(", ", parts);
    }

    private static long cpuNanos() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return 0;
    }
}
