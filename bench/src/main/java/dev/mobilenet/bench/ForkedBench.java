package dev.mobilenet.bench;

import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What every engine benchmark shares (JMH's annotations are inherited): average time per call, state per thread, and
 * one forked JVM with the Vector API module, so that the vector kernels run as they do in the CLI. Each benchmark
 * class keeps its own time unit, warm-up and measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public abstract class ForkedBench {
}
