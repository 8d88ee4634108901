package dev.mobilenet.io;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Class names, one per line, in UTF-8 (a run's {@code labels.txt}, {@code --labels}). Reading skips blank lines,
 * strips each line, drops a byte-order mark and accepts LF or CRLF; anything else is refused with one line: a file
 * that is not a regular file or is over {@link #MAX_BYTES}, bytes that are not UTF-8, control characters.
 * Writing refuses a name that a line-based file cannot hold (a line break or other control character, or blank).
 */
public final class LabelsFile {
    /** Larger than any real label list (ImageNet-21k's 21843 names take about 1 MB). */
    public static final long MAX_BYTES = 16L << 20;

    private LabelsFile() {
    }

    /** Reads {@code path}: a regular file of at most {@link #MAX_BYTES}, streamed. */
    public static List<String> read(Path path) {
        String name = path.toString();
        byte[] bytes;
        try (InputStream in = InputFiles.open(path, MAX_BYTES, "labels file")) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new MobileNetException("cannot read labels file " + name + ": " + IoSupport.describe(e), e);
        }
        return parse(bytes, name);
    }

    /** Parses the bytes of a labels file; {@code name} starts every error message. */
    public static List<String> parse(byte[] bytes, String name) {
        String text = IoSupport.strictUtf8(bytes, name + ": not a labels file (not UTF-8 text)");
        if (text.startsWith("\ufeff")) {
            text = text.substring(1);
        }
        List<String> out = new ArrayList<>();
        int lineNo = 0;
        for (String line : text.split("\n", -1)) {
            lineNo++;
            String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
            int bad = firstControl(s);
            if (bad >= 0) {
                throw new MobileNetException(name + ": line " + lineNo + " has control character "
                        + String.format("U+%04X", (int) s.charAt(bad)) + "; not a labels file");
            }
            s = s.strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** Writes the names one per line, atomically; refuses a name a line-based file cannot hold. */
    public static void write(Path path, List<String> names) {
        StringBuilder sb = new StringBuilder();
        for (String n : names) {
            checkName(n);
            sb.append(n).append('\n');
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(path, out -> out.write(bytes));
    }

    /** Throws unless {@code label} can be one line of a labels file and read back unchanged. */
    public static void checkName(String label) {
        int bad = firstControl(label);
        if (bad >= 0) {
            throw new MobileNetException("class name " + IoSupport.quote(label) + " contains a control character;"
                    + " a labels file holds one name per line");
        }
        if (label.isBlank() || !label.strip().equals(label)) {
            throw new MobileNetException("class name " + IoSupport.quote(label) + " is blank or starts or ends with"
                    + " white space; a labels file could not give it back");
        }
    }

    /** Index of the first C0/C1 control character, Unicode line/paragraph separator or byte-order mark, else -1. */
    static int firstControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029'
                    || c == '\ufeff') {
                return i;
            }
        }
        return -1;
    }
}
