package dev.mobilenet.model;

import dev.mobilenet.tensor.Tensor;
import java.util.List;

/**
 * Something that runs a MobileNet on a float32 NCHW batch: the pure-Java {@link Session}, or another engine
 * (ONNX Runtime lives in its own module). Instances are single-threaded unless they say otherwise.
 */
public interface Engine extends AutoCloseable {
    /** Classes of the model's classifier (0 when it has none). */
    int numClasses();

    /** Logits, [N, num_classes]. */
    Tensor logits(Tensor x);

    /** The pooled embedding before the classifier, [N, head_hidden_size]. */
    Tensor preLogits(Tensor x);

    /**
     * Array form of {@link #logits(Tensor)} for callers that reuse buffers: {@code x} holds n float32 NCHW images of
     * h x w, {@code out} receives n * num_classes logits.
     */
    default void logits(float[] x, int n, int h, int w, float[] out) {
        Tensor y = logits(new Tensor(new int[] {n, 3, h, w}, x));
        System.arraycopy(y.data(), 0, out, 0, y.data().length);
    }

    /** Multi-scale feature maps in timm's features_only order. */
    List<Tensor> features(Tensor x);

    /** Releases native or pooled resources; a no-op for the Java engine. */
    @Override
    default void close() {
    }
}
