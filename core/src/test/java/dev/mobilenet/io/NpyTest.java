package dev.mobilenet.io;

import static dev.mobilenet.io.IoTestSupport.floatsLE;
import static dev.mobilenet.io.IoTestSupport.npy;
import static dev.mobilenet.io.IoTestSupport.resource;
import static dev.mobilenet.io.IoTestSupport.validOrMobileNetException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

class NpyTest {
    @TempDir
    Path dir;

    private static final float[] A = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f};

    private static Tensor filled(int... shape) {
        float[] d = new float[(int) Tensor.numel(shape)];
        float[] specials = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, -0f, Float.MIN_VALUE,
            Float.MAX_VALUE};
        for (int i = 0; i < d.length; i++) {
            d[i] = i < specials.length ? specials[i] : (float) Math.sin(i) * 100;
        }
        return new Tensor(shape, d);
    }

    private static MobileNetException fails(byte[] bytes) {
        return assertThrows(MobileNetException.class, () -> Npy.read(bytes, "x.npy"));
    }

    /** The error for a .npy file with this header dict and {@code dataBytes} zero bytes of data. */
    private static String headerError(String header, int dataBytes) {
        return fails(npy(header, new byte[dataBytes])).getMessage();
    }

    // ------------------------------------------------------------ round trips

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "1", "5", "2,3", "2,0,3", "0,0", "1,3,4,5", "3,1,1,1,1,2", "70000"})
    void floatRoundTrip(String dims) throws IOException {
        int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        Tensor t = filled(shape);
        byte[] bytes = Npy.toBytes(t);
        int headerEnd = bytes.length - 4 * t.size();
        assertEquals(0, headerEnd % 64, "data must start 64-byte aligned");
        assertEquals('\n', bytes[headerEnd - 1]);
        NpyArray back = Npy.read(bytes, "mem");
        assertEquals("float32", back.dtype());
        assertArrayEquals(shape, back.shape());
        assertArrayEquals(t.data(), back.floats());

        Path p = dir.resolve("t.npy");
        Npy.write(p, t);
        assertArrayEquals(bytes, Files.readAllBytes(p));
        Tensor again = Npy.readFloat(p);
        assertArrayEquals(shape, again.shape());
        assertArrayEquals(t.data(), again.data());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "0", "3", "2,2", "4,0"})
    void longRoundTrip(String dims) {
        int[] shape = dims.isEmpty() ? new int[0] : Arrays.stream(dims.split(",")).mapToInt(Integer::parseInt).toArray();
        long[] data = new long[(int) Tensor.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i == 0 ? Long.MIN_VALUE : i == 1 ? Long.MAX_VALUE : -i * 1_000_000_007L;
        }
        Path p = dir.resolve("l.npy");
        Npy.writeLong(p, shape, data);
        NpyArray back = Npy.read(p);
        assertEquals(NpyArray.ofLong(shape, data), back);
        assertArrayEquals(Npy.toBytes(shape, data), Npy.toBytes(back));
    }

    @Test
    void writerMatchesNumpyByteForByte() {
        assertArrayEquals(resource("f4_2x3.npy"), Npy.toBytes(new Tensor(new int[] {2, 3}, A)));
        assertArrayEquals(resource("i8.npy"), Npy.toBytes(new int[] {1, 3}, new long[] {-1, 1L << 40, 7}));
        assertArrayEquals(resource("scalar.npy"), Npy.toBytes(new Tensor(new int[0], new float[] {3.5f})));
        assertArrayEquals(resource("empty.npy"), Npy.toBytes(new Tensor(new int[] {2, 0, 3}, new float[0])));
    }

    @Test
    void writeReplacesAtomically() throws IOException {
        Path p = dir.resolve("w.npy");
        Npy.write(p, new Tensor(new int[] {1}, new float[] {1}));
        Npy.write(p, new Tensor(new int[] {2}, new float[] {2, 3}));
        assertArrayEquals(new float[] {2, 3}, Npy.readFloat(p).data());
        try (var s = Files.list(dir)) {
            assertEquals(List.of(p), s.toList());
        }
    }

    // ------------------------------------------------------------ numpy-written files

    @Test
    void numpyFiles() {
        assertArrayEquals(A, Npy.read(resource("f4_2x3.npy"), "f").floats());
        NpyArray be = Npy.read(resource("f4_be.npy"), "f");
        assertArrayEquals(new int[] {2, 3}, be.shape());
        assertArrayEquals(A, be.floats());
        assertArrayEquals(A, Npy.read(resource("v2.npy"), "f").floats());
        assertArrayEquals(A, Npy.read(resource("v3.npy"), "f").floats());

        float[] f8 = {0.1f, Float.POSITIVE_INFINITY, -0f, (float) (1.0 / 3), -0f};
        assertArrayEquals(f8, Npy.read(resource("f8.npy"), "f").floats());
        assertArrayEquals(f8, Npy.read(resource("f8_be.npy"), "f").floats());
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Npy.read(resource("f8.npy"), "f").floats()[2]));

        NpyArray i8 = Npy.read(resource("i8.npy"), "f");
        assertEquals("int64", i8.dtype());
        assertArrayEquals(new int[] {1, 3}, i8.shape());
        assertArrayEquals(new long[] {-1, 1L << 40, 7}, i8.longs());
        assertArrayEquals(new long[] {-5, Integer.MAX_VALUE, Integer.MIN_VALUE},
                Npy.read(resource("i4_be.npy"), "f").longs());

        NpyArray scalar = Npy.read(resource("scalar.npy"), "f");
        assertArrayEquals(new int[0], scalar.shape());
        assertArrayEquals(new float[] {3.5f}, scalar.floats());
        NpyArray empty = Npy.read(resource("empty.npy"), "f");
        assertArrayEquals(new int[] {2, 0, 3}, empty.shape());
        assertEquals(0, empty.floats().length);
    }

    @Test
    void readFloatAcceptsF4AndF8Only() throws IOException {
        Path f8 = dir.resolve("d.npy");
        Files.write(f8, resource("f8_be.npy"));
        assertEquals(0.1f, Npy.readFloat(f8).data()[0]);

        Path i8 = dir.resolve("x.npy");
        Files.write(i8, resource("i8.npy"));
        assertEquals(i8 + ": dtype int64 not supported (want float32)",
                assertThrows(MobileNetException.class, () -> Npy.readFloat(i8)).getMessage());
        Path i4 = dir.resolve("y.npy");
        Files.write(i4, npy("{'descr': '<i4', 'fortran_order': False, 'shape': (1,), }", new byte[4]));
        assertEquals(i4 + ": dtype int32 not supported (want float32)",
                assertThrows(MobileNetException.class, () -> Npy.readFloat(i4)).getMessage());
        Path f2 = dir.resolve("h.npy");
        Files.write(f2, resource("f2.npy"));
        assertEquals(f2 + ": dtype float16 not supported (want float32)",
                assertThrows(MobileNetException.class, () -> Npy.readFloat(f2)).getMessage());
    }

    @Test
    void unsupportedDtypes() {
        assertEquals("x.npy: dtype float16 not supported (want float32, float64, int32 or int64)",
                fails(resource("f2.npy")).getMessage());
    }

    @Test
    void fortranOrderRejected() {
        assertEquals("x.npy: Fortran-order arrays are not supported (save with np.ascontiguousarray)",
                fails(resource("fortran.npy")).getMessage());
    }

    // ------------------------------------------------------------ header syntax

    @ParameterizedTest
    @ValueSource(strings = {
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr':'<f4','fortran_order':False,'shape':(2,3)}",
        "{\"descr\": \"<f4\", \"fortran_order\": False, \"shape\": (2, 3)}",
        "  {  'shape' : ( 2 , 3 , ) ,\n 'fortran_order' : False , 'descr' : '<f4' , }   \n",
        "{'descr': '<f4', 'fortran_order': False, 'shape': (2L, 3L), }",
        "{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3], 'extra': None}",
        "{'descr': 'f4', 'fortran_order': False, 'shape': (2, 3), }",
        "{'descr': '=f4', 'fortran_order': False, 'shape': (+2, 3), }\t\r\n",
    })
    void headerVariants(String header) {
        NpyArray a = Npy.read(npy(header, floatsLE(A)), "h");
        assertArrayEquals(new int[] {2, 3}, a.shape());
        assertArrayEquals(A, a.floats());
    }

    @Test
    void shapeVariants() {
        assertArrayEquals(new int[] {5}, Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (5,)}",
                new byte[20]), "s").shape());
        assertArrayEquals(new int[0], Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': ()}",
                new byte[4]), "s").shape());
        assertArrayEquals(new int[0], Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': ( )}",
                new byte[4]), "s").shape());
    }

    @Test
    void version3Utf8Header() {
        byte[] b = npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'note': 'h\u00e9'}", floatsLE(2f));
        assertArrayEquals(new float[] {2f}, Npy.read(b, "u").floats());
        byte[] bad = npy(3, "{'descr': '<f4', 'fortran_order': False, 'shape': (1,), 'note': 'xx'}", floatsLE(2f));
        int at = new String(bad, StandardCharsets.ISO_8859_1).indexOf("xx");
        bad[at] = (byte) 0xc3;
        bad[at + 1] = (byte) 0x28;
        assertEquals("x.npy: malformed header: not valid UTF-8", fails(bad).getMessage());
    }

    // ------------------------------------------------------------ hostile input

    static Stream<Arguments> hostileHeaders() {
        return Stream.of(
                Arguments.of("{'descr': '|u1', 'fortran_order': False, 'shape': (1,), }", 1,
                        "x.npy: dtype uint8 not supported (want float32, float64, int32 or int64)"),
                Arguments.of("{'descr': '<U5', 'fortran_order': False, 'shape': (), }", 20,
                        "x.npy: dtype '<U5' not supported (want float32, float64, int32 or int64)"),
                Arguments.of("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (), }", 4,
                        "x.npy: structured dtypes are not supported"),
                Arguments.of("{'descr': '<f4', 'fortran_order': False, 'shape': (5)}", 20,
                        "x.npy: malformed header: shape is not a tuple"),
                Arguments.of("{'descr': '<f4", 0,
                        "x.npy: malformed header: unterminated string at offset 10"),
                Arguments.of("[1, 2]", 0,
                        "x.npy: malformed header: not a dict"),
                Arguments.of("", 0,
                        "x.npy: malformed header: unexpected end of header at offset 0"),
                Arguments.of("{'descr': '<f4', 'fortran_order': 0, 'shape': (2,)}", 8,
                        "x.npy: malformed header: fortran_order is not True or False"),
                Arguments.of("{'descr': 4, 'fortran_order': False, 'shape': (2,)}", 8,
                        "x.npy: malformed header: descr is not a string"),
                Arguments.of("{'descr': '<f4', 'fortran_order': False, 'shape': ('2',)}", 8,
                        "x.npy: malformed header: shape contains a non-integer"),
                Arguments.of("{'fortran_order': False, 'shape': (2,)}", 8,
                        "x.npy: malformed header: missing key 'descr'"),
                Arguments.of("{'descr': '<f4', 'shape': (2,)}", 8,
                        "x.npy: malformed header: missing key 'fortran_order'"),
                Arguments.of("{'descr': '<f4', 'fortran_order': False}", 8,
                        "x.npy: malformed header: missing key 'shape'"));
    }

    @ParameterizedTest
    @MethodSource
    void hostileHeaders(String header, int dataBytes, String expected) {
        assertEquals(expected, headerError(header, dataBytes));
    }

    static Stream<Arguments> hostileShapes() {
        return Stream.of(
                Arguments.of("(" + "9".repeat(100) + ",)",
                        "x.npy: malformed header: number too long at offset 51"),
                Arguments.of("(2.5,)",
                        "x.npy: malformed header: unsupported number syntax at offset 52"),
                Arguments.of("(-3, 4)",
                        "x.npy: negative dimension -3 in shape (-3, 4)"),
                Arguments.of("(2147483648,)",
                        "x.npy: dimension 2147483648 too large in shape (2147483648,)"),
                Arguments.of("(1, 99999999999999999999)",
                        "x.npy: dimension 99999999999999999999 too large in shape (1, 99999999999999999999)"),
                Arguments.of("(65536, 65536)",
                        "x.npy: shape (65536, 65536) has 4294967296 elements, more than the limit of 2147483647"),
                Arguments.of("(2147483647, 2147483647, 2147483647, 2)",
                        "x.npy: shape (2147483647, 2147483647, 2147483647, 2) has"
                                + " 19807040600895968300706562046 elements, more than the limit of 2147483647"));
    }

    /** Shape tuples in a little-endian float32, C-order header with no data. */
    @ParameterizedTest
    @MethodSource
    void hostileShapes(String shape, String expected) {
        assertEquals(expected, headerError("{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + "}", 0));
    }

    @Test
    void missingFileAndDirectory() {
        Path p = dir.resolve("x.npy");
        assertEquals(p + ": no such file", assertThrows(MobileNetException.class, () -> Npy.read(p)).getMessage());
        assertEquals(p + ": no such file", assertThrows(MobileNetException.class, () -> Npy.readFloat(p)).getMessage());
        assertTrue(assertThrows(MobileNetException.class, () -> Npy.read(dir)).getMessage().contains("is a directory"));
    }

    @Test
    void badMagicAndVersion() {
        assertEquals("x.npy: not a .npy file (bad magic)",
                fails("PK\3\4 not numpy".getBytes(StandardCharsets.ISO_8859_1)).getMessage());
        assertEquals("x.npy: empty file, not a .npy file", fails(new byte[0]).getMessage());
        assertEquals("x.npy: truncated: file ends inside the .npy preamble (7 bytes)",
                fails(Arrays.copyOf(resource("f4_2x3.npy"), 7)).getMessage());
        byte[] v4 = resource("f4_2x3.npy");
        v4[6] = 4;
        assertEquals("x.npy: unsupported .npy format version 4.0 (want 1.0, 2.0 or 3.0)", fails(v4).getMessage());
        byte[] v11 = resource("f4_2x3.npy");
        v11[7] = 1;
        assertEquals("x.npy: unsupported .npy format version 1.1 (want 1.0, 2.0 or 3.0)", fails(v11).getMessage());
    }

    @Test
    void headerLengthBeyondFile() {
        byte[] b = resource("f4_2x3.npy");
        b[8] = (byte) 0xff;
        b[9] = (byte) 0xff;
        assertEquals("x.npy: header length 65535 extends beyond the end of the file (152 bytes)", fails(b).getMessage());
        byte[] v2 = resource("v2.npy");
        Arrays.fill(v2, 8, 12, (byte) 0xff);
        assertEquals("x.npy: header length 4294967295 extends beyond the end of the file (152 bytes)",
                fails(v2).getMessage());
        byte[] huge = npy(2, " ".repeat(Npy.MAX_HEADER_BYTES + 1), new byte[0]);
        assertEquals("x.npy: header length 1048577 is too large (limit 1048576)", fails(huge).getMessage());
    }

    @Test
    void garbledHeaders() {
        byte[] nonAscii = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", floatsLE(A));
        nonAscii[12] = (byte) 0xe9; // inside 'descr'
        assertEquals("x.npy: malformed header: missing key 'descr'", fails(nonAscii).getMessage());
        byte[] binary = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", floatsLE(A));
        binary[10] = (byte) 0x80;
        assertEquals("x.npy: malformed header: unexpected character U+0080 at offset 0", fails(binary).getMessage());
        assertEquals("x.npy: malformed header: expected ',' or '}' but found ''' at offset 16",
                fails(npy("{'descr': '<f4' 'fortran_order': False, 'shape': (2, 3)}", floatsLE(A))).getMessage());
        assertEquals("x.npy: malformed header: nesting too deep at offset 32",
                fails(npy("(".repeat(10000), new byte[0])).getMessage());
    }


    @Test
    void badShapes() {
        // A zero dimension makes any other dimension harmless.
        NpyArray zero = Npy.read(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2147483647, 0, 5)}",
                new byte[0]), "z");
        assertEquals(0, zero.size());
        assertEquals("x.npy: shape has 65 dimensions, more than 64",
                fails(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (" + "1,".repeat(65) + ")}",
                        new byte[4])).getMessage());
    }

    @Test
    void dataShorterOrLongerThanShape() {
        byte[] b = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }", new byte[1000]);
        assertEquals("x.npy: truncated: shape (1, 3, 224, 224) float32 needs 602112 bytes of data, file has 1000",
                fails(b).getMessage());
        // Huge declared shape with tiny data: refused before anything is allocated.
        byte[] big = npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2147483647,), }", new byte[8]);
        assertEquals("x.npy: truncated: shape (2147483647,) float64 needs 17179869176 bytes of data, file has 8",
                fails(big).getMessage());
        byte[] longer = npy("{'descr': '<i8', 'fortran_order': False, 'shape': (2,), }", new byte[17]);
        assertEquals("x.npy: trailing data: shape (2,) int64 needs 16 bytes of data, file has 17",
                fails(longer).getMessage());
        byte[] scalar = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (), }", new byte[0]);
        assertEquals("x.npy: truncated: shape () float32 needs 4 bytes of data, file has 0", fails(scalar).getMessage());
    }

    @Test
    void truncatedAtEveryCutPoint() throws IOException {
        for (String name : new String[] {"f4_2x3.npy", "i8.npy", "scalar.npy", "v2.npy", "v3.npy", "f8_be.npy"}) {
            byte[] full = resource(name);
            for (int cut = 0; cut < full.length; cut++) {
                byte[] part = Arrays.copyOf(full, cut);
                MobileNetException e = assertThrows(MobileNetException.class, () -> Npy.read(part, "x.npy"),
                        name + " cut at " + cut);
                assertTrue(e.getMessage().startsWith("x.npy: "), e.getMessage());
            }
            // Through the file path too, at a few cut points.
            for (int cut : new int[] {0, 5, 9, 40, full.length - 1}) {
                Path p = dir.resolve("cut.npy");
                Files.write(p, Arrays.copyOf(full, cut));
                assertThrows(MobileNetException.class, () -> Npy.read(p));
            }
        }
    }

    @Test
    void flippedHeaderBytesNeverEscape() {
        byte[] specials = {0, (byte) 0xff, (byte) 0x80, '(', ')', '{', '}', '[', ']', '\'', '"', ',', ':', '-', '9',
            '0', ' ', '\n', '\\', 'L', 'T', '.', 'e', (byte) 0xc3};
        Random rnd = new Random(42);
        for (String name : new String[] {"f4_2x3.npy", "i8.npy", "v3.npy", "scalar.npy"}) {
            byte[] base = resource(name);
            // The fixtures' headers end at byte 128; go a little into the data too.
            for (int pos = 0; pos < Math.min(136, base.length); pos++) {
                for (byte v : specials) {
                    byte[] b = base.clone();
                    b[pos] = v;
                    validOrMobileNetException(name + "[" + pos + "]=" + v, () -> Npy.read(b, "x.npy"));
                }
                byte[] b = base.clone();
                b[pos] = (byte) rnd.nextInt(256);
                b[rnd.nextInt(b.length)] = (byte) rnd.nextInt(256);
                validOrMobileNetException(name + " random at " + pos, () -> Npy.read(b, "x.npy"));
            }
        }
    }

    @Test
    void randomGarbageAfterMagic() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            int n = rnd.nextInt(200);
            ByteBuffer bb = ByteBuffer.allocate(10 + n).order(ByteOrder.LITTLE_ENDIAN);
            bb.put(Npy.MAGIC).put((byte) (1 + rnd.nextInt(3))).put((byte) 0).putShort((short) rnd.nextInt(n + 1));
            byte[] junk = new byte[n];
            rnd.nextBytes(junk);
            byte[] b = bb.put(junk).array();
            validOrMobileNetException("garbage " + i, () -> Npy.read(b, "x.npy"));
        }
    }

    @Test
    void int64ArrayIsNotATensor() {
        NpyArray a = NpyArray.ofLong(new int[] {2}, new long[] {1, 2});
        assertThrows(MobileNetException.class, a::toTensor);
        assertEquals("w.npz: member 'n': dtype int64 (2,) where float32 is needed",
                assertThrows(MobileNetException.class, () -> a.toTensor("w.npz: member 'n'")).getMessage());
        assertArrayEquals(A, NpyArray.of(new Tensor(new int[] {6}, A)).toTensor().data());
    }
}
