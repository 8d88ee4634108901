package dev.mobilenet.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.mobilenet.Printable;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import org.junit.jupiter.api.Test;

class IoSupportTest {
    @Test
    void oneLine() {
        assertEquals("a b c d", Printable.oneLine(" a\nb\r\n c\u2028\u0000d "));
        assertEquals("unknown error", Printable.oneLine(null));
        assertEquals("unknown error", Printable.oneLine("  \n"));
        assertEquals(303, Printable.oneLine("x".repeat(1000)).length());
        assertEquals("a <U+202E>b", Printable.oneLine("a \u202eb"));
    }

    @Test
    void quote() {
        assertEquals("'plain.name'", IoSupport.quote("plain.name"));
        assertEquals("'it\\'s\\x0a\\x1b'", IoSupport.quote("it's\n\u001b"));
        assertEquals("'h\u00e9'", IoSupport.quote("h\u00e9"));
        assertEquals("'" + "y".repeat(120) + "...'", IoSupport.quote("y".repeat(500)));
    }

    @Test
    void shapes() {
        assertEquals("()", IoSupport.pyShape(new int[0]));
        assertEquals("(5,)", IoSupport.pyShape(new int[] {5}));
        assertEquals("(1, 3, 224, 224)", IoSupport.pyShape(new int[] {1, 3, 224, 224}));
        assertEquals("[]", IoSupport.jsonShape(new long[0]));
        assertEquals("[2, 3]", IoSupport.jsonShape(new long[] {2, 3}));
        assertEquals(1, IoSupport.numelOrMinusOne(new long[0]));
        assertEquals(0, IoSupport.numelOrMinusOne(new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, 0}));
        assertEquals(-1, IoSupport.numelOrMinusOne(new long[] {Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE}));
    }

    @Test
    void describe() {
        assertEquals("no such file", IoSupport.describe(new NoSuchFileException("/x")));
        assertEquals("permission denied", IoSupport.describe(new AccessDeniedException("/x")));
        assertEquals("disk full", IoSupport.describe(new IOException("disk full")));
        assertEquals("IOException", IoSupport.describe(new IOException()));
    }
}
