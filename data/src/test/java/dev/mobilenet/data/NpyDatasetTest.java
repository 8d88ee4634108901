package dev.mobilenet.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.io.Npy;
import dev.mobilenet.tensor.Tensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NpyDatasetTest {
    @TempDir
    Path dir;

    Path images(int... shape) {
        Path p = dir.resolve("x.npy");
        float[] data = new float[(int) Tensor.numel(shape)];
        for (int i = 0; i < data.length; i++) {
            data[i] = i * 0.5f;
        }
        Npy.write(p, new Tensor(shape, data));
        return p;
    }

    Path labels(long... values) {
        Path p = dir.resolve("y.npy");
        Npy.writeLong(p, new int[] {values.length}, values);
        return p;
    }

    /** An int32 .npy written by hand (Npy writes int64 only). */
    Path int32Labels(int... values) throws IOException {
        String dict = "{'descr': '<i4', 'fortran_order': False, 'shape': (" + values.length + ",), }";
        int pad = 64 - (10 + dict.length() + 1) % 64;
        String header = dict + " ".repeat(pad % 64) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int v : values) {
            b.putInt(v);
        }
        Path p = dir.resolve("y32.npy");
        Files.write(p, b.array());
        return p;
    }

    @Test
    void loadsInt64AndInt32Labels() throws IOException {
        NpyDataset d = NpyDataset.load(images(3, 3, 2, 2), labels(0, 4, 2), 0);
        assertEquals(3, d.size());
        assertEquals(5, d.numClasses());
        assertEquals(4, d.label(1));
        float[] out = new float[12];
        d.load(1, null, out, 0);
        assertEquals(6.0f, out[0]);
        NpyDataset d32 = NpyDataset.load(images(3, 3, 2, 2), int32Labels(1, 0, 9), 10);
        assertArrayEquals(new int[] {1, 0, 9}, d32.labels());
        assertEquals(10, d32.numClasses());
    }

    @Test
    void validationErrors() throws IOException {
        assertMessage(images(3, 3, 2, 2), labels(0, 1), 0, "has 3 images but");
        assertMessage(images(3, 2, 2), labels(0, 1, 1), 0, "images must have shape [N, C, H, W], got [3, 2, 2]");
        assertMessage(images(2, 3, 2, 2), images(2, 3, 2, 2), 0, "labels must be int64 or int32");
        Path x = images(2, 3, 2, 2);
        Npy.writeLong(dir.resolve("y2.npy"), new int[] {2, 1}, new long[] {0, 1});
        assertMessage(x, dir.resolve("y2.npy"), 0, "labels must have shape [N], got [2, 1]");
        assertMessage(x, labels(0, 3), 3, "label at index 1 is 3, outside [0, 3)");
        assertMessage(x, labels(0, -2), 0, "label at index 1 is negative (-2)");
        assertMessage(x, int32Labels(5, 0), 4, "label at index 0 is 5, outside [0, 4)");
        Npy.writeLong(dir.resolve("xi.npy"), new int[] {2, 3, 2, 2}, new long[24]);
        assertMessage(dir.resolve("xi.npy"), labels(0, 1), 0, "images must be float32, got int64");
    }

    private static void assertMessage(Path x, Path y, int classes, String expected) {
        MobileNetException e = assertThrows(MobileNetException.class, () -> NpyDataset.load(x, y, classes));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
