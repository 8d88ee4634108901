package dev.mobilenet.nn;

import java.util.Map;

/** A piece of the network that owns state-dict entries under timm's key names. */
public interface Module {
    /** Adds this module's entries, in timm's registration order, under {@code prefix} (ends with '.' or is empty). */
    void collect(String prefix, Map<String, ParamRef> out);
}
