package dev.mobilenet.io;

import static dev.mobilenet.io.IoTestSupport.resource;
import static dev.mobilenet.io.IoTestSupport.validOrMobileNetException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SafeTensorsTest {
    @TempDir
    Path dir;

    private static final float[] A = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f};

    /** A raw safetensors file from header text and data bytes. */
    static byte[] st(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    /** Little-endian bytes of 16-bit values. */
    private static byte[] shorts(int... v) {
        ByteBuffer bb = ByteBuffer.allocate(2 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (int x : v) {
            bb.putShort((short) x);
        }
        return bb.array();
    }

    private static MobileNetException fails(byte[] bytes) {
        return assertThrows(MobileNetException.class, () -> SafeTensors.fromBytes(bytes, "x.safetensors"));
    }

    private static String failure(String header, int dataBytes) {
        return fails(st(header, new byte[dataBytes])).getMessage();
    }

    private static final String F32 = "\"F32\"";

    /** The error for a file whose only entry 'a' has these JSON values. */
    private static String entryFailure(String dtype, String shape, String dataOffsets, int dataBytes) {
        return failure("{\"a\": {\"dtype\": " + dtype + ", \"shape\": " + shape + ", \"data_offsets\": "
                + dataOffsets + "}}", dataBytes);
    }

    private static SafeTensors.Writer sampleWriter() {
        float[] big = new float[50_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (float) Math.cos(i) * i;
        }
        return SafeTensors.writer()
                .metadata("format", "pt")
                .metadata("note", "h\u00e9llo \"quoted\"")
                .putFloat("conv_stem.weight", new Tensor(new int[] {2, 3}, A))
                .putLong("bn1.num_batches_tracked", new int[0], new long[] {123456789012L})
                .putFloat("scalar", new Tensor(new int[0], new float[] {Float.NaN}))
                .putFloat("empty", new Tensor(new int[] {3, 0}, new float[0]))
                .putLong("idx", new int[] {3}, new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE})
                .putFloat("big", new Tensor(new int[] {50, 1000}, big));
    }

    private static void checkSample(SafeTensors st) {
        assertEquals(Map.of("format", "pt", "note", "h\u00e9llo \"quoted\""), st.metadata());
        assertEquals(List.of("conv_stem.weight", "bn1.num_batches_tracked", "scalar", "empty", "idx", "big"),
                new ArrayList<>(st.keys()));
        Tensor w = st.getFloat("conv_stem.weight");
        assertArrayEquals(new int[] {2, 3}, w.shape());
        assertArrayEquals(A, w.data());
        assertArrayEquals(new long[] {123456789012L}, st.getLong("bn1.num_batches_tracked"));
        assertArrayEquals(new int[0], st.info("bn1.num_batches_tracked").shape());
        assertEquals("I64", st.info("bn1.num_batches_tracked").dtype());
        assertFalse(st.isFloating("idx"));
        assertTrue(st.isFloating("scalar"));
        assertTrue(Float.isNaN(st.getFloat("scalar").data()[0]));
        assertArrayEquals(new int[] {3, 0}, st.getFloat("empty").shape());
        assertArrayEquals(new long[] {Long.MIN_VALUE, -1, Long.MAX_VALUE}, st.getLong("idx"));
        float[] big = st.getFloat("big").data();
        for (int i = 0; i < big.length; i++) {
            assertEquals((float) Math.cos(i) * i, big[i]);
        }
        // Every tensor is aligned to its element size.
        for (String k : st.keys()) {
            SafeTensors.Entry e = st.info(k);
            assertEquals(0, e.begin() % ("I64".equals(e.dtype()) ? 8 : 4), k);
        }
    }

    @Test
    void writerRoundTripInMemoryAndOnDisk() throws IOException {
        byte[] bytes = sampleWriter().toBytes();
        long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertEquals(0, n % 8, "header padded to a multiple of 8");
        assertEquals('{', bytes[8]);
        try (SafeTensors st = SafeTensors.fromBytes(bytes, "mem")) {
            checkSample(st);
        }
        Path p = dir.resolve("m.safetensors");
        sampleWriter().write(p);
        assertArrayEquals(bytes, Files.readAllBytes(p));
        try (SafeTensors st = SafeTensors.open(p)) {
            checkSample(st);
        }
    }

    @ParameterizedTest
    @CsvSource({"1", "3", "7", "64", "4096", "65536", "100000"})
    void tensorsStraddlingRegions(long region) throws IOException {
        byte[] bytes = sampleWriter().toBytes();
        try (SafeTensors st = SafeTensors.fromBytes(bytes, "mem", region)) {
            checkSample(st);
        }
        if (region >= 64) { // every region is a separate mapping; keep their number modest
            Path p = dir.resolve("r.safetensors");
            Files.write(p, bytes);
            try (SafeTensors st = SafeTensors.open(p, region)) {
                checkSample(st);
            }
        }
        // Unaligned F16/F64 data straddling regions too.
        byte[] odd = st("{\"a\":{\"dtype\":\"U8\",\"shape\":[1],\"data_offsets\":[0,1]},"
                + "\"h\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[1,7]},"
                + "\"d\":{\"dtype\":\"F64\",\"shape\":[2],\"data_offsets\":[7,23]}}",
                ByteBuffer.allocate(23).order(ByteOrder.LITTLE_ENDIAN).put((byte) 9).putShort((short) 0x3c00)
                        .putShort((short) 0xc000).putShort((short) 0x7bff).putDouble(0.25).putDouble(-1e300).array());
        try (SafeTensors st = SafeTensors.fromBytes(odd, "odd", region)) {
            assertArrayEquals(new long[] {9}, st.getLong("a"));
            assertArrayEquals(new float[] {1f, -2f, 65504f}, st.getFloat("h").data());
            assertArrayEquals(new float[] {0.25f, Float.NEGATIVE_INFINITY}, st.getFloat("d").data());
        }
    }

    @Test
    void staticWriteWithAndWithoutMetadata() {
        Map<String, Tensor> t = new LinkedHashMap<>();
        t.put("b", new Tensor(new int[] {1}, new float[] {2f}));
        t.put("a", new Tensor(new int[] {2}, new float[] {3f, 4f}));
        Path p = dir.resolve("s.safetensors");
        SafeTensors.write(p, t, Map.of("k", "v"));
        try (SafeTensors st = SafeTensors.open(p)) {
            assertEquals(Map.of("k", "v"), st.metadata());
            assertEquals(List.of("b", "a"), new ArrayList<>(st.keys()));
            assertEquals(new SafeTensors.Entry("a", "F32", new int[] {2}, 4, 12), st.info("a"));
        }
        SafeTensors.write(p, t, null);
        try (SafeTensors st = SafeTensors.open(p)) {
            assertEquals(Map.of(), st.metadata());
            assertArrayEquals(new float[] {3f, 4f}, st.getFloat("a").data());
        }
        SafeTensors.write(p, Map.of(), Map.of());
        try (SafeTensors st = SafeTensors.open(p)) {
            assertTrue(st.keys().isEmpty());
        }
    }

    @Test
    void writerRejectsBadNames() {
        SafeTensors.Writer w = SafeTensors.writer().putFloat("a", new Tensor(new int[0], new float[1]));
        assertThrows(IllegalArgumentException.class, () -> w.putLong("a", new int[0], new long[1]));
        assertThrows(IllegalArgumentException.class,
                () -> w.putFloat("__metadata__", new Tensor(new int[0], new float[1])));
        assertThrows(IllegalArgumentException.class, () -> w.putLong("n", new int[] {2}, new long[1]));
    }

    // ------------------------------------------------------------ files written by others

    @Test
    void readsFileWrittenByPythonSafetensors() {
        try (SafeTensors st = SafeTensors.fromBytes(resource("mixed.safetensors"), "mixed")) {
            assertEquals(Map.of("format", "np", "note", "h\u00e9llo"), st.metadata());
            assertEquals(List.of("i", "d", "s", "w", "z", "j", "h"), new ArrayList<>(st.keys()));
            assertArrayEquals(new long[] {-1, 1L << 40}, st.getLong("i"));
            assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY}, st.getFloat("d").data());
            assertArrayEquals(new float[] {3.5f}, st.getFloat("s").data());
            assertArrayEquals(new int[0], st.getFloat("s").shape());
            assertArrayEquals(A, st.getFloat("w").data());
            assertArrayEquals(new int[] {0, 4}, st.getFloat("z").shape());
            assertArrayEquals(new long[] {-7, Integer.MAX_VALUE}, st.getLong("j"));
            assertArrayEquals(new int[] {2, 1}, st.info("j").shape());
            assertArrayEquals(new float[] {1f, -2f, 65504f, 0x1p-14f, 0x1p-24f}, st.getFloat("h").data());
        }
    }

    @Test
    void readsProjectFixtureIfPresent() throws URISyntaxException {
        URL url = SafeTensorsTest.class.getResource("/fixtures/small050_c10.safetensors");
        assumeTrue(url != null, "project fixtures not present");
        try (SafeTensors st = SafeTensors.open(Path.of(url.toURI()))) {
            assertEquals("pt", st.metadata().get("format"));
            Tensor w = st.getFloat("conv_stem.weight");
            assertArrayEquals(new int[] {16, 3, 3, 3}, w.shape());
            for (String k : st.keys()) {
                if (st.isFloating(k)) {
                    for (float f : st.getFloat(k).data()) {
                        assertTrue(Float.isFinite(f), k);
                    }
                } else {
                    assertEquals(st.info(k).numel(), st.getLong(k).length);
                }
            }
        }
    }

    // ------------------------------------------------------------ conversions

    /** The float a one-element tensor of a 16-bit {@code dtype} holding {@code bits} reads as. */
    private static float half(String dtype, int bits) {
        byte[] b = st("{\"h\":{\"dtype\":\"" + dtype + "\",\"shape\":[],\"data_offsets\":[0,2]}}", shorts(bits));
        return SafeTensors.fromBytes(b, dtype).getFloat("h").data()[0];
    }

    private static float f16(int bits) {
        return half("F16", bits);
    }

    private static float bf16(int bits) {
        return half("BF16", bits);
    }

    private static void assertSameFloat(float expected, float actual) {
        assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(actual),
                () -> "expected " + expected + " got " + actual);
    }

    /** 16-bit float bit patterns (F16 and BF16) and the floats they stand for, computed by hand. */
    @ParameterizedTest(name = "{0} {1}: {2} {3}")
    @CsvSource({
        "F16, 0000, 0, ''",
        "F16, 8000, -0, ''",
        "F16, 3c00, 1, ''",
        "F16, c000, -2, ''",
        "F16, 3555, 0.333251953125, ''",
        "F16, 3bff, 0.99951171875, ''",
        "F16, 7bff, 65504, 'max'",
        "F16, fbff, -65504, ''",
        "F16, 0400, 6.103515625e-5, 'min normal 2^-14'",
        "F16, 0001, 5.9604644775390625e-8, 'min subnormal 2^-24'",
        "F16, 8001, -5.9604644775390625e-8, ''",
        "F16, 03ff, 6.097555160522461e-5, 'max subnormal 1023 * 2^-24'",
        "F16, 0200, 3.0517578125e-5, '2^-15'",
        "F16, 7c00, Infinity, ''",
        "F16, fc00, -Infinity, ''",
        "BF16, 3f80, 1, ''",
        "BF16, c000, -2, ''",
        "BF16, 0000, 0, ''",
        "BF16, 8000, -0, ''",
        "BF16, 7f7f, 3.3895313892515355e38, 'max'",
        "BF16, 0080, 1.1754943508222875e-38, 'min normal'",
        "BF16, 0001, 9.183549615799121e-41, 'min subnormal 2^-133'",
        "BF16, 7f80, Infinity, ''",
        "BF16, ff80, -Infinity, ''",
        "BF16, 3eab, 0.333984375, ''",
    })
    void halfHandComputedValues(String dtype, String bits, String value, String what) {
        assertSameFloat(Float.parseFloat(value), half(dtype, Integer.parseInt(bits, 16)));
    }

    @Test
    void float16NaNs() {
        assertTrue(Float.isNaN(f16(0x7e00)));
        assertTrue(Float.isNaN(f16(0x7c01))); // signalling NaN stays NaN
        assertTrue(Float.isNaN(f16(0xfe00)));
        assertEquals(0x7fc00000, Float.floatToRawIntBits(f16(0x7e00)));
    }

    @Test
    void float16AllValuesAgainstDefinition() {
        for (int h = 0; h < 0x10000; h++) {
            int sign = h >> 15;
            int exp = (h >> 10) & 0x1f;
            int mant = h & 0x3ff;
            float got = IoSupport.halfToFloat(h);
            if (exp == 31) {
                assertTrue(mant == 0 ? Float.isInfinite(got) : Float.isNaN(got), Integer.toHexString(h));
                continue;
            }
            double v = exp == 0 ? Math.scalb((double) mant, -24) : Math.scalb((double) (1024 + mant), exp - 25);
            if (sign == 1) {
                v = -v;
            }
            assertSameFloat((float) v, got);
            assertEquals(sign == 1, (Float.floatToRawIntBits(got) >>> 31) == 1);
            // Negative values also arrive sign-extended from ByteBuffer.getShort.
            assertSameFloat(got, IoSupport.halfToFloat((short) h));
        }
    }


    @Test
    void bfloat16NaNs() {
        assertTrue(Float.isNaN(bf16(0x7fc0)));
    }

    @Test
    void float64AndIntegerConversions() {
        byte[] d = ByteBuffer.allocate(32).order(ByteOrder.LITTLE_ENDIAN).putDouble(0.1).putDouble(1e300)
                .putDouble(-1e-300).putDouble(Double.NaN).array();
        byte[] i = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putInt(-3).putInt(Integer.MIN_VALUE)
                .putInt(-1).put(new byte[] {(byte) 0xff, 2, (byte) 0xff, (byte) 0xff}).array();
        byte[] data = new byte[48];
        System.arraycopy(d, 0, data, 0, 32);
        System.arraycopy(i, 0, data, 32, 16);
        byte[] b = st("{\"d\":{\"dtype\":\"F64\",\"shape\":[2,2],\"data_offsets\":[0,32]},"
                + "\"i\":{\"dtype\":\"I32\",\"shape\":[2],\"data_offsets\":[32,40]},"
                + "\"u\":{\"dtype\":\"U32\",\"shape\":[1],\"data_offsets\":[40,44]},"
                + "\"b\":{\"dtype\":\"U8\",\"shape\":[2],\"data_offsets\":[44,46]},"
                + "\"s\":{\"dtype\":\"I16\",\"shape\":[1],\"data_offsets\":[46,48]}}", data);
        try (SafeTensors st = SafeTensors.fromBytes(b, "x")) {
            Tensor t = st.getFloat("d");
            assertArrayEquals(new int[] {2, 2}, t.shape());
            assertSameFloat(0.1f, t.data()[0]);
            assertSameFloat(Float.POSITIVE_INFINITY, t.data()[1]);
            assertSameFloat(-0f, t.data()[2]);
            assertTrue(Float.isNaN(t.data()[3]));
            assertArrayEquals(new long[] {-3, Integer.MIN_VALUE}, st.getLong("i"));
            assertArrayEquals(new long[] {0xffffffffL}, st.getLong("u"));
            assertArrayEquals(new long[] {255, 2}, st.getLong("b"));
            assertArrayEquals(new long[] {-1}, st.getLong("s"));
        }
    }

    @Test
    void wrongAccessorsAndUnknownKeys() {
        try (SafeTensors st = SafeTensors.fromBytes(sampleWriter().toBytes(), "m.safetensors")) {
            assertEquals("m.safetensors: tensor 'idx' has dtype I64, not a floating-point type",
                    assertThrows(MobileNetException.class, () -> st.getFloat("idx")).getMessage());
            assertEquals("m.safetensors: tensor 'big' has dtype F32, not an integer type",
                    assertThrows(MobileNetException.class, () -> st.getLong("big")).getMessage());
            assertEquals("m.safetensors: no tensor 'nope'",
                    assertThrows(MobileNetException.class, () -> st.getFloat("nope")).getMessage());
            assertThrows(MobileNetException.class, () -> st.info("nope"));
            assertFalse(st.contains("nope"));
            st.close();
            assertThrows(IllegalStateException.class, () -> st.getFloat("big"));
            assertEquals(6, st.keys().size()); // the header stays readable
        }
    }

    @Test
    void unsupportedKnownDtypeOpensButCannotBeConverted() {
        byte[] b = st("{\"q\":{\"dtype\":\"F8_E4M3\",\"shape\":[2],\"data_offsets\":[0,2]},"
                + "\"z\":{\"dtype\":\"BOOL\",\"shape\":[1],\"data_offsets\":[2,3]}}", new byte[3]);
        try (SafeTensors st = SafeTensors.fromBytes(b, "x")) {
            assertFalse(st.isFloating("q"));
            assertThrows(MobileNetException.class, () -> st.getFloat("q"));
            assertThrows(MobileNetException.class, () -> st.getLong("z"));
        }
    }

    // ------------------------------------------------------------ hostile input

    @Test
    void missingFileAndDirectory() {
        Path p = dir.resolve("x.safetensors");
        assertEquals(p + ": no such file", assertThrows(MobileNetException.class, () -> SafeTensors.open(p)).getMessage());
        assertTrue(assertThrows(MobileNetException.class, () -> SafeTensors.open(dir)).getMessage()
                .contains("is a directory"));
    }

    @Test
    void preambleProblems() throws IOException {
        assertEquals("x.safetensors: file too short (5 bytes) to be a safetensors file", fails(new byte[5]).getMessage());
        assertEquals("x.safetensors: file too short (0 bytes) to be a safetensors file", fails(new byte[0]).getMessage());
        byte[] b = st("{}", new byte[0]);
        b[0] = 100;
        assertEquals("x.safetensors: header length 100 extends beyond the end of the file (10 bytes);"
                + " not a safetensors file?", fails(b).getMessage());
        Arrays.fill(b, 0, 8, (byte) 0xff);
        assertEquals("x.safetensors: header length 18446744073709551615 extends beyond the end of the file"
                + " (10 bytes); not a safetensors file?", fails(b).getMessage());
        // A (sparse) file big enough to hold a header over the limit.
        Path p = dir.resolve("huge.safetensors");
        try (RandomAccessFile raf = new RandomAccessFile(p.toFile(), "rw")) {
            raf.setLength(150_000_100L);
            raf.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(150_000_000L).array());
        }
        assertEquals(p + ": header length 150000000 exceeds the limit of 100000000 bytes",
                assertThrows(MobileNetException.class, () -> SafeTensors.open(p)).getMessage());
        Path shortFile = dir.resolve("short.safetensors");
        Files.write(shortFile, new byte[3]);
        assertEquals(shortFile + ": file too short (3 bytes) to be a safetensors file",
                assertThrows(MobileNetException.class, () -> SafeTensors.open(shortFile)).getMessage());
    }

    @Test
    void headerNotJsonObject() {
        assertEquals("x.safetensors: header is empty", failure("", 0));
        assertEquals("x.safetensors: header is empty", failure("        ", 0));
        assertEquals("x.safetensors: header is not a JSON object", failure("[1, 2]", 0));
        assertEquals("x.safetensors: header is not a JSON object", failure("42", 0));
        assertTrue(failure("{\"a\": ", 0).startsWith("x.safetensors: header is not valid JSON: "));
        assertTrue(failure("{} {}", 0).startsWith("x.safetensors: header is not valid JSON: "));
        assertTrue(failure("{\"__metadata__\":{},\"__metadata__\":{}}", 0)
                .startsWith("x.safetensors: header is not valid JSON: Duplicate field '__metadata__'"));
        byte[] bad = st("{\"a\":1}", new byte[0]);
        bad[10] = (byte) 0xc3;
        assertEquals("x.safetensors: header is not valid UTF-8", fails(bad).getMessage());
        String deep = "[".repeat(5000);
        assertTrue(failure(deep, 0).startsWith("x.safetensors: header is not valid JSON: "));
    }

    @Test
    void metadataProblems() {
        assertEquals("x.safetensors: __metadata__ is not a JSON object", failure("{\"__metadata__\": [1]}", 0));
        assertEquals("x.safetensors: __metadata__ value for 'a' is not a string",
                failure("{\"__metadata__\": {\"a\": 1}}", 0));
        try (SafeTensors st = SafeTensors.fromBytes(st("{\"__metadata__\": null}", new byte[0]), "x")) {
            assertTrue(st.metadata().isEmpty());
        }
    }

    @Test
    void entryProblems() {
        String e = "x.safetensors: tensor 'a': ";
        assertEquals(e + "entry is not a JSON object", failure("{\"a\": 5}", 0));
        assertEquals(e + "missing dtype", failure("{\"a\": {\"shape\": [], \"data_offsets\": [0, 4]}}", 4));
        assertEquals(e + "missing shape", failure("{\"a\": {\"dtype\": \"F32\", \"data_offsets\": [0, 4]}}", 4));
        assertEquals(e + "missing data_offsets", failure("{\"a\": {\"dtype\": \"F32\", \"shape\": []}}", 4));
        assertEquals(e + "dtype is not a string", entryFailure("4", "[]", "[0, 4]", 4));
        assertEquals(e + "unknown dtype 'F7'", entryFailure("\"F7\"", "[]", "[0, 4]", 4));
        assertEquals(e + "unknown dtype 'f32'", entryFailure("\"f32\"", "[]", "[0, 4]", 4));
        assertEquals(e + "shape is not a list", entryFailure(F32, "1", "[0, 4]", 4));
        assertEquals(e + "shape [1.5] contains a non-integer", entryFailure(F32, "[1.5]", "[0, 4]", 4));
        assertEquals(e + "shape [\"1\"] contains a non-integer", entryFailure(F32, "[\"1\"]", "[0, 4]", 4));
        assertEquals(e + "negative dimension in shape [-1,4]", entryFailure(F32, "[-1, 4]", "[0, 4]", 4));
        assertEquals(e + "negative dimension in shape [-99999999999999999999999]",
                entryFailure(F32, "[-99999999999999999999999]", "[0, 4]", 4));
        assertEquals(e + "dimension too large in shape [2147483648]", entryFailure(F32, "[2147483648]", "[0, 4]", 4));
        assertEquals(e + "shape [2147483647, 2147483647, 2147483647] F32 needs more than 9223372036854775807 bytes,"
                + " data_offsets [0, 4] span 4",
                entryFailure(F32, "[2147483647, 2147483647, 2147483647]", "[0, 4]", 4));
        assertEquals(e + "shape [2, 3] F32 needs 24 bytes, data_offsets [0, 20] span 20",
                entryFailure(F32, "[2, 3]", "[0, 20]", 24));
        assertEquals(e + "shape [] I64 needs 8 bytes, data_offsets [0, 4] span 4",
                entryFailure("\"I64\"", "[]", "[0, 4]", 8));
    }

    @Test
    void offsetProblems() {
        String e = "x.safetensors: tensor 'a': ";
        String pre = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": ";
        assertEquals(e + "data_offsets must be two non-negative integers, got [0]", failure(pre + "[0]}}", 4));
        assertEquals(e + "data_offsets must be two non-negative integers, got [0,4,8]", failure(pre + "[0, 4, 8]}}", 8));
        assertEquals(e + "data_offsets must be two non-negative integers, got [-4,0]", failure(pre + "[-4, 0]}}", 4));
        assertEquals(e + "data_offsets must be two non-negative integers, got [0.0,4]", failure(pre + "[0.0, 4]}}", 4));
        assertEquals(e + "data_offsets must be two non-negative integers, got \"0,4\"", failure(pre + "\"0,4\"}}", 4));
        assertEquals(e + "data_offsets must be two non-negative integers, got [0,99999999999999999999]",
                failure(pre + "[0, 99999999999999999999]}}", 4));
        assertEquals(e + "data_offsets [8, 4] begin after end", failure(pre + "[8, 4]}}", 8));
        assertEquals(e + "data_offsets [4, 8] extend beyond the data buffer (6 bytes)", failure(pre + "[4, 8]}}", 6));
    }

    @Test
    void overlapsRejectedGapsAllowed() {
        String two = "{\"a\": {\"dtype\": \"F32\", \"shape\": [2], \"data_offsets\": [%d, %d]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [%d, %d]}}";
        assertEquals("x.safetensors: tensors 'a' [0, 8] and 'b' [4, 8] overlap", failure(String.format(two, 0, 8, 4, 8), 8));
        assertEquals("x.safetensors: tensors 'a' [0, 8] and 'b' [0, 4] overlap", failure(String.format(two, 0, 8, 0, 4), 8));
        assertEquals("x.safetensors: tensors 'b' [0, 4] and 'a' [2, 10] overlap",
                failure(String.format(two, 2, 10, 0, 4), 12));
        // Contained in a tensor that is not the latest one.
        String three = "{\"a\": {\"dtype\": \"F32\", \"shape\": [4], \"data_offsets\": [0, 16]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [4, 8]},"
                + " \"c\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 16]}}";
        assertTrue(failure(three, 16).endsWith("overlap"));
        // Gaps, unsorted offsets and zero-size tensors anywhere are fine.
        String ok = "{\"a\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [12, 16]},"
                + " \"e\": {\"dtype\": \"F32\", \"shape\": [0, 3], \"data_offsets\": [13, 13]},"
                + " \"b\": {\"dtype\": \"F32\", \"shape\": [1], \"data_offsets\": [0, 4]}}";
        byte[] data = ByteBuffer.allocate(20).order(ByteOrder.LITTLE_ENDIAN).putFloat(1f).putFloat(0, 7f)
                .putFloat(12, 5f).array();
        try (SafeTensors st = SafeTensors.fromBytes(st(ok, data), "x")) {
            assertArrayEquals(new float[] {5f}, st.getFloat("a").data());
            assertArrayEquals(new float[] {7f}, st.getFloat("b").data());
            assertEquals(0, st.getFloat("e").size());
        }
    }

    private static void openAndReadAll(byte[] b) {
        try (SafeTensors st = SafeTensors.fromBytes(b, "x.safetensors")) {
            for (String k : st.keys()) {
                try {
                    if (st.isFloating(k)) {
                        st.getFloat(k);
                    } else {
                        st.getLong(k);
                    }
                } catch (MobileNetException e) {
                    assertTrue(e.getMessage().startsWith("x.safetensors: "), e.getMessage());
                }
            }
        }
    }

    @Test
    void truncatedAtEveryCutPoint() throws IOException {
        byte[] full = SafeTensors.writer().metadata("format", "pt")
                .putFloat("w", new Tensor(new int[] {2, 3}, A))
                .putLong("n", new int[0], new long[] {7}).toBytes();
        for (int cut = 0; cut < full.length; cut++) {
            byte[] part = Arrays.copyOf(full, cut);
            int c = cut;
            MobileNetException e = assertThrows(MobileNetException.class,
                    () -> SafeTensors.fromBytes(part, "x.safetensors"), "cut " + c);
            assertTrue(e.getMessage().startsWith("x.safetensors: "), e.getMessage());
        }
        Path p = dir.resolve("cut.safetensors");
        for (int cut : new int[] {0, 7, 8, 9, 50, full.length - 1}) {
            Files.write(p, Arrays.copyOf(full, cut));
            assertThrows(MobileNetException.class, () -> SafeTensors.open(p));
        }
    }

    @Test
    void flippedHeaderBytesNeverEscape() {
        byte[] full = resource("mixed.safetensors");
        int headerEnd = 8 + (int) ByteBuffer.wrap(full).order(ByteOrder.LITTLE_ENDIAN).getLong();
        byte[] specials = {0, (byte) 0xff, (byte) 0x80, '{', '}', '[', ']', '"', ',', ':', '-', '9', '0', ' ', '.',
            'e', '\\', 'I', 'F', (byte) 0xc3};
        Random rnd = new Random(5);
        for (int pos = 0; pos < headerEnd; pos++) {
            for (byte v : specials) {
                byte[] b = full.clone();
                b[pos] = v;
                validOrMobileNetException("[" + pos + "]=" + v, () -> openAndReadAll(b));
            }
            byte[] b = full.clone();
            b[pos] = (byte) rnd.nextInt(256);
            b[rnd.nextInt(headerEnd)] = (byte) rnd.nextInt(256);
            validOrMobileNetException("random at " + pos, () -> openAndReadAll(b));
        }
    }

    @Test
    void randomHeaders() {
        Random rnd = new Random(11);
        String[] atoms = {"{", "}", "[", "]", ",", ":", "\"a\"", "\"dtype\"", "\"shape\"", "\"data_offsets\"",
            "\"F32\"", "\"F16\"", "\"I64\"", "\"__metadata__\"", "0", "4", "-1", "8", "1e3", "null", "true", " "};
        for (int i = 0; i < 3000; i++) {
            StringBuilder sb = new StringBuilder("{");
            int n = rnd.nextInt(30);
            for (int j = 0; j < n; j++) {
                sb.append(atoms[rnd.nextInt(atoms.length)]);
            }
            byte[] b = st(sb.toString(), new byte[rnd.nextInt(16)]);
            validOrMobileNetException(sb.toString(), () -> openAndReadAll(b));
        }
    }
}
