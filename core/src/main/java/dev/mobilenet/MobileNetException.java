package dev.mobilenet;

/**
 * An error the user can act on: a bad model name, a malformed file, an input of the wrong shape.
 * The message is one line that names the problem; the CLI prints it without a stack trace. Whatever text it quotes
 * (a file name, a JSON token, a server's answer) is made printable here: line breaks become spaces, control
 * characters are escaped ({@link Printable#message}).
 */
public class MobileNetException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public MobileNetException(String message) {
        super(Printable.message(message));
    }

    public MobileNetException(String message, Throwable cause) {
        super(Printable.message(message), cause);
    }
}
