package dev.mobilenet.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Fixture files on the test class path, as the tools/ generators write them, and the digest they record. */
public final class TestResources {
    private TestResources() {
    }

    /** {@code /dir/name}; a missing file names the generator that makes it. */
    public static byte[] bytes(String dir, String name, String generator) {
        try (InputStream in = TestResources.class.getResourceAsStream("/" + dir + "/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing fixture " + dir + "/" + name + " (run " + generator + ")");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode json(String dir, String name, String generator) {
        try {
            return new ObjectMapper().readTree(bytes(dir, name, generator));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lower-case hex SHA-256, as Python's {@code hashlib.sha256(b).hexdigest()}. */
    public static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
