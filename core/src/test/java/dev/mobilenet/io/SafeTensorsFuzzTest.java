package dev.mobilenet.io;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.mobilenet.testing.Hostile;

/** safetensors from hostile bytes: header, offsets, dtypes, shapes; every tensor read back. */
class SafeTensorsFuzzTest {
    @FuzzTest
    void fuzz(byte[] data) throws Exception {
        Hostile.parse(() -> {
            try (SafeTensors st = SafeTensors.fromBytes(data, "fuzz.safetensors")) {
                st.metadata();
                for (String key : st.keys()) {
                    st.info(key);
                    if (st.isFloating(key)) {
                        st.getFloat(key);
                    } else {
                        st.getLong(key);
                    }
                }
            }
        });
    }
}
