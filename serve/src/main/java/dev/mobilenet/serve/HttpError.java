package dev.mobilenet.serve;

/** A request the server refuses: the status and the one-line reason sent as {@code {"error": "..."}}. */
final class HttpError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    HttpError(int status, String message) {
        super(message, null, false, false);
        this.status = status;
    }

    int status() {
        return status;
    }
}
