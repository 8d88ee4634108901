package dev.mobilenet;

/**
 * Text from files, folders, the Hub or the command line made safe to print: control characters (C0, DEL, C1), Unicode
 * line and paragraph separators and bidirectional overrides are shown as {@code \xNN} or {@code <U+NNNN>}, so no
 * name can move the cursor, recolour the terminal, or start a line of output of its own.
 */
public final class Printable {
    /** The longest error message kept; longer ones end in "...". */
    public static final int MAX_MESSAGE_CHARS = 1000;

    private Printable() {
    }

    /** Whether {@code c} would be escaped by {@link #escape}. */
    public static boolean isUnsafe(char c) {
        return c < 0x20 || c == 0x7f || c >= 0x80 && c < 0xa0 || c == '\u2028' || c == '\u2029'
                || c >= '\u202a' && c <= '\u202e' || c >= '\u2066' && c <= '\u2069';
    }

    /** {@code s} with every unsafe character escaped; null stays null. */
    public static String escape(String s) {
        if (s == null) {
            return null;
        }
        int i = 0;
        while (i < s.length() && !isUnsafe(s.charAt(i))) {
            i++;
        }
        if (i == s.length()) {
            return s;
        }
        StringBuilder sb = new StringBuilder(s.length() + 16).append(s, 0, i);
        for (; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUnsafe(c)) {
                sb.append(c);
            } else if (c < 0x100) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(String.format("<U+%04X>", (int) c));
            }
        }
        return sb.toString();
    }

    /** An error message as one printable line: tabs, CR and LF become spaces, other unsafe characters escaped, bounded. */
    public static String message(String s) {
        if (s == null) {
            return null;
        }
        String t = escape(s.replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
        return t.length() > MAX_MESSAGE_CHARS ? t.substring(0, MAX_MESSAGE_CHARS - 3) + "..." : t;
    }

    /** The longest text {@link #oneLine} keeps. */
    public static final int ONE_LINE_CHARS = 300;

    /**
     * Any text (an exception's message, a server's error header) as a short single line: runs of white space and
     * control characters become one space, other unsafe characters are escaped, at most {@value #ONE_LINE_CHARS}
     * characters; "unknown error" when there is none.
     */
    public static String oneLine(String s) {
        if (s == null || s.isBlank()) {
            return "unknown error";
        }
        String t = escape(s.strip().replaceAll("[\\s\\p{Cntrl}\\u0085\\u2028\\u2029]+", " "));
        return t.length() > ONE_LINE_CHARS ? t.substring(0, ONE_LINE_CHARS) + "..." : t;
    }
}
