package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes NumPy {@code .npy} files (format versions 1.0, 2.0 and 3.0).
 *
 * <p>Reading accepts float32 and float64 (converted to float32) and int32 and int64 (widened to
 * int64), little- or big-endian, C order. Every malformed input is reported as a one-line
 * {@link MobileNetException} naming the file. Writing produces little-endian float32 or int64
 * arrays with a version 1.0 header padded so the data starts at a multiple of 64 bytes, like
 * {@code np.save}.
 */
public final class Npy {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    /** Longest header accepted; numpy itself refuses more than 10000 bytes by default. */
    static final int MAX_HEADER_BYTES = 1 << 20;
    private static final int MAX_RANK = 64;
    private static final int ALIGN = 64;
    private static final Pattern DESCR = Pattern.compile("([<>|=]?)([a-zA-Z])(\\d{1,4})");

    private Npy() {
    }

    // ---------------------------------------------------------------- reading

    /** Reads a float32/float64/int32/int64 array; float64 becomes float32 and int32 becomes int64. */
    public static NpyArray read(Path path) {
        return readPath(path, false);
    }

    /** Parses the bytes of a whole {@code .npy} file; {@code sourceName} starts every error message. */
    public static NpyArray read(byte[] bytes, String sourceName) {
        try {
            return decode(new ByteArrayInputStream(bytes), bytes.length, sourceName, "file", false);
        } catch (IOException e) {
            throw new MobileNetException(sourceName + ": cannot read: " + IoSupport.describe(e), e);
        }
    }

    /** Reads a float32 array (float64 is converted) as a tensor; other dtypes are refused. */
    public static Tensor readFloat(Path path) {
        return readPath(path, true).toTensor(path.toString());
    }

