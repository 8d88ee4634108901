package dev.mobilenet.nn;

/**
 * One state-dict entry, by reference: the array is the module's own, so loading writes straight into the model.
 * {@code num_batches_tracked} is the one integer entry; it carries its value in {@code counter}.
 */
public record ParamRef(String key, int[] shape, float[] data, Kind kind, long[] counter) {

    /** What an entry is; only weights and biases are trainable parameters. */
    public enum Kind {
        WEIGHT, BIAS, RUNNING_MEAN, RUNNING_VAR, NUM_BATCHES_TRACKED;

        public boolean trainable() {
            return this == WEIGHT || this == BIAS;
        }
    }

    public static ParamRef floats(String key, int[] shape, float[] data, Kind kind) {
        return new ParamRef(key, shape, data, kind, null);
    }

    public boolean isCounter() {
        return kind == Kind.NUM_BATCHES_TRACKED;
    }

    public String shapeString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < shape.length; i++) {
            sb.append(i > 0 ? ", " : "").append(shape[i]);
        }
        return sb.append(shape.length == 1 ? ",)" : ")").toString();
    }
}
