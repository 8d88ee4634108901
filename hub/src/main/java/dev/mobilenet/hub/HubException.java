package dev.mobilenet.hub;

import dev.mobilenet.MobileNetException;

/** A Hub download or cache look-up that failed; the message is one line, the kind tells callers why. */
public final class HubException extends MobileNetException {
    private static final long serialVersionUID = 1L;

    /** Why the file could not be had. */
    public enum Kind {
        /** Offline mode is on and the file is not in the cache. */
        OFFLINE_MISS,
        /** The repository, revision or file does not exist (HTTP 404, or the Hub said so). */
        NOT_FOUND,
        /** The Hub refused access (HTTP 401/403): a gated or private repository, or a bad token. */
        ACCESS_DENIED,
        /** The endpoint could not be reached (DNS, refused connection, timeout, TLS) and no cached copy exists. */
        UNREACHABLE,
        /** Any other HTTP status, or a response without the headers the Hub always sends. */
        BAD_RESPONSE,
        /** The downloaded bytes do not match the size or sha256 the Hub announced. */
        CORRUPT,
        /** The disk filled up while writing. */
        DISK_FULL,
        /** The connection broke mid-transfer more often than retried; the partial file is kept for resuming. */
        INTERRUPTED,
        /** A local file-system error in the cache. */
        CACHE_IO
    }

    private final Kind kind;

    /** The message with the credentials of any URL in it (HF_ENDPOINT=http://user:secret@host) replaced. */
    public HubException(Kind kind, String message) {
        super(Downloads.redact(message));
        this.kind = kind;
    }

    public HubException(Kind kind, String message, Throwable cause) {
        super(Downloads.redact(message), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
