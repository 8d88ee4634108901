package dev.mobilenet.io;

import dev.mobilenet.Printable;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A Hugging Face safetensors file: an 8-byte little-endian header length N, N bytes of UTF-8 JSON
 * describing the tensors, then the data buffer that the tensors' {@code data_offsets} index into.
 *
 * <p>{@link #open(Path)} memory-maps the file and validates the whole header up front: every
 * malformed file is reported as a one-line {@link MobileNetException} naming the file. Tensors
 * are converted on request: {@link #getFloat} turns F32, F16, BF16 and F64 into float32,
 * {@link #getLong} turns I64, I32 and the narrower integer types into int64. Instances are safe
 * to read from several threads.
 */
public final class SafeTensors implements AutoCloseable {
    /** Largest header accepted, as in the reference implementation. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    /** Size of each memory-mapped region of the data buffer (a mapping is limited to 2 GiB). */
    static final long REGION_BYTES = 1L << 30;
    static final String METADATA_KEY = "__metadata__";

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** Known dtypes and their sizes in bytes. */
    private static final Map<String, Integer> DTYPE_SIZES = Map.ofEntries(
            Map.entry("BOOL", 1), Map.entry("U8", 1), Map.entry("I8", 1), Map.entry("F8_E5M2", 1),
            Map.entry("F8_E4M3", 1), Map.entry("F8_E8M0", 1), Map.entry("I16", 2), Map.entry("U16", 2),
            Map.entry("F16", 2), Map.entry("BF16", 2), Map.entry("I32", 4), Map.entry("U32", 4),
            Map.entry("F32", 4), Map.entry("F64", 8), Map.entry("I64", 8), Map.entry("U64", 8));
    private static final Set<String> FLOATING = Set.of("F16", "BF16", "F32", "F64");
    private static final Set<String> INTEGRAL = Set.of("I8", "U8", "I16", "U16", "I32", "U32", "I64");

    /**
     * One tensor's header entry. {@code begin} and {@code end} are byte offsets into the data
     * buffer, as in the file.
     */
    public record Entry(String name, String dtype, int[] shape, long begin, long end) {
        public Entry {
            shape = shape.clone();
        }

        /** The shape (a copy). */
        @Override
        public int[] shape() {
            return shape.clone();
        }

        /** Number of elements (1 for a scalar). */
        public long numel() {
            return Tensor.numel(shape);
        }

        /** Size of the data in bytes. */
        public long byteSize() {
            return end - begin;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Entry e && name.equals(e.name) && dtype.equals(e.dtype)
                    && Arrays.equals(shape, e.shape) && begin == e.begin && end == e.end;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, dtype, Arrays.hashCode(shape), begin, end);
        }

        @Override
        public String toString() {
            return "Entry[" + name + " " + dtype + " " + Arrays.toString(shape) + " @" + begin + ".." + end + "]";
        }
    }

    private final String source;
    private final Map<String, String> metadata;
    private final Map<String, Entry> entries;
    private final long regionBytes;
    private volatile ByteBuffer[] regions;

    private SafeTensors(String source, Map<String, String> metadata, Map<String, Entry> entries,
                        long regionBytes, ByteBuffer[] regions) {
        this.source = source;
        this.metadata = metadata;
        this.entries = entries;
        this.regionBytes = regionBytes;
        this.regions = regions;
    }

    // ---------------------------------------------------------------- opening

    /** Memory-maps and validates a safetensors file. */
    public static SafeTensors open(Path path) {
        return open(path, REGION_BYTES);
    }

    static SafeTensors open(Path path, long regionBytes) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new MobileNetException(name + ": is a directory, not a safetensors file");
        }
        // A FIFO would block the open below for ever, a device would map as an endless file.
        InputFiles.checkedSize(path, Long.MAX_VALUE, "safetensors file");
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            long headerLen = checkPreamble(name, size, readFully(ch, 0, (int) Math.min(size, 8)));
            byte[] header = readFully(ch, 8, (int) headerLen);
            long dataStart = 8 + headerLen;
            long dataLen = size - dataStart;
            Parsed parsed = parseHeader(name, header, dataLen);
            long count = (dataLen + regionBytes - 1) / regionBytes;
            if (count > 4096) {
                // Only reachable through the test hook: each region is a separate mapping, and the
                // kernel limits how many a process may have.
                throw new IllegalArgumentException("region size " + regionBytes + " too small for " + name);
            }
            ByteBuffer[] regions = new ByteBuffer[(int) count];
            for (int i = 0; i < count; i++) {
                long off = (long) i * regionBytes;
                regions[i] = ch.map(FileChannel.MapMode.READ_ONLY, dataStart + off, Math.min(regionBytes, dataLen - off));
            }
            return new SafeTensors(name, parsed.metadata, parsed.entries, regionBytes, regions);
        } catch (NoSuchFileException e) {
            throw new MobileNetException(name + ": no such file", e);
        } catch (IOException e) {
            throw new MobileNetException(name + ": cannot read: " + IoSupport.describe(e), e);
        }
    }

    /** Parses a whole safetensors file held in memory; {@code name} starts every error message. */
    public static SafeTensors fromBytes(byte[] bytes, String name) {
        return fromBytes(bytes, name, REGION_BYTES);
    }

    static SafeTensors fromBytes(byte[] bytes, String name, long regionBytes) {
        long headerLen = checkPreamble(name, bytes.length, Arrays.copyOf(bytes, Math.min(bytes.length, 8)));
        byte[] header = Arrays.copyOfRange(bytes, 8, 8 + (int) headerLen);
        int dataStart = 8 + (int) headerLen;
        long dataLen = bytes.length - dataStart;
        Parsed parsed = parseHeader(name, header, dataLen);
        int count = (int) ((dataLen + regionBytes - 1) / regionBytes);
        ByteBuffer[] regions = new ByteBuffer[count];
        for (int i = 0; i < count; i++) {
            int off = (int) (i * regionBytes);
            regions[i] = ByteBuffer.wrap(bytes, dataStart + off, (int) Math.min(regionBytes, dataLen - off)).slice();
        }
        return new SafeTensors(name, parsed.metadata, parsed.entries, regionBytes, regions);
    }

    private static byte[] readFully(FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(len);
        while (buf.hasRemaining()) {
            if (ch.read(buf, pos + buf.position()) < 0) {
                throw new IOException("file shrank while reading");
            }
        }
        return buf.array();
    }

    /** Validates the file size and header length; returns the header length. */
    private static long checkPreamble(String name, long size, byte[] first8) {
        if (size < 8) {
            throw new MobileNetException(name + ": file too short (" + size + " bytes) to be a safetensors file");
        }
        long n = ByteBuffer.wrap(first8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (n < 0 || n > size - 8) {
            throw new MobileNetException(name + ": header length " + Long.toUnsignedString(n)
                    + " extends beyond the end of the file (" + size + " bytes); not a safetensors file?");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new MobileNetException(name + ": header length " + n + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        return n;
    }

    private record Parsed(Map<String, String> metadata, Map<String, Entry> entries) {
    }

    private static Parsed parseHeader(String name, byte[] header, long dataLen) {
        String text = IoSupport.strictUtf8(header, name + ": header is not valid UTF-8");
        JsonNode root;
        try {
            root = MAPPER.readTree(text);
        } catch (IOException | RuntimeException e) {
            String msg = e instanceof com.fasterxml.jackson.core.JsonProcessingException j
                    ? j.getOriginalMessage() : e.getMessage();
            throw new MobileNetException(name + ": header is not valid JSON: " + Printable.oneLine(msg));
        }
        if (root == null || root.isMissingNode()) {
            throw new MobileNetException(name + ": header is empty");
        }
        if (!root.isObject()) {
            throw new MobileNetException(name + ": header is not a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> f : root.properties()) {
            if (METADATA_KEY.equals(f.getKey())) {
                parseMetadata(name, f.getValue(), metadata);
            } else {
                entries.put(f.getKey(), parseEntry(name, f.getKey(), f.getValue(), dataLen));
            }
        }
        checkOverlaps(name, entries);
        return new Parsed(Collections.unmodifiableMap(metadata), Collections.unmodifiableMap(entries));
    }

    private static void parseMetadata(String name, JsonNode node, Map<String, String> out) {
        if (node.isNull()) {
            return;
        }
        if (!node.isObject()) {
            throw new MobileNetException(name + ": __metadata__ is not a JSON object");
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            if (!e.getValue().isTextual()) {
                throw new MobileNetException(name + ": __metadata__ value for " + IoSupport.quote(e.getKey())
                        + " is not a string");
            }
            out.put(e.getKey(), e.getValue().textValue());
        }
    }

    private static Entry parseEntry(String name, String key, JsonNode node, long dataLen) {
        String where = name + ": tensor " + IoSupport.quote(key);
        if (!node.isObject()) {
            throw new MobileNetException(where + ": entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null) {
            throw new MobileNetException(where + ": missing dtype");
        }
        if (shapeNode == null) {
            throw new MobileNetException(where + ": missing shape");
        }
        if (offsetsNode == null) {
            throw new MobileNetException(where + ": missing data_offsets");
        }
        if (!dtypeNode.isTextual()) {
            throw new MobileNetException(where + ": dtype is not a string");
        }
        String dtype = dtypeNode.textValue();
        Integer itemSize = DTYPE_SIZES.get(dtype);
        if (itemSize == null) {
            throw new MobileNetException(where + ": unknown dtype " + IoSupport.quote(dtype));
        }
        if (!shapeNode.isArray()) {
            throw new MobileNetException(where + ": shape is not a list");
        }
        int[] shape = new int[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber()) {
                throw new MobileNetException(where + ": shape " + clip(shapeNode) + " contains a non-integer");
            }
            if (d.canConvertToLong() && d.longValue() < 0 || !d.canConvertToLong() && d.bigIntegerValue().signum() < 0) {
                throw new MobileNetException(where + ": negative dimension in shape " + clip(shapeNode));
            }
            if (!d.canConvertToInt()) {
                throw new MobileNetException(where + ": dimension too large in shape " + clip(shapeNode));
            }
            shape[i] = d.intValue();
        }
        if (!offsetsNode.isArray() || offsetsNode.size() != 2 || !isLong(offsetsNode.get(0))
                || !isLong(offsetsNode.get(1)) || offsetsNode.get(0).longValue() < 0 || offsetsNode.get(1).longValue() < 0) {
            throw new MobileNetException(where + ": data_offsets must be two non-negative integers, got "
                    + clip(offsetsNode));
        }
        long begin = offsetsNode.get(0).longValue();
        long end = offsetsNode.get(1).longValue();
        if (begin > end) {
            throw new MobileNetException(where + ": data_offsets [" + begin + ", " + end + "] begin after end");
        }
        if (end > dataLen) {
            throw new MobileNetException(where + ": data_offsets [" + begin + ", " + end
                    + "] extend beyond the data buffer (" + dataLen + " bytes)");
        }
        long[] lshape = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            lshape[i] = shape[i];
        }
        long numel = IoSupport.numelOrMinusOne(lshape);
        long bytes = numel < 0 ? -1 : numel > Long.MAX_VALUE / itemSize ? -1 : numel * itemSize;
        if (bytes != end - begin) {
            throw new MobileNetException(where + ": shape " + IoSupport.jsonShape(lshape) + " " + dtype + " needs "
                    + (bytes < 0 ? "more than " + Long.MAX_VALUE : Long.toString(bytes))
                    + " bytes, data_offsets [" + begin + ", " + end + "] span " + (end - begin));
        }
        return new Entry(key, dtype, shape, begin, end);
    }

    private static boolean isLong(JsonNode n) {
        return n.isIntegralNumber() && n.canConvertToLong();
    }

    private static String clip(JsonNode n) {
        return Printable.oneLine(n.toString().length() > 80 ? n.toString().substring(0, 80) + "..." : n.toString());
    }

    private static void checkOverlaps(String name, Map<String, Entry> entries) {
        List<Entry> sorted = new ArrayList<>();
        for (Entry e : entries.values()) {
            if (e.end() > e.begin()) {
                sorted.add(e);
            }
        }
        sorted.sort((a, b) -> Long.compare(a.begin(), b.begin()));
        Entry prev = null;
        for (Entry e : sorted) {
            if (prev != null && e.begin() < prev.end()) {
                throw new MobileNetException(name + ": tensors " + IoSupport.quote(prev.name()) + " ["
                        + prev.begin() + ", " + prev.end() + "] and " + IoSupport.quote(e.name()) + " ["
                        + e.begin() + ", " + e.end() + "] overlap");
            }
            if (prev == null || e.end() > prev.end()) {
                prev = e;
            }
        }
    }

    // ---------------------------------------------------------------- access

    /** The file this was read from, as given. */
    public String source() {
        return source;
    }

    /** The {@code __metadata__} strings (empty if absent), in header order. */
    public Map<String, String> metadata() {
        return metadata;
    }

    /** Tensor names in header order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    /** The header entry of a tensor. */
    public Entry info(String key) {
        Entry e = entries.get(key);
        if (e == null) {
            throw new MobileNetException(source + ": no tensor " + IoSupport.quote(key));
        }
        return e;
    }

    /** Whether {@link #getFloat} can read the tensor (F32, F16, BF16 or F64). */
    public boolean isFloating(String key) {
        return FLOATING.contains(info(key).dtype());
    }

    /** Reads a F32, F16, BF16 or F64 tensor as float32. */
    public Tensor getFloat(String key) {
        Entry e = typed(key, FLOATING, "a floating-point type");
        String dtype = e.dtype();
        float[] out = allocate(e, float[]::new);
        forEachChunk(e, (b, done, count) -> {
            switch (dtype) {
                case "F32" -> b.asFloatBuffer().get(out, done, count);
                case "F64" -> {
                    for (int i = 0; i < count; i++) {
                        out[done + i] = (float) b.getDouble(i * 8);
                    }
                }
                case "F16" -> {
                    for (int i = 0; i < count; i++) {
                        out[done + i] = IoSupport.halfToFloat(b.getShort(i * 2));
                    }
                }
                case "BF16" -> {
                    for (int i = 0; i < count; i++) {
                        out[done + i] = IoSupport.bf16ToFloat(b.getShort(i * 2));
                    }
                }
                default -> throw new IllegalStateException(dtype);
            }
        });
        return new Tensor(e.shape(), out);
    }

    /** Reads an integer tensor (I64, I32, I16, I8, U32, U16 or U8) as int64 values, row-major. */
    public long[] getLong(String key) {
        Entry e = typed(key, INTEGRAL, "an integer type");
        String dtype = e.dtype();
        long[] out = allocate(e, long[]::new);
        forEachChunk(e, (b, done, count) -> {
            for (int i = 0; i < count; i++) {
                out[done + i] = switch (dtype) {
                    case "I64" -> b.getLong(i * 8);
                    case "I32" -> b.getInt(i * 4);
                    case "U32" -> b.getInt(i * 4) & 0xffffffffL;
                    case "I16" -> b.getShort(i * 2);
                    case "U16" -> b.getShort(i * 2) & 0xffff;
                    case "I8" -> b.get(i);
                    case "U8" -> b.get(i) & 0xff;
                    default -> throw new IllegalStateException(dtype);
                };
            }
        });
        return out;
    }

    private Entry typed(String key, Set<String> dtypes, String kind) {
        Entry e = info(key);
        if (!dtypes.contains(e.dtype())) {
            throw new MobileNetException(source + ": tensor " + IoSupport.quote(key) + " has dtype " + e.dtype()
                    + ", not " + kind);
        }
        return e;
    }

    private <A> A allocate(Entry e, IntFunction<A> array) {
        int n = checkedSize(e);
        try {
            return array.apply(n);
        } catch (OutOfMemoryError oom) {
            throw new MobileNetException(source + ": not enough memory for tensor " + IoSupport.quote(e.name())
                    + " (" + n + " elements)");
        }
    }

    /** Hands the tensor's bytes to {@code chunk} a bounded view at a time; element offsets are row-major. */
    private void forEachChunk(Entry e, Chunk chunk) {
        int n = checkedSize(e);
        int item = DTYPE_SIZES.get(e.dtype());
        int per = IoSupport.CHUNK_BYTES / item;
        ByteBuffer[] r = regions();
        for (int done = 0; done < n; done += per) {
            int count = Math.min(per, n - done);
            chunk.read(view(r, e.begin() + (long) done * item, count * item), done, count);
        }
    }

    @FunctionalInterface
    private interface Chunk {
        void read(ByteBuffer b, int done, int count);
    }

    private int checkedSize(Entry e) {
        long n = e.numel();
        if (n > Integer.MAX_VALUE - 8) {
            throw new MobileNetException(source + ": tensor " + IoSupport.quote(e.name()) + " has " + n
                    + " elements, too many for one array");
        }
        return (int) n;
    }

    private ByteBuffer[] regions() {
        ByteBuffer[] r = regions;
        if (r == null) {
            throw new IllegalStateException(source + " is closed");
        }
        return r;
    }

    /** {@code len} bytes of the data buffer from {@code pos}, little-endian, positioned at 0. */
    private ByteBuffer view(ByteBuffer[] r, long pos, int len) {
        int index = (int) (pos / regionBytes);
        int off = (int) (pos % regionBytes);
        if (len == 0 || off + len <= r[index].limit()) {
            return len == 0 ? ByteBuffer.allocate(0)
                    : r[index].slice(off, len).order(ByteOrder.LITTLE_ENDIAN);
        }
        byte[] copy = new byte[len];
        int done = 0;
        while (done < len) {
            ByteBuffer region = r[index];
            int k = Math.min(len - done, region.limit() - off);
            region.get(off, copy, done, k);
            done += k;
            index++;
            off = 0;
        }
        return ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Drops the mapped buffers; the mapping is released when they are garbage-collected. */
    @Override
    public void close() {
        regions = null;
    }

    @Override
    public String toString() {
        return "SafeTensors[" + source + ", " + entries.size() + " tensors]";
    }

    // ---------------------------------------------------------------- writing

    /** Writes float32 tensors (and optional metadata) as a safetensors file, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) {
        Writer w = writer();
        tensors.forEach(w::putFloat);
        if (metadata != null) {
            metadata.forEach(w::metadata);
        }
        w.write(path);
    }

    public static Writer writer() {
        return new Writer();
    }

    /**
     * Collects F32 and I64 tensors and metadata, then writes them. Tensors appear in the header in
     * the order they were added; in the data buffer, I64 tensors come first so that every tensor
     * is aligned to its element size.
     */
    public static final class Writer {
        private final Map<String, NpyArray> tensors = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Writer() {
        }

        /** Adds a float32 tensor (stored as F32; the data is not copied, so do not mutate it before writing). */
        public Writer putFloat(String name, Tensor tensor) {
            return put(name, NpyArray.of(tensor));
        }

        /** Adds an int64 tensor (stored as I64); {@code shape} may be empty for a scalar. */
        public Writer putLong(String name, int[] shape, long[] data) {
            return put(name, NpyArray.ofLong(shape, data));
        }

        private Writer put(String name, NpyArray a) {
            Objects.requireNonNull(name, "name");
            if (METADATA_KEY.equals(name)) {
                throw new IllegalArgumentException("tensor name " + METADATA_KEY + " is reserved");
            }
            if (tensors.putIfAbsent(name, a) != null) {
                throw new IllegalArgumentException("duplicate tensor name " + name);
            }
            return this;
        }

        /** Adds a {@code __metadata__} entry. */
        public Writer metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(value, "value"));
            return this;
        }

        /** Writes the file atomically. */
        public void write(Path path) {
            byte[] header = header();
            AtomicFiles.write(path, out -> writeTo(out, header));
        }

        /** The file's content as a body for {@link AtomicFiles#writeAll} (a set of files written together). */
        public AtomicFiles.IoWriter body() {
            byte[] header = header();
            return out -> writeTo(out, header);
        }

        /** The complete file as bytes. */
        public byte[] toBytes() {
            byte[] header = header();
            long size = 8L + header.length + dataBytes();
            if (size > Integer.MAX_VALUE - 8) {
                throw new MobileNetException("safetensors data too large to build in memory (" + size + " bytes)");
            }
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) size);
            try {
                writeTo(out, header);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            return out.toByteArray();
        }

        private long dataBytes() {
            long total = 0;
            for (NpyArray a : tensors.values()) {
                total += (long) a.size() * (a.isFloat() ? 4 : 8);
            }
            return total;
        }

        /** Data order: 8-byte types first, then 4-byte ones, each group in insertion order. */
        private List<String> dataOrder() {
            List<String> order = new ArrayList<>();
            tensors.forEach((k, a) -> {
                if (!a.isFloat()) {
                    order.add(k);
                }
            });
            tensors.forEach((k, a) -> {
                if (a.isFloat()) {
                    order.add(k);
                }
            });
            return order;
        }

        private byte[] header() {
            Map<String, long[]> offsets = new LinkedHashMap<>();
            long pos = 0;
            for (String k : dataOrder()) {
                NpyArray a = tensors.get(k);
                long len = (long) a.size() * (a.isFloat() ? 4 : 8);
                offsets.put(k, new long[] {pos, pos + len});
                pos += len;
            }
            ObjectNode root = MAPPER.createObjectNode();
            if (!metadata.isEmpty()) {
                ObjectNode m = root.putObject(METADATA_KEY);
                metadata.forEach(m::put);
            }
            tensors.forEach((k, a) -> {
                ObjectNode t = root.putObject(k);
                t.put("dtype", a.isFloat() ? "F32" : "I64");
                ArrayNode shape = t.putArray("shape");
                for (int d : a.shape()) {
                    shape.add(d);
                }
                long[] o = offsets.get(k);
                t.putArray("data_offsets").add(o[0]).add(o[1]);
            });
            byte[] json;
            try {
                json = MAPPER.writeValueAsBytes(root);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            int padded = (json.length + 7) / 8 * 8;
            byte[] out = Arrays.copyOf(json, padded);
            Arrays.fill(out, json.length, padded, (byte) ' ');
            return out;
        }

        private void writeTo(OutputStream out, byte[] header) throws IOException {
            ByteBuffer chunk = ByteBuffer.allocate(IoSupport.CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
            chunk.putLong(header.length);
            out.write(chunk.array(), 0, 8);
            out.write(header);
            for (String k : dataOrder()) {
                IoSupport.writeElements(out, tensors.get(k), chunk);
            }
        }
    }
}
