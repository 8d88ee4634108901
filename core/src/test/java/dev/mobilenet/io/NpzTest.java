package dev.mobilenet.io;

import static dev.mobilenet.io.IoTestSupport.resource;
import static dev.mobilenet.io.IoTestSupport.validOrMobileNetException;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpzTest {
    @TempDir
    Path dir;

    private static final float[] A = {-1f, -0.5f, 0f, 0.5f, 1f, 1.5f};

    /** A zip with the given members, each stored or deflated. */
    private static byte[] zip(boolean deflate, Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (ZipOutputStream zos = new ZipOutputStream(bos)) {
            for (Map.Entry<String, byte[]> m : members.entrySet()) {
                ZipEntry e = new ZipEntry(m.getKey());
                if (!deflate) {
                    CRC32 crc = new CRC32();
                    crc.update(m.getValue());
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(m.getValue().length);
                    e.setCompressedSize(m.getValue().length);
                    e.setCrc(crc.getValue());
                } else {
                    e.setMethod(ZipEntry.DEFLATED);
                }
                zos.putNextEntry(e);
                zos.write(m.getValue());
                zos.closeEntry();
            }
        }
        return bos.toByteArray();
    }

    private Path file(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    private static Map<String, byte[]> sampleMembers() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("zeta.npy", Npy.toBytes(new Tensor(new int[] {2, 3}, A)));
        m.put("alpha.npy", Npy.toBytes(new int[0], new long[] {42}));
        m.put("blocks.0.conv.weight.npy", Npy.toBytes(new Tensor(new int[] {1, 0}, new float[0])));
        m.put("raw", Npy.toBytes(new Tensor(new int[] {1}, new float[] {9f})));
        return m;
    }

    private static void checkSample(Map<String, NpyArray> got) {
        assertEquals(List.of("zeta", "alpha", "blocks.0.conv.weight", "raw"), new ArrayList<>(got.keySet()));
        assertArrayEquals(A, got.get("zeta").floats());
        assertArrayEquals(new int[] {2, 3}, got.get("zeta").shape());
        assertEquals(NpyArray.ofLong(new int[0], new long[] {42}), got.get("alpha"));
        assertArrayEquals(new int[] {1, 0}, got.get("blocks.0.conv.weight").shape());
        assertArrayEquals(new float[] {9f}, got.get("raw").floats());
    }

    @Test
    void readsStoredAndDeflatedZips() throws IOException {
        checkSample(Npz.read(file("stored.npz", zip(false, sampleMembers()))));
        checkSample(Npz.read(file("deflated.npz", zip(true, sampleMembers()))));
    }

    @Test
    void skipsDirectoryEntries() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("sub/", new byte[0]);
        m.put("sub/x.npy", Npy.toBytes(new Tensor(new int[] {1}, new float[] {1f})));
        assertEquals(List.of("sub/x"), new ArrayList<>(Npz.read(file("d.npz", zip(true, m))).keySet()));
    }

    @Test
    void readsNumpyArchives() {
        for (String name : new String[] {"savez.npz", "savez_compressed.npz"}) {
            Map<String, NpyArray> got = Npz.read(resourcePath(name));
            assertEquals(List.of("a", "n"), new ArrayList<>(got.keySet()));
            assertArrayEquals(A, got.get("a").toTensor().data());
            assertEquals(NpyArray.ofLong(new int[0], new long[] {12}), got.get("n"));
        }
    }

    @Test
    void readsProjectFixtureIfPresent() {
        URL url = NpzTest.class.getResource("/fixtures/mobilenetv1_100__64x64_b2.npz");
        assumeTrue(url != null, "project fixtures not present");
        Map<String, NpyArray> got = Npz.read(toPath(url));
        assertArrayEquals(new int[] {2, 1000}, got.get("logits").shape());
        assertEquals("float32", got.get("logits").dtype());
    }

    private static Path resourcePath(String name) {
        URL url = NpzTest.class.getResource("/io/" + name);
        assertTrue(url != null, name);
        return toPath(url);
    }

    private static Path toPath(URL url) {
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void writeRoundTrip() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("z", new Tensor(new int[] {2, 3}, A));
        tensors.put("a", new Tensor(new int[0], new float[] {Float.NaN}));
        tensors.put("e", new Tensor(new int[] {0, 5}, new float[0]));
        Path p = dir.resolve("out.npz");
        Npz.write(p, tensors);
        Map<String, NpyArray> back = Npz.read(p);
        assertEquals(List.of("z", "a", "e"), new ArrayList<>(back.keySet()));
        for (String k : tensors.keySet()) {
            assertArrayEquals(tensors.get(k).shape(), back.get(k).shape());
            assertArrayEquals(tensors.get(k).data(), back.get(k).floats());
        }
        try (ZipFile zf = new ZipFile(p.toFile())) {
            List<String> names = new ArrayList<>();
            zf.stream().forEach(e -> {
                names.add(e.getName());
                assertEquals(ZipEntry.STORED, e.getMethod());
            });
            assertEquals(List.of("z.npy", "a.npy", "e.npy"), names);
            assertArrayEquals(Npy.toBytes(tensors.get("z")), zf.getInputStream(zf.getEntry("z.npy")).readAllBytes());
        }
        // Deterministic output.
        Path q = dir.resolve("again.npz");
        Npz.write(q, tensors);
        assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(q));
    }

    @Test
    void writeMixedRoundTrip() {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        arrays.put("w", NpyArray.of(new Tensor(new int[] {3}, new float[] {1, 2, 3})));
        arrays.put("bn.num_batches_tracked", NpyArray.ofLong(new int[0], new long[] {Long.MAX_VALUE}));
        arrays.put("idx", NpyArray.ofLong(new int[] {2, 2}, new long[] {-1, 0, 1, 2}));
        Path p = dir.resolve("mixed.npz");
        Npz.writeMixed(p, arrays);
        assertEquals(arrays, Npz.read(p));
    }

    // ------------------------------------------------------------ hostile input

    @Test
    void missingOrNotAZip() throws IOException {
        Path missing = dir.resolve("x.npz");
        assertEquals(missing + ": no such file",
                assertThrows(MobileNetException.class, () -> Npz.read(missing)).getMessage());
        Path junk = file("junk.npz", "this is not a zip file at all".getBytes());
        String msg = assertThrows(MobileNetException.class, () -> Npz.read(junk)).getMessage();
        assertTrue(msg.startsWith(junk + ": not a valid zip file ("), msg);
        Path empty = file("empty.npz", new byte[0]);
        assertTrue(assertThrows(MobileNetException.class, () -> Npz.read(empty)).getMessage()
                .startsWith(empty + ": not a valid zip file"));
        assertTrue(assertThrows(MobileNetException.class, () -> Npz.read(dir)).getMessage().contains("is a directory"));
    }

    @Test
    void badMemberIsNamed() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("ok.npy", Npy.toBytes(new Tensor(new int[] {1}, new float[] {1f})));
        m.put("readme.txt", "hello".getBytes());
        Path p = file("w.npz", zip(true, m));
        assertEquals(p + ": member 'readme.txt': not a .npy file (bad magic)",
                assertThrows(MobileNetException.class, () -> Npz.read(p)).getMessage());

        Map<String, byte[]> t = new LinkedHashMap<>();
        byte[] whole = Npy.toBytes(new Tensor(new int[] {2, 3}, A));
        t.put("cut.npy", Arrays.copyOf(whole, whole.length - 4));
        Path q = file("t.npz", zip(false, t));
        assertEquals(q + ": member 'cut.npy': truncated: shape (2, 3) float32 needs 24 bytes of data, member has 20",
                assertThrows(MobileNetException.class, () -> Npz.read(q)).getMessage());
    }

    @Test
    void duplicateNamesAfterStripping() throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("a.npy", Npy.toBytes(new Tensor(new int[] {1}, new float[] {1f})));
        m.put("a", Npy.toBytes(new Tensor(new int[] {1}, new float[] {2f})));
        Path p = file("dup.npz", zip(false, m));
        assertEquals(p + ": member 'a': duplicate array name 'a'",
                assertThrows(MobileNetException.class, () -> Npz.read(p)).getMessage());
    }

    @Test
    void memberSizeLimit() throws IOException {
        Path p = file("big.npz", zip(true, sampleMembers()));
        assertEquals(p + ": member 'zeta.npy' declares 152 bytes uncompressed, more than the limit of 100",
                assertThrows(MobileNetException.class, () -> Npz.read(p, 100)).getMessage());
        assertEquals(4L << 30, Npz.MAX_MEMBER_BYTES);
    }

    /** Rewrites the uncompressed size of the first central-directory entry. */
    private static void patchCentralSize(byte[] zip, int newSize) {
        ByteBuffer bb = ByteBuffer.wrap(zip).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = zip.length - 46; i >= 0; i--) {
            if (bb.getInt(i) == 0x02014b50) {
                int first = i;
                // walk back to the first CEN record of the directory
                for (int j = i - 1; j >= 0; j--) {
                    if (bb.getInt(j) == 0x02014b50) {
                        first = j;
                    }
                }
                bb.putInt(first + 24, newSize);
                return;
            }
        }
        throw new AssertionError("no central directory");
    }

    @Test
    void declaredSizeMismatchIsRefused() throws IOException {
        byte[] npy = Npy.toBytes(new Tensor(new int[] {2, 3}, A));
        for (boolean deflate : new boolean[] {true, false}) {
            for (int declared : new int[] {npy.length - 4, npy.length + 4, 1 << 30}) {
                byte[] z = zip(deflate, Map.of("a.npy", npy));
                patchCentralSize(z, declared);
                Path p = file("m" + deflate + declared + ".npz", z);
                MobileNetException e = assertThrows(MobileNetException.class, () -> Npz.read(p));
                assertTrue(e.getMessage().startsWith(p + ": "), e.getMessage());
            }
        }
        byte[] z = zip(true, Map.of("a.npy", npy));
        patchCentralSize(z, npy.length + 4);
        Path p = file("plus4.npz", z);
        assertEquals(p + ": member 'a.npy': trailing data: shape (2, 3) float32 needs 24 bytes of data, member has 28",
                assertThrows(MobileNetException.class, () -> Npz.read(p)).getMessage());
    }

    @Test
    void crcMismatchIsRefused() throws IOException {
        byte[] npy = Npy.toBytes(new Tensor(new int[] {2, 3}, A));
        byte[] z = zip(false, Map.of("a.npy", npy));
        // Flip a data byte of the stored member (the last byte of the member's data).
        int at = indexOf(z, npy) + npy.length - 1;
        z[at] ^= 0x01;
        Path p = file("crc.npz", z);
        assertEquals(p + ": member 'a.npy': CRC mismatch, the data is corrupt",
                assertThrows(MobileNetException.class, () -> Npz.read(p)).getMessage());
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new AssertionError("not found");
    }

    @Test
    void truncatedAtEveryCutPoint() throws IOException {
        for (boolean deflate : new boolean[] {false, true}) {
            byte[] full = zip(deflate, sampleMembers());
            Path p = dir.resolve("cut" + deflate + ".npz");
            for (int cut = 0; cut < full.length; cut++) {
                Files.write(p, Arrays.copyOf(full, cut));
                int c = cut;
                validOrMobileNetException("cut " + c, () -> Npz.read(p));
            }
        }
    }

    @Test
    void flippedBytesNeverEscape() throws IOException {
        Random rnd = new Random(1);
        for (boolean deflate : new boolean[] {false, true}) {
            byte[] full = zip(deflate, sampleMembers());
            for (int pos = 0; pos < full.length; pos++) {
                for (int k = 0; k < 2; k++) {
                    byte[] b = full.clone();
                    b[pos] = k == 0 ? (byte) ~b[pos] : (byte) rnd.nextInt(256);
                    Path p = dir.resolve("flip" + deflate + pos + "_" + k + ".npz");
                    Files.write(p, b);
                    int at = pos;
                    validOrMobileNetException("flip at " + at, () -> Npz.read(p));
                    Files.delete(p);
                }
            }
        }
    }
}
