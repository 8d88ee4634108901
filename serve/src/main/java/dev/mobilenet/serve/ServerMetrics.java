package dev.mobilenet.serve;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code /metrics} shows, in Prometheus' text format: requests by model, endpoint and status, their latency
 * histogram, the batch-size histogram, queue depth, images per second over the last ten seconds, dropped
 * requests, and the JVM's memory.
 */
final class ServerMetrics {
    private static final int WINDOW_SECONDS = 10;

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final long[] perSecond = new long[WINDOW_SECONDS];
    private long currentSecond;

    ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        Gauge.builder("mobilenet.images.per.second", this, ServerMetrics::imagesPerSecond)
                .description("Images through the engine per second, over the last " + WINDOW_SECONDS + " s")
                .register(registry);
    }

    void request(String model, String endpoint, int status, long nanos) {
        Counter.builder("mobilenet.requests").description("HTTP requests by model, endpoint and status")
                .tag("model", model).tag("endpoint", endpoint).tag("status", Integer.toString(status))
                .register(registry).increment();
        Timer.builder("mobilenet.request.latency").description("Time from request to answer")
                .tag("model", model).tag("endpoint", endpoint)
                .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(30))
                .register(registry).record(Duration.ofNanos(nanos));
    }

    void batch(String model, int images) {
        DistributionSummary.builder("mobilenet.batch.size").description("Images per engine call")
                .tag("model", model).serviceLevelObjectives(1, 2, 4, 8, 16, 32, 64, 128)
                .register(registry).record(images);
        Counter.builder("mobilenet.images").description("Images through the engine").tag("model", model)
                .register(registry).increment(images);
        count(images);
    }

    void dropped(String model) {
        Counter.builder("mobilenet.dropped").description("Requests dropped from a batch: their client had gone")
                .tag("model", model).register(registry).increment();
    }

    void queueDepth(String model, AtomicInteger admitted) {
        Gauge.builder("mobilenet.queue.depth", admitted, AtomicInteger::get)
                .description("Requests admitted and not yet answered (decoding, queued or running)")
                .tag("model", model).register(registry);
    }

    private synchronized void count(int images) {
        advance(System.nanoTime() / 1_000_000_000L);
        perSecond[(int) Math.floorMod(currentSecond, WINDOW_SECONDS)] += images;
    }

    private synchronized double imagesPerSecond() {
        long now = System.nanoTime() / 1_000_000_000L;
        advance(now);
        long sum = 0;
        for (int i = 1; i < WINDOW_SECONDS; i++) {
            sum += perSecond[(int) Math.floorMod(now - i, WINDOW_SECONDS)];
        }
        return sum / (double) (WINDOW_SECONDS - 1);
    }

    /** Clears the buckets of the seconds that passed since the last count. */
    private void advance(long now) {
        if (now - currentSecond >= WINDOW_SECONDS) {
            java.util.Arrays.fill(perSecond, 0);
        } else {
            for (long s = currentSecond + 1; s <= now; s++) {
                perSecond[(int) Math.floorMod(s, WINDOW_SECONDS)] = 0;
            }
        }
        currentSecond = Math.max(currentSecond, now);
    }

    String scrape() {
        return registry.scrape();
    }
}
