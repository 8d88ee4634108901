package dev.mobilenet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Vector API twins of {@link ScalarKernels}, same signatures and same results up to float rounding order.
 * Only {@link Kernels} touches this class, and only after checking that jdk.incubator.vector is present.
 */
final class VectorKernels {
    private VectorKernels() {
    }

    static final VectorSpecies<Float> SPECIES = VectorShape.SPECIES;

    static int lanes() {
        return SPECIES.length();
    }

    static void matvecForward(float[] out, int outOff, float[] x, int xOff, float[] w, float[] bias,
                              int inDim, int outDim) {
        final int vl = SPECIES.length();
        final int bound = SPECIES.loopBound(inDim);
        for (int o = 0; o < outDim; o++) {
            int wb = o * inDim;
            FloatVector acc = FloatVector.zero(SPECIES);
            int i = 0;
            for (; i < bound; i += vl) {
                acc = FloatVector.fromArray(SPECIES, w, wb + i).fma(FloatVector.fromArray(SPECIES, x, xOff + i), acc);
            }
            // Lanes are summed in a fixed order: reduceLanes' order differs between the intrinsic and the
            // interpreter, which would make results depend on JIT state.
            float s = 0f;
            for (int l = 0; l < vl; l++) {
                s += acc.lane(l);
            }
            for (; i < inDim; i++) {
                s += w[wb + i] * x[xOff + i];
            }
            out[outOff + o] = s + (bias == null ? 0f : bias[o]);
        }
    }

    static void activationForward(float[] x, int off, int len, Activation act) {
        if (act == Activation.IDENTITY) {
            return;
        }
        final int vl = SPECIES.length();
        final int end = off + SPECIES.loopBound(len);
        final FloatVector zero = FloatVector.zero(SPECIES);
        final FloatVector three = FloatVector.broadcast(SPECIES, 3f);
        final FloatVector six = FloatVector.broadcast(SPECIES, 6f);
        int i = off;
        switch (act) {
            case RELU:
                for (; i < end; i += vl) {
                    FloatVector.fromArray(SPECIES, x, i).max(zero).intoArray(x, i);
                }
                break;
            case RELU6:
                for (; i < end; i += vl) {
                    FloatVector.fromArray(SPECIES, x, i).max(zero).min(six).intoArray(x, i);
                }
                break;
            case HARD_SWISH:
                for (; i < end; i += vl) {
                    FloatVector v = FloatVector.fromArray(SPECIES, x, i);
                    v.mul(v.add(three).max(zero).min(six).div(six)).intoArray(x, i);
                }
                break;
            case HARD_SIGMOID:
                for (; i < end; i += vl) {
                    FloatVector.fromArray(SPECIES, x, i).add(three).max(zero).min(six).div(six).intoArray(x, i);
                }
                break;
            default:
                throw new AssertionError(act);
        }
        for (; i < off + len; i++) {
            x[i] = act.apply(x[i]);
        }
    }

    static void addForward(float[] out, int outOff, float[] in, int inOff, int len) {
        final int vl = SPECIES.length();
        final int bound = SPECIES.loopBound(len);
        int i = 0;
        for (; i < bound; i += vl) {
            FloatVector.fromArray(SPECIES, out, outOff + i).add(FloatVector.fromArray(SPECIES, in, inOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < len; i++) {
            out[outOff + i] += in[inOff + i];
        }
    }
}
