package dev.mobilenet.image;

import java.util.Optional;

/**
 * The container formats the decoder reads, recognised by their first bytes, never by the file name. {@code DIB} is a
 * BMP without its 14-byte file header; like Pillow's {@code DibImagePlugin} it is recognised when the file starts
 * with one of the info header sizes Pillow reads (12, 40, 64, 108 or 124, little-endian).
 */
public enum ImageFormat {
    JPEG, PNG, BMP, GIF, WEBP, DIB;

    /** The format whose signature starts {@code head}, if any. */
    public static Optional<ImageFormat> detect(byte[] head) {
        if (starts(head, 0xFF, 0xD8, 0xFF)) {
            return Optional.of(JPEG);
        }
        if (starts(head, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
            return Optional.of(PNG);
        }
        if (starts(head, 'B', 'M')) {
            return Optional.of(BMP);
        }
        if (starts(head, 'G', 'I', 'F', '8', '7', 'a') || starts(head, 'G', 'I', 'F', '8', '9', 'a')) {
            return Optional.of(GIF);
        }
        if (head.length >= 12 && starts(head, 'R', 'I', 'F', 'F') && head[8] == 'W' && head[9] == 'E'
                && head[10] == 'B' && head[11] == 'P') {
            return Optional.of(WEBP);
        }
        if (BmpDecoder.looksLikeDib(head)) {
            return Optional.of(DIB);
        }
        return Optional.empty();
    }

    private static boolean starts(byte[] b, int... sig) {
        if (b.length < sig.length) {
            return false;
        }
        for (int i = 0; i < sig.length; i++) {
            if ((b[i] & 0xff) != sig[i]) {
                return false;
            }
        }
        return true;
    }
}
