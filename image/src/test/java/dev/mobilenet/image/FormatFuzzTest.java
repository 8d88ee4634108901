package dev.mobilenet.image;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.MobileNetException;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The BMP/DIB and GIF decoders, the PNG chunk walk and the JPEG marker walk on mutated fixtures (flipped and
 * overwritten bytes, truncations, insertions): each either succeeds or fails with its one-line exception, never
 * with another exception, and every call returns.
 */
class FormatFuzzTest {
    private static final long SMALL = 1L << 22;

    @Test
    void mutatedFilesFailCleanly() {
        Random rnd = new Random(12);
        int runs = 0;
        int ok = 0;
        for (JsonNode c : FormatEdgeCaseTest.manifest().get("cases")) {
            String file = c.get("file").asText();
            byte[] original = FormatEdgeCaseTest.resource(file);
            if (original.length > 16_384) {
                continue; // the 65 MiB-of-text PNG: each mutation would inflate it all again
            }
            for (int i = 0; i < 150; i++) {
                byte[] b = mutate(original, rnd);
                runs++;
                if (run(file + "#" + i, b)) {
                    ok++;
                }
            }
        }
        System.out.println("fuzz: " + runs + " mutated files, " + ok + " decoded, the rest refused with one line");
        assertTrue(runs > 15_000);
    }

    private static byte[] mutate(byte[] b, Random rnd) {
        byte[] m;
        switch (rnd.nextInt(4)) {
            case 0 -> {
                m = b.clone();
                for (int k = 1 + rnd.nextInt(4); k > 0; k--) {
                    m[rnd.nextInt(m.length)] ^= (byte) (1 << rnd.nextInt(8));
                }
            }
            case 1 -> {
                m = b.clone();
                int from = rnd.nextInt(m.length);
                for (int j = from; j < Math.min(m.length, from + 1 + rnd.nextInt(16)); j++) {
                    m[j] = (byte) rnd.nextInt(256);
                }
            }
            case 2 -> m = Arrays.copyOf(b, rnd.nextInt(b.length));
            default -> {
                int at = rnd.nextInt(b.length);
                byte[] ins = new byte[1 + rnd.nextInt(8)];
                rnd.nextBytes(ins);
                m = new byte[b.length + ins.length];
                System.arraycopy(b, 0, m, 0, at);
                System.arraycopy(ins, 0, m, at, ins.length);
                System.arraycopy(b, at, m, at + ins.length, b.length - at);
            }
        }
        return m;
    }

    /** Runs the format's own code on {@code b}; true if it decoded. */
    private static boolean run(String name, byte[] b) {
        SizeCheck limit = (n, w, h) -> {
            if (w > SMALL / h) {
                throw new MobileNetException(n + ": too large for the fuzz test");
            }
        };
        try {
            if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
                BmpDecoder.decode(b, name, false, limit);
            } else if (BmpDecoder.looksLikeDib(b)) {
                BmpDecoder.decode(b, name, true, limit);
            } else if (b.length >= 3 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
                GifDecoder.decode(b, name, limit);
            } else if (b.length >= 29 && (b[0] & 0xff) == 0x89 && b[1] == 'P') {
                PngChunks.check(b, name);
            } else if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8 && (b[2] & 0xff) == 0xFF) {
                try {
                    JpegHeader.parse(b).colorSpace();
                } catch (IllegalArgumentException e) {
                    return false;
                }
            } else {
                return false;
            }
            return true;
        } catch (MobileNetException e) {
            if (!e.getMessage().startsWith(name + ": ") || e.getMessage().contains("\n")) {
                fail("not a one-line error naming the file: " + e.getMessage());
            }
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError(name + ": " + e, e);
        }
    }
}
