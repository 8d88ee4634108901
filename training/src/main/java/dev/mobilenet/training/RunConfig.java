package dev.mobilenet.training;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.training.engine.OptimizerConfig;
import dev.mobilenet.training.engine.Schedule;
import dev.mobilenet.training.engine.TrainerConfig;
import java.nio.file.Path;

/**
 * A training run's settings, named as timm's train.py names them.
 *
 * @param schedule     the learning rate per epoch (timm steps its schedulers per epoch by default)
 * @param emaDecay     timm's --model-ema-decay, or 0 for no EMA; with EMA, evaluation and best.safetensors use the
 *                     EMA weights, as timm's train.py does with --model-ema
 * @param evalThreads  threads of the inference engine that evaluates each epoch
 * @param resume       continue from {@code output}'s last checkpoint, optimizer state and epoch
 * @param overwrite    replace the run in a non-empty {@code output} (without it, and without resume, a non-empty
 *                     output folder is refused before anything is written)
 */
public record RunConfig(int epochs, TrainerConfig train, Schedule schedule, double emaDecay, boolean freezeBackbone,
                        int evalThreads, Path output, boolean resume, boolean overwrite) {
    public RunConfig {
        if (epochs < 1) {
            throw new MobileNetException("--epochs must be at least 1, got " + epochs);
        }
        if (!(emaDecay >= 0 && emaDecay < 1)) {
            throw new MobileNetException("EMA decay must be in [0, 1), got " + emaDecay);
        }
        if (evalThreads < 1) {
            throw new MobileNetException("threads must be at least 1, got " + evalThreads);
        }
        if (resume && overwrite) {
            throw new MobileNetException("give --resume or --overwrite, not both");
        }
    }

    /** A run that neither resumes nor overwrites. */
    public RunConfig(int epochs, TrainerConfig train, Schedule schedule, double emaDecay, boolean freezeBackbone,
                     int evalThreads, Path output, boolean resume) {
        this(epochs, train, schedule, emaDecay, freezeBackbone, evalThreads, output, resume, false);
    }

    /** The same run with a different epoch count (the schedule is kept as given). */
    public RunConfig withEpochs(int n) {
        return new RunConfig(n, train, schedule, emaDecay, freezeBackbone, evalThreads, output, resume, overwrite);
    }

    public OptimizerConfig optimizer() {
        return train.optimizer();
    }
}
