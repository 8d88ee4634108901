package dev.mobilenet.parity;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.arch.ModelSpec;
import dev.mobilenet.model.Inference;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.model.Weights;
import dev.mobilenet.tensor.Tensor;
import dev.mobilenet.testing.FixtureWeights;
import dev.mobilenet.testing.FixtureDir;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Bit-identity across a refactoring: the SHA-256 of the float bits of logits, pre-logits and every feature map, for
 * every fixture case on 1, 2 and 3 threads. {@code -Dbaseline.file=F -Dbaseline.write=true} records them;
 * {@code -Dbaseline.file=F} compares against the recording, line by line. Off unless {@code baseline.file} is set.
 */
@EnabledIfSystemProperty(named = "baseline.file", matches = ".+")
class BaselineOutputsTest {

    @Test
    void outputsAreBitIdenticalToTheRecording() throws IOException {
        Path file = Path.of(System.getProperty("baseline.file"));
        Map<String, String> now = digests();
        if (Boolean.getBoolean("baseline.write")) {
            List<String> lines = new ArrayList<>();
            now.forEach((k, v) -> lines.add(k + " " + v));
            Files.write(file, lines);
            assertEquals(now.size(), Files.readAllLines(file).size());
            return;
        }
        Map<String, String> recorded = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            int sp = line.lastIndexOf(' ');
            recorded.put(line.substring(0, sp), line.substring(sp + 1));
        }
        assertEquals(recorded.keySet(), now.keySet(), "the same outputs");
        List<String> differ = new ArrayList<>();
        recorded.forEach((k, v) -> {
            if (!v.equals(now.get(k))) {
                differ.add(k);
            }
        });
        assertEquals(List.of(), differ, "outputs whose bits changed");
    }

    private static Map<String, String> digests() {
        Map<String, String> out = new LinkedHashMap<>();
        for (JsonNode c : Fixtures.MANIFEST.get("cases")) {
            String arch = c.get("model").asText();
            long seed = c.get("seed").asLong();
            MobileNet model = MobileNet.create(ModelSpec.parse(arch), c.get("num_classes").asInt(), 0L);
            if (c.has("weights_file")) {
                Weights.load(model, Fixtures.DIR.resolve(c.get("weights_file").asText()));
            } else {
                FixtureWeights.apply(model, seed);
            }
            Tensor x = FixtureWeights.input(seed, FixtureDir.ints(c.get("input")));
            Inference net = model.compile();
            String name = c.get("file").asText();
            for (int threads = 1; threads <= 3; threads++) {
                try (Session s = net.newSession(threads)) {
                    out.put(name + " logits t" + threads, sha256(s.logits(x).data()));
                    out.put(name + " pre_logits t" + threads, sha256(s.preLogits(x).data()));
                    List<Tensor> f = s.features(x);
                    for (int i = 0; i < f.size(); i++) {
                        out.put(name + " features." + i + " t" + threads, sha256(f.get(i).data()));
                    }
                }
            }
        }
        return out;
    }

    private static String sha256(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
