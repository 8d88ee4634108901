package dev.mobilenet.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;
import dev.mobilenet.MobileNetException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Labels files from hostile bytes: every name read back is one clean line that would be written back the same. */
class LabelsFileFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        Hostile.parse(() -> {
            List<String> names = LabelsFile.parse(data, "labels.txt");
            StringBuilder again = new StringBuilder();
            for (String n : names) {
                try {
                    LabelsFile.checkName(n);
                } catch (MobileNetException e) {
                    throw new AssertionError("read a name it would refuse to write: " + e.getMessage(), e);
                }
                again.append(n).append('\n');
            }
            if (!LabelsFile.parse(again.toString().getBytes(StandardCharsets.UTF_8), "again").equals(names)) {
                throw new AssertionError("names do not survive a write and read: " + names);
            }
        });
    }
}
