package dev.mobilenet.spark;

import java.io.Serializable;

/**
 * Everything a task needs, fixed on the driver from the transformer's params and the input schema, and shipped in
 * the task closure.
 *
 * @param output      what the output column holds
 * @param inputIndex  the input column's position in the row
 * @param nameIndex   position of a string column naming the row in error messages (e.g. {@code path}), or -1
 */
record ScoringJob(ModelKey key, Output output, int topK, int batch, int threads, long maxPixels, ImageInput input,
                  int inputIndex, int nameIndex) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The result column's content. */
    enum Output {
        TOP_K, EMBEDDING_ARRAY, EMBEDDING_VECTOR
    }
}