    private static NpyArray readPath(Path path, boolean floatOnly) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new MobileNetException(name + ": is a directory, not a .npy file");
        }
        InputFiles.checkedSize(path, Long.MAX_VALUE, ".npy file");
        try {
            long size = Files.size(path);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(path), IoSupport.CHUNK_BYTES)) {
                return decode(in, size, name, "file", floatOnly);
            }
        } catch (NoSuchFileException e) {
            throw new MobileNetException(name + ": no such file", e);
        } catch (IOException e) {
            throw new MobileNetException(name + ": cannot read: " + IoSupport.describe(e), e);
        }
    }

    /** The parsed header of a .npy file. */
    private record Header(char kind, int itemSize, ByteOrder order, String dtypeName, int[] shape, int numel,
                          long dataStart) {
        long dataBytes() {
            return (long) numel * itemSize;
        }
    }

    /**
     * Decodes one .npy file from a stream.
     *
     * @param total the stream's length in bytes, or -1 if unknown; when known, it must match what the
     *     header implies
     * @param name prefix of every error message, e.g. {@code "x.npy"} or {@code "w.npz: member 'a.npy'"}
     * @param noun what holds the bytes, for messages ("file has N")
     * @param floatOnly refuse integer dtypes
     */
    static NpyArray decode(InputStream in, long total, String name, String noun, boolean floatOnly)
            throws IOException {
        Header h = readHeader(in, total, name, noun, floatOnly);
        long need = h.dataBytes();
        if (total >= 0) {
            long avail = total - h.dataStart();
            if (avail != need) {
                throw sizeMismatch(name, noun, h, avail);
            }
        }
        int n = h.numel();
        float[] floats = null;
        long[] longs = null;
        try {
            if (h.kind() == 'f') {
                floats = new float[n];
            } else {
                longs = new long[n];
            }
        } catch (OutOfMemoryError e) {
            throw new MobileNetException(name + ": not enough memory for shape " + IoSupport.pyShape(h.shape())
                    + " " + h.dtypeName() + " (" + n + " elements)");
        }
        byte[] chunk = new byte[(int) Math.min(IoSupport.CHUNK_BYTES, Math.max(need, 8))];
        ByteBuffer buf = ByteBuffer.wrap(chunk).order(h.order());
        int itemSize = h.itemSize();
        int done = 0;
        while (done < n) {
            int count = Math.min(n - done, chunk.length / itemSize);
            int bytes = count * itemSize;
            int got = readUpTo(in, chunk, 0, bytes);
            if (got < bytes) {
                throw sizeMismatch(name, noun, h, (long) done * itemSize + got);
            }
            buf.clear();
            switch (h.kind() * 16 + itemSize) {
                case 'f' * 16 + 4 -> buf.asFloatBuffer().get(floats, done, count);
                case 'f' * 16 + 8 -> {
                    for (int i = 0; i < count; i++) {
                        floats[done + i] = (float) buf.getDouble(i * 8);
                    }
                }
                case 'i' * 16 + 8 -> buf.asLongBuffer().get(longs, done, count);
                case 'i' * 16 + 4 -> {
                    for (int i = 0; i < count; i++) {
                        longs[done + i] = buf.getInt(i * 4);
                    }
                }
                default -> throw new IllegalStateException("unhandled dtype " + h.dtypeName());
            }
            done += count;
        }
        if (in.read() >= 0) {
            throw new MobileNetException(name + ": trailing data: shape " + IoSupport.pyShape(h.shape()) + " "
                    + h.dtypeName() + " needs " + need + " bytes of data, " + noun + " has more");
        }
        return floats != null ? new NpyArray(NpyArray.FLOAT32, h.shape(), floats, null)
                : new NpyArray(NpyArray.INT64, h.shape(), null, longs);
    }

    private static MobileNetException sizeMismatch(String name, String noun, Header h, long avail) {
        String what = avail < h.dataBytes() ? "truncated" : "trailing data";
        return new MobileNetException(name + ": " + what + ": shape " + IoSupport.pyShape(h.shape()) + " "
                + h.dtypeName() + " needs " + h.dataBytes() + " bytes of data, " + noun + " has " + avail);
    }

    private static Header readHeader(InputStream in, long total, String name, String noun, boolean floatOnly)
            throws IOException {
        byte[] pre = new byte[8];
        int got = readUpTo(in, pre, 0, 8);
        if (got == 0) {
            throw new MobileNetException(name + ": empty " + noun + ", not a .npy file");
        }
        for (int i = 0; i < Math.min(got, MAGIC.length); i++) {
            if (pre[i] != MAGIC[i]) {
                throw new MobileNetException(name + ": not a .npy file (bad magic)");
            }
        }
        if (got < 8) {
            throw new MobileNetException(name + ": truncated: " + noun + " ends inside the .npy preamble ("
                    + got + " bytes)");
        }
        int major = pre[6] & 0xff;
        int minor = pre[7] & 0xff;
        if ((major != 1 && major != 2 && major != 3) || minor != 0) {
            throw new MobileNetException(name + ": unsupported .npy format version " + major + "." + minor
                    + " (want 1.0, 2.0 or 3.0)");
        }
        int lenBytes = major == 1 ? 2 : 4;
        byte[] lb = new byte[lenBytes];
        if (readUpTo(in, lb, 0, lenBytes) < lenBytes) {
            throw new MobileNetException(name + ": truncated: " + noun + " ends inside the .npy header length");
        }
        long headerLen = lenBytes == 2 ? (lb[0] & 0xffL) | (lb[1] & 0xffL) << 8
                : ByteBuffer.wrap(lb).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        long dataStart = 8 + lenBytes + headerLen;
        if (total >= 0 && dataStart > total) {
            throw new MobileNetException(name + ": header length " + headerLen + " extends beyond the end of the "
                    + noun + " (" + total + " bytes)");
        }
        if (headerLen > MAX_HEADER_BYTES) {
            throw new MobileNetException(name + ": header length " + headerLen + " is too large (limit "
                    + MAX_HEADER_BYTES + ")");
        }
        byte[] hb = new byte[(int) headerLen];
        if (readUpTo(in, hb, 0, hb.length) < hb.length) {
            throw new MobileNetException(name + ": truncated: " + noun + " ends inside the .npy header");
        }
        // Versions 1 and 2 use latin-1, version 3 UTF-8.
        String text = major == 3 ? IoSupport.strictUtf8(hb, name + ": malformed header: not valid UTF-8")
                : new String(hb, StandardCharsets.ISO_8859_1);
        Object parsed;
        try {
            parsed = PyLiteral.parse(text);
        } catch (PyLiteral.SyntaxError e) {
            throw new MobileNetException(name + ": malformed header: " + e.getMessage());
        }
        if (!(parsed instanceof Map<?, ?> dict)) {
            throw new MobileNetException(name + ": malformed header: not a dict");
        }
        for (String key : new String[] {"descr", "fortran_order", "shape"}) {
            if (!dict.containsKey(key)) {
                throw new MobileNetException(name + ": malformed header: missing key '" + key + "'");
            }
        }
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean)) {
            throw new MobileNetException(name + ": malformed header: fortran_order is not True or False");
        }
        if ((Boolean) fortran) {
            throw new MobileNetException(name + ": Fortran-order arrays are not supported"
                    + " (save with np.ascontiguousarray)");
        }
        int[] shape = parseShape(name, dict.get("shape"));
        long numel = 1;
        for (int d : shape) {
            numel *= d; // each factor <= 2^31-1, checked below before it can overflow
            if (numel > Integer.MAX_VALUE) {
                break;
            }
        }
        for (int d : shape) {
            if (d == 0) {
                numel = 0;
            }
        }
        if (numel > Integer.MAX_VALUE) {
            BigInteger exact = BigInteger.ONE;
            for (int d : shape) {
                exact = exact.multiply(BigInteger.valueOf(d));
            }
            throw new MobileNetException(name + ": shape " + IoSupport.pyShape(shape) + " has " + exact
                    + " elements, more than the limit of " + Integer.MAX_VALUE);
        }
        Object descr = dict.get("descr");
        if (descr instanceof List) {
            throw new MobileNetException(name + ": structured dtypes are not supported");
        }
        if (!(descr instanceof String d)) {
            throw new MobileNetException(name + ": malformed header: descr is not a string");
        }
        Matcher m = DESCR.matcher(d);
        String dtypeName = m.matches() ? dtypeName(m.group(2).charAt(0), Integer.parseInt(m.group(3))) : null;
        if (dtypeName == null) {
            throw new MobileNetException(name + ": dtype " + IoSupport.quote(d) + " not supported ("
                    + (floatOnly ? "want float32" : "want float32, float64, int32 or int64") + ")");
        }
        char kind = m.group(2).charAt(0);
        int size = Integer.parseInt(m.group(3));
        boolean supported = (kind == 'f' && (size == 4 || size == 8)) || (!floatOnly && kind == 'i'
                && (size == 4 || size == 8));
        if (!supported) {
            throw new MobileNetException(name + ": dtype " + dtypeName + " not supported ("
                    + (floatOnly ? "want float32" : "want float32, float64, int32 or int64") + ")");
        }
        ByteOrder order = ">".equals(m.group(1)) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        return new Header(kind, size, order, dtypeName, shape, (int) numel, dataStart);
    }

    private static int[] parseShape(String name, Object value) {
        if (!(value instanceof List<?> list)) {
            throw new MobileNetException(name + ": malformed header: shape is not a tuple");
        }
        if (list.size() > MAX_RANK) {
            throw new MobileNetException(name + ": shape has " + list.size() + " dimensions, more than " + MAX_RANK);
        }
        StringBuilder shown = new StringBuilder("(");
        for (int i = 0; i < list.size(); i++) {
            if (!(list.get(i) instanceof BigInteger)) {
                throw new MobileNetException(name + ": malformed header: shape contains a non-integer");
            }
            shown.append(i > 0 ? ", " : "").append(list.get(i));
        }
        shown.append(list.size() == 1 ? ",)" : ")");
        int[] shape = new int[list.size()];
        for (int i = 0; i < shape.length; i++) {
            BigInteger d = (BigInteger) list.get(i);
            if (d.signum() < 0) {
                throw new MobileNetException(name + ": negative dimension " + d + " in shape " + shown);
            }
            if (d.compareTo(BigInteger.valueOf(Integer.MAX_VALUE)) > 0) {
                throw new MobileNetException(name + ": dimension " + d + " too large in shape " + shown);
            }
            shape[i] = d.intValue();
        }
        return shape;
    }

    /** numpy's name for a dtype kind and size, or null if this is not a well-formed numeric dtype. */
    private static String dtypeName(char kind, int size) {
        return switch (kind) {
            case 'f' -> size == 2 || size == 4 || size == 8 || size == 16 ? "float" + 8 * size : null;
            case 'i' -> size == 1 || size == 2 || size == 4 || size == 8 ? "int" + 8 * size : null;
            case 'u' -> size == 1 || size == 2 || size == 4 || size == 8 ? "uint" + 8 * size : null;
            case 'c' -> size == 8 || size == 16 || size == 32 ? "complex" + 8 * size : null;
            case 'b' -> size == 1 ? "bool" : null;
            default -> null;
        };
    }

    /** Reads until {@code len} bytes or end of stream; returns the count read. */
    static int readUpTo(InputStream in, byte[] b, int off, int len) throws IOException {
        int total = 0;
        while (total < len) {
            int r = in.read(b, off + total, len - total);
            if (r < 0) {
                break;
            }
            total += r;
        }
        return total;
    }

    // ---------------------------------------------------------------- writing

    /** Writes a float32 tensor as a little-endian {@code <f4} .npy file, atomically. */
    public static void write(Path path, Tensor tensor) {
        write(path, NpyArray.of(tensor));
    }

    /** Writes an int64 array as a little-endian {@code <i8} .npy file, atomically. */
    public static void writeLong(Path path, int[] shape, long[] data) {
        write(path, NpyArray.ofLong(shape, data));
    }

    /** Writes a float32 or int64 array, atomically. */
    public static void write(Path path, NpyArray array) {
        AtomicFiles.write(path, out -> writeTo(out, array));
    }

    /** The complete .npy file for a float32 tensor. */
    public static byte[] toBytes(Tensor tensor) {
        return toBytes(NpyArray.of(tensor));
    }

    /** The complete .npy file for an int64 array. */
    public static byte[] toBytes(int[] shape, long[] data) {
        return toBytes(NpyArray.ofLong(shape, data));
    }

    /** The complete .npy file for a float32 or int64 array. */
    public static byte[] toBytes(NpyArray array) {
        byte[] header = header(array);
        long size = encodedSize(array);
        if (size > Integer.MAX_VALUE - 8) {
            throw new MobileNetException("array " + IoSupport.pyShape(array.shape()) + " " + array.dtype()
                    + " is too large to encode in memory (" + size + " bytes)");
        }
        byte[] out = new byte[(int) size];
        ByteBuffer bb = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(header);
        if (array.isFloat()) {
            bb.asFloatBuffer().put(array.floats());
        } else {
            bb.asLongBuffer().put(array.longs());
        }
        return out;
    }

    /** Size in bytes of the .npy encoding of {@code array}. */
    static long encodedSize(NpyArray array) {
        return header(array).length + (long) array.size() * (array.isFloat() ? 4 : 8);
    }

    /** Streams the .npy encoding of {@code array}. */
    static void writeTo(OutputStream out, NpyArray array) throws IOException {
        out.write(header(array));
        ByteBuffer chunk = ByteBuffer.allocate(IoSupport.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        IoSupport.writeElements(out, array, chunk);
    }

    /** Magic, version 1.0, header length and the header dict, padded so the data starts 64-byte aligned. */
    static byte[] header(NpyArray array) {
        int[] shape = array.shape();
        if (shape.length > MAX_RANK) {
            throw new IllegalArgumentException("numpy supports at most " + MAX_RANK + " dimensions, got "
                    + shape.length);
        }
        String descr = array.isFloat() ? "<f4" : "<i8";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': "
                + IoSupport.pyShape(shape) + ", }";
        int prefix = MAGIC.length + 2 + 2;
        int len = dict.length() + 1; // with the final newline
        int padded = len + (ALIGN - (prefix + len) % ALIGN) % ALIGN; // < 2000 bytes for 64 dimensions
        ByteBuffer bb = ByteBuffer.allocate(prefix + padded).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) padded);
        bb.put(dict.getBytes(StandardCharsets.US_ASCII));
        for (int i = len; i < padded; i++) {
            bb.put((byte) ' ');
        }
        bb.put((byte) '\n');
        return bb.array();
    }
}
