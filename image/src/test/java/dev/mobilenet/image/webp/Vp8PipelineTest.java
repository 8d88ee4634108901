package dev.mobilenet.image.webp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.testing.Hostile;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The two-thread pipeline (forced on for every size here) gives the bytes of the one-thread decode, which
 * WebpParityTest holds equal to Pillow; it fails on hostile input exactly as the one-thread decode does, and gives
 * every helper back.
 */
class Vp8PipelineTest {
    private static final int HELPERS = Vp8Pipeline.HELPERS.availablePermits();

    private static List<String> decodableFiles() {
        List<String> files = new ArrayList<>();
        for (JsonNode c : WebpFixtures.manifest().get("cases")) {
            if (!c.has("error")) {
                files.add(c.get("file").asText());
            }
        }
        return files;
    }

    @Test
    void everyFixtureDecodesAsPillowOnTwoThreads() {
        int lossy = 0;
        for (JsonNode c : WebpFixtures.manifest().get("cases")) {
            if (c.has("error")) {
                continue;
            }
            String file = c.get("file").asText();
            WebpDecoder.Image img =
                    WebpDecoder.decode(WebpFixtures.bytes(file), Long.MAX_VALUE, Vp8Pipeline.Threads.TWO);
            assertEquals(c.get("rgb_sha256").asText(), WebpParityTest.sha256(img.rgb()), file);
            lossy += file.startsWith("lossy") ? 1 : 0;
        }
        assertTrue(lossy > 20, lossy + " lossy fixtures");
        assertEquals(HELPERS, Vp8Pipeline.HELPERS.availablePermits());
    }

    @Test
    void concurrentDecodesShareTheHelpers() throws Exception {
        List<String> files = decodableFiles();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> runs = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                runs.add(pool.submit(() -> {
                    int n = 0;
                    for (String f : files) {
                        byte[] data = WebpFixtures.bytes(f);
                        assertArrayEquals(WebpDecoder.decode(data, Long.MAX_VALUE, Vp8Pipeline.Threads.ONE).rgb(),
                                WebpDecoder.decode(data, Long.MAX_VALUE, Vp8Pipeline.Threads.TWO).rgb(), f);
                        n++;
                    }
                    return n;
                }));
            }
            for (Future<Integer> r : runs) {
                assertEquals(files.size(), r.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(HELPERS, Vp8Pipeline.HELPERS.availablePermits());
    }

    @Test
    void mutatedFilesFailAsOnOneThread() {
        String[] seeds = {"lossy_129x67_q75.webp", "lossy_83x71_partitions8.webp",
            "lossy_129x67_simple_f90_sharp5.webp"};
        Random rnd = new Random(77);
        int refused = 0;
        for (int i = 0; i < 600; i++) {
            byte[] m = WebpMutationTest.mutate(WebpFixtures.bytes(seeds[i % seeds.length]), rnd);
            String one;
            String two;
            try {
                one = WebpParityTest.sha256(WebpDecoder.decode(m, 1 << 22, Vp8Pipeline.Threads.ONE).rgb());
            } catch (WebpException e) {
                Hostile.checkMessage(e);
                one = e.getMessage();
                refused++;
            }
            try {
                two = WebpParityTest.sha256(WebpDecoder.decode(m, 1 << 22, Vp8Pipeline.Threads.TWO).rgb());
            } catch (WebpException e) {
                two = e.getMessage();
            }
            assertEquals(one, two, "mutation " + i);
        }
        assertTrue(refused > 50 && refused < 550, refused + " refused");
        assertEquals(HELPERS, Vp8Pipeline.HELPERS.availablePermits());
    }
}
