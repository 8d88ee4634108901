package dev.mobilenet.arch;

/** How the network ends before the classifier. */
public enum HeadStyle {
    /** V1/V2 (timm's EfficientNet class): [conv_head -> bn2 -> act] -> global pool -> classifier. */
    CONV_BN_POOL,
    /** V3's efficient head: global pool -> conv_head (1x1, bias) -> act -> classifier, no norm. */
    POOL_CONV_ACT
}
