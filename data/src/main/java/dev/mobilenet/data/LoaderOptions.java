package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;

/**
 * How a {@link DataLoader} batches.
 *
 * @param batchSize samples per batch
 * @param shuffle   a new seeded order each epoch (else dataset order)
 * @param dropLast  drop the last partial batch (training) or keep it (evaluation)
 * @param workers   threads that decode and augment
 * @param prefetch  batches prepared ahead of the consumer (at least {@code workers} are in flight)
 * @param seed      the master seed: shuffling, augmentation, mixup and replacements derive from it
 * @param mixup     batch-level mixup/cutmix, or null
 * @param skipBad   replace a sample whose file cannot be decoded (reported once to the listener) instead of
 *                  failing the epoch
 */
public record LoaderOptions(int batchSize, boolean shuffle, boolean dropLast, int workers, int prefetch, long seed,
                            Mixup mixup, boolean skipBad) {
    public LoaderOptions {
        if (batchSize < 1) {
            throw new MobileNetException("batch size must be at least 1, got " + batchSize);
        }
        if (workers < 1 || workers > 1024) {
            throw new MobileNetException("workers must be in 1..1024, got " + workers);
        }
        if (prefetch < 1) {
            throw new MobileNetException("prefetch must be at least 1 batch, got " + prefetch);
        }
    }

    /** Training: shuffled, last partial batch dropped, unreadable files replaced. */
    public static LoaderOptions train(int batchSize, int workers, long seed) {
        return new LoaderOptions(batchSize, true, true, workers, 2 * workers, seed, null, true);
    }

    /** Evaluation: dataset order, last partial batch kept, an unreadable file fails. */
    public static LoaderOptions eval(int batchSize, int workers) {
        return new LoaderOptions(batchSize, false, false, workers, 2 * workers, 0, null, false);
    }

    public LoaderOptions withMixup(Mixup m) {
        return new LoaderOptions(batchSize, shuffle, dropLast, workers, prefetch, seed, m, skipBad);
    }

    public LoaderOptions withWorkers(int n) {
        return new LoaderOptions(batchSize, shuffle, dropLast, n, Math.max(prefetch, n), seed, mixup, skipBad);
    }

    public LoaderOptions withPrefetch(int n) {
        return new LoaderOptions(batchSize, shuffle, dropLast, workers, n, seed, mixup, skipBad);
    }

    public LoaderOptions withSkipBad(boolean skip) {
        return new LoaderOptions(batchSize, shuffle, dropLast, workers, prefetch, seed, mixup, skip);
    }

    public LoaderOptions withDropLast(boolean drop) {
        return new LoaderOptions(batchSize, shuffle, drop, workers, prefetch, seed, mixup, skipBad);
    }

    public LoaderOptions withShuffle(boolean s) {
        return new LoaderOptions(batchSize, s, dropLast, workers, prefetch, seed, mixup, skipBad);
    }
}
