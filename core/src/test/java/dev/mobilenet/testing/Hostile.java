package dev.mobilenet.testing;

import dev.mobilenet.MobileNetException;

/**
 * The property every fuzz target checks: a parser given any bytes either returns or throws a
 * {@link MobileNetException} whose message is one printable line of bounded length. Any other
 * throwable (a RuntimeException, an Error such as OutOfMemoryError) escapes and is a finding.
 */
public final class Hostile {
    /** Longest error line accepted; longer lines mean a name or a value was echoed unbounded. */
    public static final int MAX_MESSAGE_CHARS = dev.mobilenet.Printable.MAX_MESSAGE_CHARS;

    private Hostile() {
    }

    /** What a fuzz target runs: it may return anything or throw a MobileNetException. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body}; returns normally on a clean result or a one-line MobileNetException. */
    public static void parse(Body body) throws Exception {
        try {
            body.run();
        } catch (MobileNetException e) {
            checkMessage(e);
        }
    }

    /** Throws an AssertionError (a finding) unless the message is one printable line of bounded length. */
    public static void checkMessage(MobileNetException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            throw new AssertionError("MobileNetException without a message", e);
        }
        if (m.length() > MAX_MESSAGE_CHARS) {
            throw new AssertionError("message of " + m.length() + " chars: " + m.substring(0, 200), e);
        }
        for (int i = 0; i < m.length(); i++) {
            char c = m.charAt(i);
            if (dev.mobilenet.Printable.isUnsafe(c)) {
                throw new AssertionError("control character U+" + Integer.toHexString(c) + " in message: " + m, e);
            }
        }
    }
}
