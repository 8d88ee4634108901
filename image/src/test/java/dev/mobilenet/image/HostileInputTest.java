package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Truncated, corrupt and oversized inputs: one MobileNetException line naming the file, nothing else. */
class HostileInputTest {
    private static final String[] FILES = {
        "jpeg_420_160x120.jpg", "jpeg_progressive_160x120.jpg", "jpeg_cmyk_37x23.jpg", "png_rgb_37x23.png",
        "png_p_trns_37x23.png", "png_rgb16_37x23.png", "bmp_rgb_37x23.bmp", "bmp_p_37x23.bmp", "gif_p_37x23.gif",
        "webp_lossless_37x23.webp", "webp_lossy_37x23.webp"
    };

    /** Decodes, and if it fails, checks that the failure is one line about this file. */
    private static String outcome(byte[] data, String name) {
        try {
            new ImageDecoder().decode(data, name);
            return "ok";
        } catch (MobileNetException e) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
            return "error";
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "jpeg_420_160x120.jpg", "jpeg_progressive_160x120.jpg", "jpeg_cmyk_37x23.jpg", "png_rgb_37x23.png",
        "png_p_trns_37x23.png", "png_rgb16_37x23.png", "bmp_rgb_37x23.bmp", "bmp_p_37x23.bmp", "gif_p_37x23.gif",
        "webp_lossless_37x23.webp", "webp_lossy_37x23.webp"})
    void truncatedFilesFailCleanly(String file) {
        byte[] full = Fixtures.bytes(file);
        List<String> outcomes = new ArrayList<>();
        for (double f : new double[] {0.0, 0.05, 0.25, 0.5, 0.75, 0.9}) {
            int n = Math.max(1, (int) (full.length * f));
            byte[] cut = java.util.Arrays.copyOf(full, n);
            String o = outcome(cut, file + "[:" + n + "]");
            outcomes.add(n + ":" + o);
            assertEquals("error", o, file + " cut to " + n + " of " + full.length + " bytes decoded without error");
        }
        for (int n : new int[] {1, 2, 3, 7, 12, 16, 30}) {
            if (n < full.length) {
                outcomes.add(n + ":" + outcome(java.util.Arrays.copyOf(full, n), file + "[:" + n + "]"));
            }
        }
        System.out.println("truncated " + file + " " + outcomes);
    }

    @Test
    void randomBytesAndCorruptBodies() {
        Random rnd = new Random(7);
        for (int i = 0; i < 50; i++) {
            byte[] b = new byte[1 + rnd.nextInt(3000)];
            rnd.nextBytes(b);
            assertEquals("error", outcome(b, "random" + i));
        }
        for (String file : FILES) {
            byte[] full = Fixtures.bytes(file);
            for (int i = 0; i < 20; i++) {
                byte[] b = full.clone();
                int from = Math.min(b.length - 1, 12 + rnd.nextInt(Math.max(1, b.length - 12)));
                for (int j = from; j < Math.min(b.length, from + 1 + rnd.nextInt(40)); j++) {
                    b[j] = (byte) rnd.nextInt(256);
                }
                outcome(b, file + "#" + i); // decodes (as Pillow often would) or fails with one line
            }
        }
    }

    @Test
    void emptyFileAndUnknownSignature() {
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new ImageDecoder().decode(new byte[0], "empty.jpg"));
        assertTrue(e.getMessage().contains("empty.jpg") && e.getMessage().contains("empty"), e.getMessage());
        e = assertThrows(MobileNetException.class,
                () -> new ImageDecoder().decode("hello world".getBytes(), "x.png"));
        assertTrue(e.getMessage().contains("unrecognised signature"), e.getMessage());
    }

    @Test
    void directoryAndMissingFile(@TempDir Path dir) {
        MobileNetException e = assertThrows(MobileNetException.class, () -> new ImageDecoder().decode(dir));
        assertTrue(e.getMessage().contains("directory"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> new ImageDecoder().decode(dir.resolve("nope.jpg")));
        assertTrue(e.getMessage().contains("no such file"), e.getMessage());
    }

    @Test
    void extensionIsIgnored(@TempDir Path dir) throws Exception {
        Path p = dir.resolve("actually_a_png.jpg");
        Files.write(p, Fixtures.bytes("png_rgb_37x23.png"));
        RgbImage img = new ImageDecoder().decode(p);
        assertEquals(37, img.width());
    }

    /** A valid-looking PNG header declaring a huge image and no pixel data. */
    static byte[] pngHeader(int width, int height) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(out, "IHDR", ihdr.array());
        Deflater d = new Deflater();
        d.setInput(new byte[] {0, 1, 2, 3});
        d.finish();
        byte[] z = new byte[64];
        int n = d.deflate(z);
        chunk(out, "IDAT", java.util.Arrays.copyOf(z, n));
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        out.writeBytes(t);
        out.writeBytes(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] bmpHeader(int width, int height) {
        ByteBuffer b = ByteBuffer.allocate(54 + 16).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 'B').put((byte) 'M').putInt(54 + 16).putInt(0).putInt(54);
        b.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0).putInt(16)
                .putInt(2835).putInt(2835).putInt(0).putInt(0);
        return b.array();
    }

    @Test
    void hugeDeclaredSizesAreRefusedBeforeDecoding() {
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        for (byte[] b : List.of(pngHeader(100_000, 100_000), pngHeader(Integer.MAX_VALUE, 3),
                bmpHeader(50_000, 50_000), bmpHeader(1 << 30, 1 << 30))) {
            MobileNetException e = assertThrows(MobileNetException.class,
                    () -> new ImageDecoder().decode(b, "bomb"));
            assertTrue(e.getMessage().contains("exceeds the limit") && e.getMessage().contains("bomb"),
                    e.getMessage());
        }
        // a JPEG frame header declaring 65500 x 65500
        byte[] jpeg = Fixtures.bytes("jpeg_444_37x23.jpg");
        int sof = 2;
        while (!((jpeg[sof] & 0xff) == 0xFF && (jpeg[sof + 1] & 0xff) == 0xC0)) {
            sof++;
        }
        jpeg[sof + 5] = (byte) 0xFF;
        jpeg[sof + 6] = (byte) 0xDC;
        jpeg[sof + 7] = (byte) 0xFF;
        jpeg[sof + 8] = (byte) 0xDC;
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new ImageDecoder().decode(jpeg, "bomb.jpg"));
        assertTrue(e.getMessage().contains("65500x65500"), e.getMessage());
        long after = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        assertTrue(after - before < 200L << 20, "refusing should not allocate pixel memory");
    }

    @Test
    void theBoundIsAnOption() {
        byte[] png = Fixtures.bytes("png_rgb_37x23.png");
        assertEquals(37 * 23, new ImageDecoder(37 * 23).decode(png, "a").width() * 23);
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new ImageDecoder(37 * 23 - 1).decode(png, "small.png"));
        assertTrue(e.getMessage().contains("37x23 (851 pixels) exceeds the limit of 850"), e.getMessage());
        for (String file : FILES) {
            byte[] b = Fixtures.bytes(file);
            RgbImage img = new ImageDecoder().decode(b, file);
            long pixels = (long) img.width() * img.height();
            assertThrows(MobileNetException.class, () -> new ImageDecoder(pixels - 1).decode(b, file), file);
        }
        assertEquals(2L * 89_478_485, new ImageDecoder().maxPixels());
    }
}
