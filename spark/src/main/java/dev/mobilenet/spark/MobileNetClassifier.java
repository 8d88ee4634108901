package dev.mobilenet.spark;

import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A Spark ML transformer that classifies images: adds the top-k classes of each row's image as
 * {@code array<struct<index:int, label:string, probability:double>>} (the numbers {@code mobilenet predict} prints)
 * and an {@code error} column (null, or why the image could not be used).
 *
 * <pre>{@code
 * Dataset<Row> images = spark.read().format("binaryFile").load("photos/");
 * Dataset<Row> scored = new MobileNetClassifier().setModelName("mobilenetv3_large_100.ra_in1k").setTopK(5)
 *         .transform(images);
 * }</pre>
 */
public final class MobileNetClassifier extends MobileNetTransformer<MobileNetClassifier> {
    private static final long serialVersionUID = 1L;

    /** The output column's type. */
    public static final DataType TOP_K_TYPE = DataTypes.createArrayType(DataTypes.createStructType(new org.apache.spark
            .sql.types.StructField[] {
                DataTypes.createStructField("index", DataTypes.IntegerType, false),
                DataTypes.createStructField("label", DataTypes.StringType, false),
                DataTypes.createStructField("probability", DataTypes.DoubleType, false)}), false);

    private final IntParam topK;

    public MobileNetClassifier() {
        this(Identifiable.randomUID("mobilenetClassifier"));
    }

    public MobileNetClassifier(String uid) {
        super(uid, "prediction");
        topK = new IntParam(this, "topK", "classes per image, most probable first", ParamValidators.gtEq(1));
        setDefault(topK, 5);
    }

    public IntParam topK() {
        return topK;
    }

    public MobileNetClassifier setTopK(int k) {
        set(topK, k);
        return this;
    }

    @Override
    protected DataType resultType() {
        return TOP_K_TYPE;
    }

    @Override
    protected ScoringJob.Output output() {
        return ScoringJob.Output.TOP_K;
    }

    @Override
    protected int topKValue() {
        return (Integer) getOrDefault(topK);
    }
}
