package dev.mobilenet.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/** Helpers shared by the io tests. */
final class IoTestSupport {
    private IoTestSupport() {
    }

    static byte[] resource(String name) {
        try (InputStream in = IoTestSupport.class.getResourceAsStream("/io/" + name)) {
            assertNotNull(in, "missing test resource /io/" + name);
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A .npy file with the given header text (not padded), version and data bytes. */
    static byte[] npy(int major, String header, byte[] data) {
        byte[] h = header.getBytes(major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        int lenBytes = major == 1 ? 2 : 4;
        ByteBuffer bb = ByteBuffer.allocate(8 + lenBytes + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(Npy.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            bb.putShort((short) h.length);
        } else {
            bb.putInt(h.length);
        }
        return bb.put(h).put(data).array();
    }

    static byte[] npy(String header, byte[] data) {
        return npy(1, header, data);
    }

    static byte[] floatsLE(float... v) {
        ByteBuffer bb = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v) {
            bb.putFloat(f);
        }
        return bb.array();
    }

    /** Runs {@code r}; passes if it returns or throws a well-formed MobileNetException, fails otherwise. */
    static void validOrMobileNetException(String what, Runnable r) {
        try {
            r.run();
        } catch (MobileNetException e) {
            String msg = e.getMessage();
            assertNotNull(msg, what);
            assertFalse(msg.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029),
                    what + ": message is not one clean line: " + msg);
        } catch (Throwable t) {
            fail(what + ": unexpected " + t, t);
        }
    }
}
