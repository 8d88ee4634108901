package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.Printable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/** Small helpers shared by the file-format readers and writers of this package. */
final class IoSupport {
    /** Chunk size for streaming conversions; a multiple of every element size. */
    static final int CHUNK_BYTES = 1 << 16;

    private IoSupport() {
    }

    /** Quotes a name taken from a file for an error message: control characters escaped, length bounded. */
    static String quote(String s) {
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 120);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\u2028' || c == '\u2029') {
                sb.append(String.format("\\x%02x", (int) c & 0xff));
            } else if (c == '\'' || c == '\\') {
                sb.append('\\').append(c);
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    /** A short, one-line description of why an I/O operation failed. */
    static String describe(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NotDirectoryException) {
            return "not a directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return Printable.oneLine(fse.getReason());
        }
        String msg = e.getMessage();
        return Printable.oneLine(msg == null ? e.getClass().getSimpleName() : msg);
    }

    /** A shape in Python tuple notation, as numpy prints it: {@code ()}, {@code (5,)}, {@code (2, 3)}. */
    static String pyShape(long[] shape) {
        return joinShape(shape, "(", shape.length == 1 ? ",)" : ")");
    }

    static String pyShape(int[] shape) {
        long[] l = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            l[i] = shape[i];
        }
        return pyShape(l);
    }

    /** A shape in JSON list notation: {@code []}, {@code [2, 3]}. */
    static String jsonShape(long[] shape) {
        return joinShape(shape, "[", "]");
    }

    private static String joinShape(long[] shape, String open, String close) {
        StringBuilder sb = new StringBuilder(open);
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(close).toString();
    }

    /** {@code bytes} as UTF-8 text; malformed input is an error whose message is {@code error}. */
    static String strictUtf8(byte[] bytes, String error) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new MobileNetException(error);
        }
    }

    /**
     * Streams the elements of {@code array} little-endian through {@code chunk} (a buffer of {@link #CHUNK_BYTES},
     * little-endian), without a copy of the whole array.
     */
    static void writeElements(OutputStream out, NpyArray array, ByteBuffer chunk) throws IOException {
        int n = array.size();
        int item = array.isFloat() ? 4 : 8;
        int per = CHUNK_BYTES / item;
        for (int done = 0; done < n; done += per) {
            int count = Math.min(per, n - done);
            chunk.clear();
            if (array.isFloat()) {
                chunk.asFloatBuffer().put(array.floats(), done, count);
            } else {
                chunk.asLongBuffer().put(array.longs(), done, count);
            }
            out.write(chunk.array(), 0, count * item);
        }
    }

    /**
     * Element count of a shape whose dimensions are already known to be non-negative, or -1 if it
     * overflows a long.
     */
    static long numelOrMinusOne(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d == 0) {
                return 0;
            }
        }
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                return -1;
            }
        }
        return n;
    }

    /**
     * Converts IEEE 754 binary16 bits (the low 16 bits of {@code bits}) to the float with the same
     * value. Every half value is exactly representable as a float, so this is exact, including
     * signed zeros, subnormals, infinities and NaN payloads.
     */
    static float halfToFloat(int bits) {
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            // Infinity (mant == 0) or NaN; keep the payload in the high mantissa bits.
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            // Zero or subnormal: mant * 2^-24, exact in float arithmetic.
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
    }

    /** Converts bfloat16 bits (the low 16 bits of {@code bits}) to float: they are the float's high half. */
    static float bf16ToFloat(int bits) {
        return Float.intBitsToFloat((bits & 0xffff) << 16);
    }
}
