package dev.mobilenet.serve;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.ImageDecoder;
import java.util.Optional;

/**
 * How the server listens and batches. Immutable; start from {@link #defaults()} and change with the withers.
 *
 * @param host         interface to bind (127.0.0.1 unless asked otherwise)
 * @param port         TCP port; 0 picks a free one
 * @param threads      engine threads per model and decoding threads (shared by all models)
 * @param maxBatch     images per engine call at most
 * @param maxDelayMs   how long the batcher waits for more requests after the first of a batch
 * @param maxQueue     requests per model admitted (decoding or waiting) at once; more get 503
 * @param maxBodyBytes request bodies larger than this get 413
 * @param maxPixels    images with more pixels are refused from their header
 * @param apiKey       when present, every endpoint but health and the page's files needs {@code Bearer <key>}
 */
public record ServeConfig(String host, int port, int threads, int maxBatch, int maxDelayMs, int maxQueue,
                          long maxBodyBytes, long maxPixels, Optional<String> apiKey) {
    public ServeConfig {
        if (host == null || host.isBlank()) {
            throw new MobileNetException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new MobileNetException("port must be 0..65535, got " + port);
        }
        requireAtLeast("threads", threads, 1);
        requireAtLeast("max batch", maxBatch, 1);
        requireAtLeast("max delay (ms)", maxDelayMs, 0);
        requireAtLeast("max queue", maxQueue, 1);
        requireAtLeast("max body bytes", maxBodyBytes, 1);
        requireAtLeast("max pixels", maxPixels, 1);
        if (apiKey == null || apiKey.isPresent() && apiKey.get().isEmpty()) {
            throw new MobileNetException("the API key must not be empty");
        }
    }

    private static void requireAtLeast(String what, long value, long min) {
        if (value < min) {
            throw new MobileNetException(what + " must be at least " + min + ", got " + value);
        }
    }

    /** 127.0.0.1:8080, the machine's cores, batches of 16 within 5 ms, 256 queued, 20 MB bodies, no key. */
    public static ServeConfig defaults() {
        return new ServeConfig("127.0.0.1", 8080, Runtime.getRuntime().availableProcessors(), 16, 5, 256,
                20L << 20, ImageDecoder.DEFAULT_MAX_PIXELS, Optional.empty());
    }

    public ServeConfig withHost(String h) {
        return new ServeConfig(h, port, threads, maxBatch, maxDelayMs, maxQueue, maxBodyBytes, maxPixels, apiKey);
    }

    public ServeConfig withPort(int p) {
        return new ServeConfig(host, p, threads, maxBatch, maxDelayMs, maxQueue, maxBodyBytes, maxPixels, apiKey);
    }

    public ServeConfig withThreads(int t) {
        return new ServeConfig(host, port, t, maxBatch, maxDelayMs, maxQueue, maxBodyBytes, maxPixels, apiKey);
    }

    public ServeConfig withMaxBatch(int b) {
        return new ServeConfig(host, port, threads, b, maxDelayMs, maxQueue, maxBodyBytes, maxPixels, apiKey);
    }

    public ServeConfig withMaxDelayMs(int ms) {
        return new ServeConfig(host, port, threads, maxBatch, ms, maxQueue, maxBodyBytes, maxPixels, apiKey);
    }

    public ServeConfig withMaxQueue(int q) {
        return new ServeConfig(host, port, threads, maxBatch, maxDelayMs, q, maxBodyBytes, maxPixels, apiKey);
    }

    public ServeConfig withMaxBodyBytes(long b) {
        return new ServeConfig(host, port, threads, maxBatch, maxDelayMs, maxQueue, b, maxPixels, apiKey);
    }

    public ServeConfig withMaxPixels(long p) {
        return new ServeConfig(host, port, threads, maxBatch, maxDelayMs, maxQueue, maxBodyBytes, p, apiKey);
    }

    public ServeConfig withApiKey(String key) {
        return new ServeConfig(host, port, threads, maxBatch, maxDelayMs, maxQueue, maxBodyBytes, maxPixels,
                Optional.ofNullable(key));
    }
}
