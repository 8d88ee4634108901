package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.image.ImageDecoder;
import java.util.Arrays;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.DoubleArrayParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * What {@link MobileNetClassifier} and {@link MobileNetEmbedder} share: the model params, the input and error columns,
 * batching and threads, preprocessing overrides, and the transform (batched {@code mapPartitions} over a model
 * loaded once per executor JVM). Params persist with Spark ML's {@code save}/{@code load}.
 *
 * @param <T> the concrete transformer, so that setters chain
 */
public abstract class MobileNetTransformer<T extends MobileNetTransformer<T>> extends Transformer
        implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> errorCol;
    private final Param<String> pathCol;
    private final Param<String> modelName;
    private final Param<String> weights;
    private final Param<String> labels;
    private final Param<String> revision;
    private final IntParam batchSize;
    private final IntParam threads;
    private final LongParam maxPixels;
    private final IntArrayParam inputSize;
    private final DoubleParam cropPct;
    private final Param<String> cropMode;
    private final Param<String> interpolation;
    private final DoubleArrayParam mean;
    private final DoubleArrayParam std;

    protected MobileNetTransformer(String uid, String defaultOutputCol) {
        this.uid = uid;
        inputCol = new Param<>(this, "inputCol", "image column: encoded bytes (binaryFile's content), a path, or "
                + "Spark's image struct");
        outputCol = new Param<>(this, "outputCol", "result column");
        errorCol = new Param<>(this, "errorCol", "column with the one-line reason when an image cannot be used");
        pathCol = new Param<>(this, "pathCol", "string column naming the image in error messages, when present");
        modelName = new Param<>(this, "modelName", "timm model name, arch or arch.tag");
        weights = new Param<>(this, "weights", "timm state dict (.safetensors): a path on every node, a URI on "
                + "shared storage, or the name of a file shipped with --files; unset for the Hub's weights");
        labels = new Param<>(this, "labels", "class names file, one per line (same forms as weights)");
        revision = new Param<>(this, "revision", "Hub revision of the weights");
        batchSize = new IntParam(this, "batchSize", "images per engine call", ParamValidators.gtEq(1));
        threads = new IntParam(this, "threads", "engine threads per task (match spark.task.cpus); one decodes "
                + "between engine calls, more decode the next batch on as many threads meanwhile",
                ParamValidators.gtEq(1));
        maxPixels = new LongParam(this, "maxPixels", "images with more pixels are refused from their header",
                ParamValidators.gtEq(1));
        inputSize = new IntArrayParam(this, "inputSize", "preprocessing override: {height, width}");
        cropPct = new DoubleParam(this, "cropPct", "preprocessing override: crop fraction", ParamValidators.gt(0));
        cropMode = new Param<>(this, "cropMode", "preprocessing override: center, squash or border");
        interpolation = new Param<>(this, "interpolation", "preprocessing override: timm's interpolation name");
        mean = new DoubleArrayParam(this, "mean", "preprocessing override: R, G, B mean");
        std = new DoubleArrayParam(this, "std", "preprocessing override: R, G, B standard deviation");
        setDefault(inputCol, "content");
        setDefault(outputCol, defaultOutputCol);
        setDefault(errorCol, "error");
        setDefault(pathCol, "path");
        setDefault(batchSize, 16);
        setDefault(threads, 1);
        setDefault(maxPixels, ImageDecoder.DEFAULT_MAX_PIXELS);
    }

    @SuppressWarnings("unchecked")
    private T self() {
        return (T) this;
    }

    @Override
    public String uid() {
        return uid;
    }

    public Param<String> inputCol() {
        return inputCol;
    }

    public Param<String> outputCol() {
        return outputCol;
    }

    public Param<String> errorCol() {
        return errorCol;
    }

    public Param<String> pathCol() {
        return pathCol;
    }

    public Param<String> modelName() {
        return modelName;
    }

    public Param<String> weights() {
        return weights;
    }

    public Param<String> labels() {
        return labels;
    }

    public Param<String> revision() {
        return revision;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam threads() {
        return threads;
    }

    public LongParam maxPixels() {
        return maxPixels;
    }

    public IntArrayParam inputSize() {
        return inputSize;
    }

    public DoubleParam cropPct() {
        return cropPct;
    }

    public Param<String> cropMode() {
        return cropMode;
    }

    public Param<String> interpolation() {
        return interpolation;
    }

    public DoubleArrayParam mean() {
        return mean;
    }

    public DoubleArrayParam std() {
        return std;
    }

    public T setInputCol(String v) {
        set(inputCol, v);
        return self();
    }

    public T setOutputCol(String v) {
        set(outputCol, v);
        return self();
    }

    public T setErrorCol(String v) {
        set(errorCol, v);
        return self();
    }

    public T setPathCol(String v) {
        set(pathCol, v);
        return self();
    }

    public T setModelName(String v) {
        set(modelName, v);
        return self();
    }

    public T setWeights(String v) {
        set(weights, v);
        return self();
    }

    public T setLabels(String v) {
        set(labels, v);
        return self();
    }

    public T setRevision(String v) {
        set(revision, v);
        return self();
    }

    public T setBatchSize(int v) {
        set(batchSize, v);
        return self();
    }

    public T setThreads(int v) {
        set(threads, v);
        return self();
    }

    public T setMaxPixels(long v) {
        set(maxPixels, v);
        return self();
    }

    public T setInputSize(int height, int width) {
        set(inputSize, new int[] {height, width});
        return self();
    }

    public T setCropPct(double v) {
        set(cropPct, v);
        return self();
    }

    public T setCropMode(String v) {
        set(cropMode, v);
        return self();
    }

    public T setInterpolation(String v) {
        set(interpolation, v);
        return self();
    }

    public T setMean(double r, double g, double b) {
        set(mean, new double[] {r, g, b});
        return self();
    }

    public T setStd(double r, double g, double b) {
        set(std, new double[] {r, g, b});
        return self();
    }

    @Override
    public T copy(ParamMap extra) {
        return defaultCopy(extra);
    }

    /** Spark ML's reader of a saved transformer; the saved metadata names its class. */
    public static <R extends MobileNetTransformer<R>> MLReader<R> read() {
        return new DefaultParamsReader<>();
    }

    /** A transformer saved with {@link #write()}, as the class it was saved as. */
    public static <R extends MobileNetTransformer<R>> R load(String path) {
        return MobileNetTransformer.<R>read().load(path);
    }

    /** The result column's type. */
    protected abstract DataType resultType();

    /** What the result column holds. */
    protected abstract ScoringJob.Output output();

    /** Classes per row for classification; ignored otherwise. */
    protected int topKValue() {
        return 0;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        String in = getOrDefault(inputCol);
        if (schema.getFieldIndex(in).isEmpty()) {
            throw new MobileNetException("no input column " + in + " in " + Arrays.toString(schema.fieldNames()));
        }
        ImageInput.of(in, schema.apply(in).dataType());
        modelKey();
        String out = getOrDefault(outputCol);
        String err = getOrDefault(errorCol);
        for (String c : new String[] {out, err}) {
            if (schema.getFieldIndex(c).isDefined()) {
                throw new MobileNetException("output column " + c + " already exists");
            }
        }
        if (out.equals(err)) {
            throw new MobileNetException("the result and error columns are both named " + out);
        }
        return schema.add(new StructField(out, resultType(), true, org.apache.spark.sql.types.Metadata.empty()))
                .add(new StructField(err, DataTypes.StringType, true, org.apache.spark.sql.types.Metadata.empty()));
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType schema = dataset.schema();
        StructType out = transformSchema(schema);
        String in = getOrDefault(inputCol);
        int inputIndex = schema.fieldIndex(in);
        String pc = getOrDefault(pathCol);
        int nameIndex = schema.getFieldIndex(pc).isDefined() && schema.apply(pc).dataType() instanceof StringType
                ? schema.fieldIndex(pc) : -1;
        ScoringJob job = new ScoringJob(modelKey(), output(), topKValue(), (Integer) getOrDefault(batchSize),
                (Integer) getOrDefault(threads), (Long) getOrDefault(maxPixels),
                ImageInput.of(in, schema.apply(in).dataType()), inputIndex, nameIndex);
        return dataset.toDF().mapPartitions((MapPartitionsFunction<Row, Row>) rows -> PartitionScorer.score(rows, job),
                Encoders.row(out));
    }

    /** The model's identity from the params; checks the name on the driver, before any task starts. */
    ModelKey modelKey() {
        if (!isDefined(modelName)) {
            throw new MobileNetException("modelName is not set");
        }
        String name = getOrDefault(modelName);
        Registry.resolve(name);
        int[] size = isDefined(inputSize) ? getOrDefault(inputSize) : null;
        if (size != null && (size.length != 2 || size[0] < 1 || size[1] < 1)) {
            throw new MobileNetException("inputSize needs {height, width} > 0, got " + Arrays.toString(size));
        }
        double[] m = isDefined(mean) ? getOrDefault(mean) : null;
        double[] s = isDefined(std) ? getOrDefault(std) : null;
        if ((m != null && m.length != 3) || (s != null && s.length != 3)) {
            throw new MobileNetException("mean and std need 3 values (R, G, B)");
        }
        return new ModelKey(name, opt(weights), opt(labels), opt(revision), size,
                isDefined(cropPct) ? (Double) getOrDefault(cropPct) : Double.NaN, opt(cropMode), opt(interpolation),
                m, s);
    }

    private String opt(Param<String> p) {
        return isDefined(p) ? getOrDefault(p) : null;
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    @Override
    public void save(String path) throws java.io.IOException {
        write().save(path);
    }
}
