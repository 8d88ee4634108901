package dev.mobilenet.image;

/** Receives an image's declared size before its pixels are decoded, and refuses it by throwing. */
interface SizeCheck {
    void check(String name, long width, long height);
}
