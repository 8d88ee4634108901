package dev.mobilenet.training.engine;

/**
 * A trainable tensor: the model's own array and its gradient, under its state-dict key. Weight decay applies only
 * to tensors with more than one dimension (timm's {@code param_groups_weight_decay} default).
 */
public record Param(String key, int[] shape, float[] data, float[] grad) {

    public boolean decays() {
        return shape.length > 1;
    }
}
