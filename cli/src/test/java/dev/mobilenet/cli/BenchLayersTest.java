package dev.mobilenet.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** `bench --layers`: the per-kind profile after the timing, in the table and in the JSON. */
class BenchLayersTest {
    @Test
    void printsTimeAndGmacsPerLayerKind() throws Exception {
        CliTest.Result r = CliTest.run("bench", "--model", "mobilenetv3_small_050", "--input-size", "64",
                "--threads", "2", "--warmup", "0.2", "--seconds", "0.3", "--layers", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode layers = new ObjectMapper().readTree(r.out()).get("layers");
        Set<String> kinds = new HashSet<>();
        double share = 0;
        int steps = 0;
        for (JsonNode l : layers) {
            kinds.add(l.get("kind").asText());
            share += l.get("share").asDouble();
            steps += l.get("steps").asInt();
            assertTrue(l.get("ms_per_image").asDouble() >= 0, l.toString());
        }
        assertTrue(kinds.containsAll(Set.of("stem", "pointwise", "depthwise", "se", "pool", "head", "classifier")),
                kinds.toString());
        assertEquals(1.0, share, 0.01, "shares add up to the whole image");
        assertTrue(steps > 30, "steps " + steps);

        CliTest.Result table = CliTest.run("bench", "--model", "mobilenetv3_small_050", "--input-size", "64",
                "--threads", "1", "--warmup", "0.2", "--seconds", "0.3", "--layers");
        assertEquals(0, table.code(), table.err());
        assertTrue(table.out().contains("layer kind") && table.out().contains("depthwise"), table.out());
    }
}
