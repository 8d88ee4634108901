package dev.mobilenet.data;

/**
 * One batch: {@code images} is {@code n x c x h x w} float32 (NCHW), {@code labels} the hard labels and
 * {@code targets} the {@code n x numClasses} soft targets when mixup/cutmix is on (null otherwise).
 * {@code indices} are the dataset indices the samples came from (after any replacement of unreadable files).
 */
public record Batch(float[] images, int n, int c, int h, int w, int[] labels, float[] targets, int numClasses,
                    int[] indices) {
    public Batch {
        if ((long) n * c * h * w != images.length || labels.length != n || indices.length != n) {
            throw new IllegalArgumentException("inconsistent batch of " + n);
        }
        if (targets != null && targets.length != (long) n * numClasses) {
            throw new IllegalArgumentException("targets need " + n + " x " + numClasses + " values");
        }
    }
}
