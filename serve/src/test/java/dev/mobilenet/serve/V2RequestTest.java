package dev.mobilenet.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The v2 request reader on good, odd and hostile JSON. */
class V2RequestTest {
    private static String request(String shape, String data) {
        return "{\"id\":\"a\",\"inputs\":[{\"name\":\"input\",\"shape\":" + shape + ",\"datatype\":\"FP32\","
                + "\"parameters\":{\"x\":[1,{\"y\":2}]},\"data\":" + data + "}],\"outputs\":[{\"name\":\"logits\"}]}";
    }

    private static String flat(int count) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            b.append(i == 0 ? "" : ",").append(i % 7 == 0 ? Integer.toString(i) : Float.toString(i * 0.1f - 3));
        }
        return b.append(']').toString();
    }

    private static V2Request parse(String json) {
        return V2Request.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    private static void refused(String json, String fragment) {
        HttpError e = assertThrows(HttpError.class, () -> parse(json), json.length() > 200 ? json.substring(0, 200)
                : json);
        assertEquals(400, e.status());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void flatAndNestedDataGiveTheSameTensor() {
        V2Request r = parse(request("[1,3,32,33]", flat(3 * 32 * 33)));
        assertEquals("a", r.id());
        assertEquals(1, r.n());
        assertEquals(32, r.h());
        assertEquals(33, r.w());
        assertEquals(3 * 32 * 33, r.data().length);
        assertEquals(-3f + 0.1f, r.data()[1]);
        assertEquals(7f, r.data()[7]);
        StringBuilder nested = new StringBuilder("[[");
        for (int c = 0; c < 3; c++) {
            nested.append(c == 0 ? "" : ",").append(flat(32 * 33));
        }
        nested.append("]]");
        V2Request n = parse(request("[1,3,32,33]", nested.toString()));
        assertEquals(3 * 32 * 33, n.data().length);
        float[] plane = parse(request("[1,1,32,33]".replace("1,1", "1,3"), flat(3 * 32 * 33))).data();
        assertArrayEquals(java.util.Arrays.copyOf(plane, 32 * 33), java.util.Arrays.copyOfRange(n.data(), 32 * 33,
                2 * 32 * 33));
        assertNull(parse("{\"inputs\":[{\"shape\":[1,3,32,32],\"datatype\":\"FP32\",\"data\":" + flat(3072) + "}]}")
                .id());
    }

    @Test
    void badRequestsAreOneLine400s() {
        refused("", "bad JSON");
        refused("[]", "bad JSON");
        refused("{\"inputs\": [", "bad JSON");
        refused("{\"inputs\": []}", "exactly one");
        refused("{}", "exactly one");
        refused("{\"inputs\": {}}", "exactly one");
        refused("{\"inputs\": [1]}", "object");
        String one = request("[1,3,32,32]", flat(3072));
        refused("{\"inputs\":[" + one.substring(one.indexOf("[{") + 1, one.indexOf("}],")) + "},"
                + one.substring(one.indexOf("[{") + 1, one.indexOf("}],")) + "}]}", "exactly one");
        refused(one + "x", "bad JSON");
        refused(one + "{}", "content after");
        refused(one.replace("FP32", "INT8"), "FP32");
        refused(one.replace("\"datatype\":\"FP32\",", ""), "FP32");
        refused(one.replace("logits", "probs"), "unknown output \"probs\"");
        refused(request("[1,3,32,32]", flat(3071)), "3071 values; the shape needs 3072");
        refused(request("[1,3,32,32]", flat(3073)), "3073 values");
        refused(request("[1,1,32,32]", flat(1024)), "[N >= 1, 3, H, W]");
        refused(request("[0,3,32,32]", "[]"), "[N >= 1, 3, H, W]");
        refused(request("[1,3,31,32]", flat(2976)), "[N >= 1, 3, H, W]");
        refused(request("[1,3,5000,32]", "[]"), "[N >= 1, 3, H, W]");
        refused(request("[1,3,32,99999999999999]", "[]"), "[N >= 1, 3, H, W]");
        refused(request("[1,3,32]", "[]"), "4 whole numbers");
        refused(request("[1,3,32,32,1]", "[]"), "4 whole numbers");
        refused(request("[1,3,32.5,32]", "[]"), "4 whole numbers");
        refused(request("\"1,3,32,32\"", "[]"), "4 whole numbers");
        refused(request("[1,3,32,32]", "[\"1\"]"), "array of numbers");
        refused(request("[1,3,32,32]", "[null]"), "array of numbers");
        refused(request("[1,3,32,32]", "[{}]"), "array of numbers");
        refused(request("[1,3,32,32]", "5"), "array of numbers");
        refused(request("[1,3,32,32]", "[[[[[[1]]]]]]"), "nested deeper");
        refused(request("[1,3,32,32]", "[NaN]"), "bad JSON");
        refused(request("[1,3,32,32]", "[1e99999]"), "finite");
        refused(request("[1,3,32,32]", "[-1e39]"), "finite");
    }

    @Test
    void mutatedRequestsNeverEscapeAs500() {
        byte[] good = request("[1,3,32,32]", flat(3072)).getBytes(StandardCharsets.UTF_8);
        Random rng = new Random(14);
        for (int i = 0; i < 3000; i++) {
            byte[] b = good.clone();
            int edits = 1 + rng.nextInt(4);
            for (int e = 0; e < edits; e++) {
                b[rng.nextInt(b.length)] = (byte) "{}[],:\"0-.e9aZ \\\u00ff".charAt(rng.nextInt(17));
            }
            if (rng.nextInt(4) == 0) {
                b = java.util.Arrays.copyOf(b, rng.nextInt(b.length));
            }
            try {
                V2Request r = V2Request.parse(b);
                assertEquals(3072, r.data().length);
            } catch (HttpError e) {
                assertEquals(400, e.status());
                assertFalse(e.getMessage().contains("\n"), e.getMessage());
            }
        }
    }
}
