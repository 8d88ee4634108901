package dev.mobilenet.model;

import dev.mobilenet.tensor.Tensor;
import java.util.List;

/**
 * Something that runs a MobileNet on a float32 NCHW batch: the pure-Java {@link Session}, or another engine
 * (ONNX Runtime lives in its own module). Instances are single-threaded unless they say otherwise.
 */
public interface Engine extends AutoCloseable {
    /** Logits, [N, num_classes]. */
    Tensor logits(Tensor x);

    /** The pooled embedding before the classifier, [N, head_hidden_size]. */
    Tensor preLogits(Tensor x);

    /** Multi-scale feature maps in timm's features_only order. */
    List<Tensor> features(Tensor x);

    /** Releases native or pooled resources; a no-op for the Java engine. */
    @Override
    default void close() {
    }
}
