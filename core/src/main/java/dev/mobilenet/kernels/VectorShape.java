package dev.mobilenet.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float species of every Vector API twin, core's and the training module's, so that all of them agree on the
 * lane count that the HWC layout pads channels to. Touch it only when {@link Kernels#vectorized()}: loading this class
 * needs jdk.incubator.vector.
 */
public final class VectorShape {
    private VectorShape() {
    }

    public static final VectorSpecies<Float> SPECIES = pickSpecies();

    /**
     * The JVM's preferred float species, or a narrower one when {@code -Dmobilenet.vector.bits} asks for it. A wider
     * one than preferred is not honoured: the JVM would run it in plain Java, many times slower.
     */
    private static VectorSpecies<Float> pickSpecies() {
        VectorSpecies<Float> preferred = FloatVector.SPECIES_PREFERRED;
        String bits = System.getProperty("mobilenet.vector.bits", "");
        VectorSpecies<Float> asked;
        switch (bits) {
            case "128":
                asked = FloatVector.SPECIES_128;
                break;
            case "256":
                asked = FloatVector.SPECIES_256;
                break;
            case "512":
                asked = FloatVector.SPECIES_512;
                break;
            default:
                return preferred;
        }
        return asked.vectorBitSize() <= preferred.vectorBitSize() ? asked : preferred;
    }
}
