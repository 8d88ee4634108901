package dev.mobilenet;

/**
 * An error the user can act on: a bad model name, a malformed file, an input of the wrong shape.
 * The message is one line that names the problem; the CLI prints it without a stack trace.
 */
public class MobileNetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MobileNetException(String message) {
        super(message);
    }

    public MobileNetException(String message, Throwable cause) {
        super(message, cause);
    }
}
