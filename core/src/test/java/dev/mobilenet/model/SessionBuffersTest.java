package dev.mobilenet.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;

/** Where the activation buffers sit: sizes and the offsets that keep a layer's input and output apart. */
class SessionBuffersTest {
    @Test
    void buffersAreLargeEnoughForG1ToPlaceThemOnARegionWhenThatCostsAtMostFourTimesTheMemory() {
        boolean g1 = java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .anyMatch(b -> b.getName().startsWith("G1"));
        assumeTrue(g1, "the JVM runs G1 (the default on machines with 2 or more cores)");
        assertTrue(Session.MIN_BUFFER_FLOATS > 0, "G1's region size was read");
        int min = Session.MIN_BUFFER_FLOATS;
        assertEquals(min, Session.bufferFloats(min / 2), "raised to the humongous size");
        assertEquals(min, Session.bufferFloats((min + 3) / 4), "raised at exactly four times the memory");
        assertEquals(min / 8, Session.bufferFloats(min / 8), "not raised beyond four times the memory");
        assertEquals(min + 1, Session.bufferFloats(min + 1), "never lowered");
    }

    @Test
    void buffersStartOnVectorBoundariesAndApartModulo4KiB() {
        for (int i = 0; i < 3; i++) {
            // The 16-byte array header plus the offset lands on a 64-byte boundary (humongous arrays start on one).
            assertEquals(0, (16 + Session.off(i) * Float.BYTES) % 64, "buffer " + i);
            for (int j = 0; j < i; j++) {
                assertNotEquals(Session.off(i) * Float.BYTES % 4096, Session.off(j) * Float.BYTES % 4096,
                        "buffers " + j + " and " + i + " alias modulo 4 KiB");
            }
        }
    }
}
