package dev.mobilenet.training.engine;

import dev.mobilenet.MobileNetException;

/**
 * Everything a {@link Trainer} needs besides the model.
 *
 * @param optimizer      the update rule
 * @param labelSmoothing for hard labels (timm's {@code --smoothing}); ignored for soft targets
 * @param dropRate       dropout before the classifier (timm's {@code drop_rate})
 * @param dropPathRate   stochastic depth; block i of B drops its residual branch with dropPathRate * i / B
 * @param clipMode       gradient clipping before the optimizer step
 * @param clipGrad       the clipping threshold (max norm or max value); ignored for NONE
 * @param seed           seeds dropout and drop-path
 * @param threads        threads that split each op's work; results are bit-identical for any count
 */
public record TrainerConfig(OptimizerConfig optimizer, double labelSmoothing, double dropRate, double dropPathRate,
                          ClipMode clipMode, double clipGrad, long seed, int threads) {

    public enum ClipMode {
        NONE, NORM, VALUE;

        /** timm's --clip-mode names: {@code norm} or {@code value}; anything else is refused. */
        public static ClipMode parse(String s) {
            return switch (s.toLowerCase(java.util.Locale.ROOT)) {
                case "norm" -> NORM;
                case "value" -> VALUE;
                default -> throw new MobileNetException("unknown clip mode '" + s + "' (choose norm or value)");
            };
        }
    }

    public TrainerConfig {
        if (!(dropRate >= 0 && dropRate < 1) || !(dropPathRate >= 0 && dropPathRate < 1)) {
            throw new MobileNetException("drop rates must be in [0, 1), got drop " + dropRate + " and drop path "
                    + dropPathRate);
        }
        if (clipMode != ClipMode.NONE && !(clipGrad > 0)) {
            throw new MobileNetException("gradient clipping needs a threshold > 0, got " + clipGrad);
        }
        if (threads < 1 || threads > 256) {
            throw new MobileNetException("training threads must be in 1..256, got " + threads);
        }
    }

    /** One thread. */
    public TrainerConfig(OptimizerConfig optimizer, double labelSmoothing, double dropRate, double dropPathRate,
                       ClipMode clipMode, double clipGrad, long seed) {
        this(optimizer, labelSmoothing, dropRate, dropPathRate, clipMode, clipGrad, seed, 1);
    }

    /** No smoothing, dropout, drop-path or clipping; one thread. */
    public static TrainerConfig of(OptimizerConfig optimizer) {
        return new TrainerConfig(optimizer, 0, 0, 0, ClipMode.NONE, 0, 0L);
    }

    public TrainerConfig withSmoothing(double s) {
        return new TrainerConfig(optimizer, s, dropRate, dropPathRate, clipMode, clipGrad, seed, threads);
    }

    public TrainerConfig withDrop(double drop, double dropPath, long rngSeed) {
        return new TrainerConfig(optimizer, labelSmoothing, drop, dropPath, clipMode, clipGrad, rngSeed, threads);
    }

    public TrainerConfig withClip(ClipMode mode, double threshold) {
        return new TrainerConfig(optimizer, labelSmoothing, dropRate, dropPathRate, mode, threshold, seed, threads);
    }

    public TrainerConfig withThreads(int n) {
        return new TrainerConfig(optimizer, labelSmoothing, dropRate, dropPathRate, clipMode, clipGrad, seed, n);
    }
}
