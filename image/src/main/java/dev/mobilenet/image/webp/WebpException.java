package dev.mobilenet.image.webp;

import dev.mobilenet.MobileNetException;

/** A WebP file the decoder refuses, with a one-line reason (without the file name, which the caller adds). */
public final class WebpException extends MobileNetException {
    public WebpException(String message) {
        super(message);
    }
}
