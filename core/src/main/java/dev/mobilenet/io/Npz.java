package dev.mobilenet.io;

import dev.mobilenet.Printable;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.tensor.Tensor;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

/**
 * Reads and writes NumPy {@code .npz} archives: zip files whose members are {@code .npy} files,
 * as written by {@code np.savez} (stored) and {@code np.savez_compressed} (deflated).
 */
public final class Npz {
    /** Largest uncompressed member accepted, a guard against zip bombs. */
    static final long MAX_MEMBER_BYTES = 4L << 30;
    private static final LocalDateTime ENTRY_TIME = LocalDateTime.of(1980, 1, 1, 0, 0);

    private Npz() {
    }

    /**
     * Reads every member, in zip order, keyed by member name with the {@code .npy} suffix removed
     * (as {@code np.load} does). Directory entries are skipped.
     */
    public static Map<String, NpyArray> read(Path path) {
        return read(path, MAX_MEMBER_BYTES);
    }

    static Map<String, NpyArray> read(Path path, long maxMemberBytes) {
        String name = path.toString();
        if (Files.isDirectory(path)) {
            throw new MobileNetException(name + ": is a directory, not a .npz file");
        }
        if (!Files.exists(path)) {
            throw new MobileNetException(name + ": no such file");
        }
        InputFiles.checkedSize(path, Long.MAX_VALUE, ".npz file");
        ZipFile zip;
        try {
            zip = new ZipFile(path.toFile());
        } catch (NoSuchFileException e) {
            throw new MobileNetException(name + ": no such file", e);
        } catch (IOException | RuntimeException e) {
            throw new MobileNetException(name + ": not a valid zip file (" + detail(e) + ")", e);
        }
        try (zip) {
            Map<String, NpyArray> out = new LinkedHashMap<>();
            Enumeration<? extends ZipEntry> entries;
            try {
                entries = zip.entries();
            } catch (RuntimeException e) {
                throw new MobileNetException(name + ": corrupt zip directory (" + detail(e) + ")", e);
            }
            while (true) {
                ZipEntry entry;
                try {
                    if (!entries.hasMoreElements()) {
                        break;
                    }
                    entry = entries.nextElement();
                } catch (RuntimeException e) {
                    throw new MobileNetException(name + ": corrupt zip directory (" + detail(e) + ")", e);
                }
                if (entry.isDirectory()) {
                    continue;
                }
                String member = entry.getName();
                String where = name + ": member " + IoSupport.quote(member);
                long declared = entry.getSize();
                if (declared > maxMemberBytes) {
                    throw new MobileNetException(where + " declares " + declared
                            + " bytes uncompressed, more than the limit of " + maxMemberBytes);
                }
                String key = member.endsWith(".npy") ? member.substring(0, member.length() - 4) : member;
                if (out.containsKey(key)) {
                    throw new MobileNetException(where + ": duplicate array name " + IoSupport.quote(key));
                }
                NpyArray array;
                CRC32 crc = new CRC32();
                try (InputStream in = new BufferedInputStream(
                        new CheckedInputStream(zip.getInputStream(entry), crc), IoSupport.CHUNK_BYTES)) {
                    array = Npy.decode(in, declared, where, "member", false);
                    if (entry.getCrc() != -1 && crc.getValue() != entry.getCrc()) {
                        throw new MobileNetException(where + ": CRC mismatch, the data is corrupt");
                    }
                } catch (IOException | RuntimeException e) {
                    if (e instanceof MobileNetException m) {
                        throw m;
                    }
                    throw new MobileNetException(where + ": corrupt data (" + detail(e) + ")", e);
                }
                out.put(key, array);
            }
            return out;
        } catch (IOException e) {
            throw new MobileNetException(name + ": cannot read: " + IoSupport.describe(e), e);
        }
    }

    private static String detail(Exception e) {
        String msg = e.getMessage();
        if (msg == null && e instanceof java.io.EOFException) {
            return "unexpected end of data";
        }
        return Printable.oneLine(msg == null ? e.getClass().getSimpleName() : msg);
    }

    /** Writes float32 tensors as stored (uncompressed) members {@code <key>.npy}, atomically, like np.savez. */
    public static void write(Path path, Map<String, Tensor> tensors) {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        tensors.forEach((k, v) -> arrays.put(k, NpyArray.of(v)));
        writeMixed(path, arrays);
    }

    /** Writes float32 and int64 arrays as stored members {@code <key>.npy}, atomically, in map order. */
    public static void writeMixed(Path path, Map<String, NpyArray> arrays) {
        Map<String, NpyArray> copy = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        AtomicFiles.write(path, out -> writeTo(out, copy));
    }

    private static void writeTo(OutputStream out, Map<String, NpyArray> arrays) throws IOException {
        ZipOutputStream zip = new ZipOutputStream(out);
        for (Map.Entry<String, NpyArray> e : arrays.entrySet()) {
            NpyArray array = e.getValue();
            CRC32 crc = new CRC32();
            try (CheckedOutputStream sink = new CheckedOutputStream(OutputStream.nullOutputStream(), crc)) {
                Npy.writeTo(sink, array);
            }
            ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
            entry.setMethod(ZipEntry.STORED);
            long size = Npy.encodedSize(array);
            entry.setSize(size);
            entry.setCompressedSize(size);
            entry.setCrc(crc.getValue());
            entry.setTimeLocal(ENTRY_TIME);
            zip.putNextEntry(entry);
            Npy.writeTo(zip, array);
            zip.closeEntry();
        }
        zip.finish();
    }
}
