package dev.mobilenet.hub;

/** Hears how a download goes. Calls come from the downloading thread; all methods but {@link #progress} are optional. */
public interface ProgressListener {
    /** Does nothing. */
    ProgressListener NONE = (done, total) -> { };

    /**
     * A transfer begins.
     *
     * @param file  what is downloaded, e.g. {@code timm/mobilenetv3_large_100.ra_in1k/model.safetensors}
     * @param total its size in bytes
     * @param done  bytes already there from an earlier, interrupted download (resumed)
     */
    default void started(String file, long total, long done) {
    }

    /** Bytes written so far (including resumed ones) out of {@code total}; may go back to 0 on a restart. */
    void progress(long done, long total);

    /** The transfer ended, successfully or not. */
    default void finished(String file) {
    }

    /** A one-line remark for the user, e.g. that the Hub was unreachable and the cached copy is used. */
    default void notice(String line) {
    }
}
