package dev.mobilenet.arch;

/** The MobileNet generation, which fixes the table, the stem, the head and the defaults. */
public enum Family {
    V1, V2, V3
}
