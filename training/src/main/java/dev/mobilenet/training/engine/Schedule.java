package dev.mobilenet.training.engine;

import dev.mobilenet.MobileNetException;

/**
 * A learning-rate schedule with timm's semantics ({@code timm.scheduler}): {@link #at(int)} is the scheduler's
 * {@code _get_lr(t)}. Stepped per epoch (timm's default, {@code t = epoch}) or per update
 * ({@code t = epoch * updatesPerEpoch + stepInEpoch}, as timm's {@code step_update(num_updates)} does when its
 * durations are given in updates). timm's optional lr noise is not supported.
 */
public sealed interface Schedule permits Schedule.Cosine, Schedule.Step {

    /** No learning rate may be negative or non-finite: a diverged run must not start from one. */
    private static void checkRate(String what, double lr) {
        if (!(lr >= 0) || Double.isInfinite(lr)) {
            throw new MobileNetException(what + " must be finite and >= 0, got " + lr);
        }
    }

    private static void checkWarmup(int warmupT, double warmupLrInit) {
        if (warmupT < 0) {
            throw new MobileNetException("warmup epochs must be >= 0, got " + warmupT);
        }
        checkRate("warmup learning rate", warmupLrInit);
    }

    /** The learning rate at scheduler time t. */
    double at(int t);

    /** Updates per epoch when stepping per update; 0 when stepping per epoch. */
    int updatesPerEpoch();

    /** The learning rate for update {@code stepInEpoch} (0-based) of {@code epoch} (0-based). */
    default double lr(int epoch, int stepInEpoch) {
        return updatesPerEpoch() > 0 ? at(epoch * updatesPerEpoch() + stepInEpoch) : at(epoch);
    }

    /**
     * timm's CosineLRScheduler: linear warmup from warmupLrInit over warmupT, then cosine from baseLr to lrMin
     * over tInitial (cycles with cycleMul, cycleDecay and cycleLimit; k-decay kDecay).
     */
    record Cosine(double baseLr, int tInitial, double lrMin, double cycleMul, double cycleDecay, int cycleLimit,
                  int warmupT, double warmupLrInit, boolean warmupPrefix, double kDecay, int updatesPerEpoch)
            implements Schedule {

        /** The common form: one cycle, no k-decay, stepped per epoch. */
        public static Cosine of(double baseLr, int tInitial, double lrMin, int warmupT, double warmupLrInit,
                                boolean warmupPrefix) {
            return new Cosine(baseLr, tInitial, lrMin, 1, 1, 1, warmupT, warmupLrInit, warmupPrefix, 1, 0);
        }

        public Cosine {
            if (tInitial <= 0) {
                throw new MobileNetException("cosine schedule needs t_initial > 0, got " + tInitial);
            }
            checkRate("learning rate", baseLr);
            checkRate("minimum learning rate", lrMin);
            checkWarmup(warmupT, warmupLrInit);
            if (!(cycleMul > 0) || !(cycleDecay > 0) || cycleLimit < 1 || !(kDecay > 0) || updatesPerEpoch < 0
                    || Double.isInfinite(cycleMul) || Double.isInfinite(cycleDecay) || Double.isInfinite(kDecay)) {
                throw new MobileNetException("cosine schedule: cycle multiplier, cycle decay and k-decay must be"
                        + " finite and > 0, and the cycle limit at least 1");
            }
        }

        @Override
        public double at(int t) {
            if (t < warmupT) {
                return warmupLrInit + t * ((baseLr - warmupLrInit) / warmupT);
            }
            double tt = warmupPrefix ? t - warmupT : t;
            double i;
            double ti;
            double tCurr;
            if (cycleMul != 1) {
                i = Math.floor(Math.log(1 - tt / tInitial * (1 - cycleMul)) / Math.log(cycleMul));
                ti = Math.pow(cycleMul, i) * tInitial;
                tCurr = tt - (1 - Math.pow(cycleMul, i)) / (1 - cycleMul) * tInitial;
            } else {
                i = Math.floor(tt / tInitial);
                ti = tInitial;
                tCurr = tt - tInitial * i;
            }
            if (i >= cycleLimit) {
                return lrMin;
            }
            double lrMax = baseLr * Math.pow(cycleDecay, i);
            return lrMin + 0.5 * (lrMax - lrMin)
                    * (1 + Math.cos(Math.PI * Math.pow(tCurr, kDecay) / Math.pow(ti, kDecay)));
        }
    }

    /** timm's StepLRScheduler: linear warmup, then baseLr * decayRate^floor(t / decayT). */
    record Step(double baseLr, double decayT, double decayRate, int warmupT, double warmupLrInit,
                boolean warmupPrefix, int updatesPerEpoch) implements Schedule {

        public Step {
            checkRate("learning rate", baseLr);
            checkWarmup(warmupT, warmupLrInit);
            if (!(decayT > 0) || Double.isNaN(decayT)) {
                throw new MobileNetException("step schedule needs --decay-epochs > 0, got " + decayT);
            }
            if (!(decayRate > 0) || Double.isInfinite(decayRate)) {
                throw new MobileNetException("step schedule needs a finite --decay-rate > 0, got " + decayRate);
            }
            if (updatesPerEpoch < 0) {
                throw new MobileNetException("updates per epoch must be >= 0, got " + updatesPerEpoch);
            }
        }

        @Override
        public double at(int t) {
            if (t < warmupT) {
                return warmupLrInit + t * ((baseLr - warmupLrInit) / warmupT);
            }
            double tt = warmupPrefix ? t - warmupT : t;
            return baseLr * Math.pow(decayRate, Math.floor(tt / decayT));
        }
    }
}
