package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;

/**
 * A Spark ML transformer that embeds images: adds each row's pre-logits (timm's {@code forward_head(pre_logits=True)},
 * the numbers {@code mobilenet embed} writes) as {@code array<float>}, or as an ML {@code Vector} with
 * {@code setOutputType("vector")}, and an {@code error} column.
 */
public final class MobileNetEmbedder extends MobileNetTransformer<MobileNetEmbedder> {
    private static final long serialVersionUID = 1L;

    private final Param<String> outputType;

    public MobileNetEmbedder() {
        this(Identifiable.randomUID("mobilenetEmbedder"));
    }

    public MobileNetEmbedder(String uid) {
        super(uid, "embedding");
        outputType = new Param<>(this, "outputType", "array (array<float>) or vector (ML Vector of doubles)",
                ParamValidators.inArray(new String[] {"array", "vector"}));
        setDefault(outputType, "array");
    }

    public Param<String> outputType() {
        return outputType;
    }

    public MobileNetEmbedder setOutputType(String type) {
        if (!"array".equals(type) && !"vector".equals(type)) {
            throw new MobileNetException("outputType must be array or vector, got " + type);
        }
        set(outputType, type);
        return this;
    }

    @Override
    protected DataType resultType() {
        return output() == ScoringJob.Output.EMBEDDING_VECTOR ? SQLDataTypes.VectorType()
                : DataTypes.createArrayType(DataTypes.FloatType, false);
    }

    @Override
    protected ScoringJob.Output output() {
        return getOrDefault(outputType).equals("vector") ? ScoringJob.Output.EMBEDDING_VECTOR
                : ScoringJob.Output.EMBEDDING_ARRAY;
    }
}
