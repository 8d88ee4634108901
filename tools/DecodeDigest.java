import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.RgbImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;

/**
 * The project's decode of many files, one line each: {@code path TAB width TAB height TAB sha256-of-RGB} or
 * {@code path TAB ERR TAB message}; an exception other than MobileNetException is reported as {@code CRASH}.
 * Used by tools/compare_corpus.py. Usage: java -cp image/target/classes:$(cat cp.txt) tools/DecodeDigest.java list.txt
 */
public class DecodeDigest {
    public static void main(String[] args) throws Exception {
        List<String> files = Files.readAllLines(Path.of(args[0]));
        ImageDecoder decoder = new ImageDecoder();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        StringBuilder out = new StringBuilder();
        for (String f : files) {
            String line;
            try {
                RgbImage img = decoder.decode(Path.of(f));
                line = img.width() + "\t" + img.height() + "\t" + HexFormat.of().formatHex(sha.digest(img.rgb()));
            } catch (MobileNetException e) {
                line = "ERR\t" + e.getMessage().replace('\t', ' ').replace('\n', ' ');
            } catch (RuntimeException | StackOverflowError e) {
                line = "CRASH\t" + e;
            }
            out.append(f).append('\t').append(line).append('\n');
        }
        System.out.print(out);
    }
}
