package dev.mobilenet.arch;

/** The MobileNetV3 table: the paper's Large and Small, and timm's own early {@code mobilenetv3_rw}. */
public enum V3Variant {
    LARGE, SMALL, RW
}
