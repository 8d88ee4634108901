package dev.mobilenet.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.testing.FixtureWeights;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/** The Java twin of the fixture generator reproduces the Python values bit for bit. */
class GeneratorTwinTest {
    @Test
    void rawStreamMatchesPython() {
        JsonNode g = Fixtures.MANIFEST.get("generator_checks");
        long seed = g.get("seed").asLong();
        String key = g.get("key").asText();
        assertEquals(new BigInteger(g.get("fnv1a64").asText()).longValue(), FixtureWeights.fnv1a64(key));
        long base = FixtureWeights.base(seed, key);
        assertEquals(new BigInteger(g.get("base").asText()).longValue(), base);
        for (int i = 0; i < 5; i++) {
            assertEquals(new BigInteger(g.get("raw_first5").get(i).asText()).longValue(),
                    FixtureWeights.splitmix64(base + i), "raw " + i);
            assertEquals((float) g.get("u_first5").get(i).asDouble(), FixtureWeights.u(base, i), "u " + i);
            assertEquals((float) g.get("s_first5").get(i).asDouble(), FixtureWeights.s(base, i), "s " + i);
        }
    }
}
