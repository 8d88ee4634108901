package dev.mobilenet.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.classify.ImageClassifier;
import dev.mobilenet.classify.Top;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class TransformersTest {
    private static Dataset<Row> images() {
        return SparkFixtures.spark().read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(SparkFixtures.photos().toString()).repartition(3);
    }

    private static MobileNetClassifier classifier() {
        return new MobileNetClassifier().setModelName(SparkFixtures.MODEL)
                .setWeights(SparkFixtures.weights().toString()).setTopK(5).setBatchSize(4);
    }

    private static String local(String uri) {
        return Path.of(URI.create(uri)).toString();
    }

    @Test
    void classifierEqualsPredictBitForBitAndReportsBrokenFilesAsPredictDoes() {
        Map<String, List<Top>> expected = new HashMap<>();
        Map<String, String> failures = new HashMap<>();
        for (ImageClassifier.Outcome o : SparkFixtures.reference(false)) {
            if (o instanceof ImageClassifier.Prediction p) {
                expected.put(p.file().toString(), p.top());
            } else {
                failures.put(o.file().toString(), ((ImageClassifier.Failure) o).message());
            }
        }
        assertEquals(SparkFixtures.goodCount(), expected.size());
        assertEquals(SparkFixtures.BROKEN.size(), failures.size());

        List<Row> rows = classifier().transform(images()).select("path", "prediction", "error").collectAsList();
        // Spark's file listing drops zero-length files, so the empty one has no row (predict reports it).
        assertEquals(SparkFixtures.goodCount() + SparkFixtures.BROKEN.size() - 1, rows.size());
        assertTrue(rows.stream().noneMatch(r -> r.getString(0).endsWith("/empty.jpg")));
        int good = 0;
        int bad = 0;
        for (Row row : rows) {
            String file = local(row.getString(0));
            if (row.isNullAt(1)) {
                bad++;
                assertEquals(failures.get(file), row.getString(2), file);
                continue;
            }
            good++;
            assertNull(row.get(2));
            List<Top> want = expected.get(file);
            assertNotNull(want, file);
            List<Row> top = row.getList(1);
            assertEquals(want.size(), top.size());
            for (int i = 0; i < top.size(); i++) {
                Row t = top.get(i);
                assertEquals(want.get(i).index(), t.getInt(0), file);
                assertEquals(want.get(i).label(), t.getString(1), file);
                assertEquals(want.get(i).probability(), t.getDouble(2), 0.0, file);
            }
        }
        assertEquals(SparkFixtures.goodCount(), good);
        assertEquals(SparkFixtures.BROKEN.size() - 1, bad);
    }

    @Test
    void embedderEqualsEmbedAsArrayAndVector() {
        Map<String, float[]> expected = new HashMap<>();
        for (ImageClassifier.Outcome o : SparkFixtures.reference(true)) {
            if (o instanceof ImageClassifier.Embedding emb) {
                expected.put(emb.file().toString(), emb.vector());
            }
        }

        MobileNetEmbedder e = new MobileNetEmbedder().setModelName(SparkFixtures.MODEL)
                .setWeights(SparkFixtures.weights().toString()).setBatchSize(3);
        Dataset<Row> in = images();
        List<Row> arrays = e.transform(in).select("path", "embedding", "error").collectAsList();
        List<Row> vectors = e.copy(new org.apache.spark.ml.param.ParamMap()).setOutputType("vector").setThreads(2)
                .transform(in).select("path", "embedding").collectAsList();
        Map<String, Vector> vectorByFile = new HashMap<>();
        vectors.forEach(v -> vectorByFile.put(local(v.getString(0)), (Vector) v.get(1)));
        int seen = 0;
        for (Row row : arrays) {
            String file = local(row.getString(0));
            float[] want = expected.get(file);
            if (want == null) {
                assertNull(row.get(1), file);
                assertTrue(row.getString(2).startsWith(file + ": "), row.getString(2));
                continue;
            }
            seen++;
            List<Float> got = row.getList(1);
            int d = want.length;
            assertEquals(d, got.size());
            float[] actual = new float[d];
            for (int j = 0; j < d; j++) {
                actual[j] = got.get(j);
            }
            assertArrayEquals(want, actual, 0f, file);
            double[] v = vectorByFile.get(file).toArray();
            for (int j = 0; j < d; j++) {
                assertEquals(want[j], v[j], 0.0, file);
            }
        }
        assertEquals(expected.size(), seen);
        assertEquals(SparkFixtures.goodCount(), seen);
    }

    @Test
    void modelIsLoadedOncePerJvmAcrossPartitionsAndRuns() {
        // A preprocessing override no other test uses, so this test's model is its own cache entry.
        MobileNetClassifier c = classifier().setCropPct(0.9);
        int before = ExecutorModels.loads();
        Dataset<Row> in = images().repartition(4);
        long first = c.transform(in).filter("error is null").count();
        long second = c.setBatchSize(2).transform(in).filter("error is null").count();
        assertEquals(SparkFixtures.goodCount(), first);
        assertEquals(first, second);
        assertEquals(1, ExecutorModels.loads() - before);
    }

    @Test
    void savedAndReloadedPipelineGivesTheSameResults() throws IOException {
        SparkSession spark = SparkFixtures.spark();
        Dataset<Row> in = images();
        MobileNetEmbedder emb = new MobileNetEmbedder().setModelName(SparkFixtures.MODEL)
                .setWeights(SparkFixtures.weights().toString()).setErrorCol("embedding_error").setOutputType("vector")
                .setInputSize(160, 160).setInterpolation("bilinear");
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {classifier().setTopK(3), emb});
        PipelineModel fitted = pipeline.fit(in);
        Path dir = SparkFixtures.root().resolve("pipelines");
        pipeline.write().overwrite().save(dir.resolve("pipeline").toString());
        fitted.write().overwrite().save(dir.resolve("model").toString());

        List<Row> want = fitted.transform(in).select("path", "prediction", "error", "embedding", "embedding_error")
                .orderBy("path").collectAsList();
        PipelineModel reloaded = PipelineModel.load(dir.resolve("model").toString());
        PipelineModel refitted = Pipeline.load(dir.resolve("pipeline").toString()).fit(in);
        for (PipelineModel m : List.of(reloaded, refitted)) {
            MobileNetClassifier c = (MobileNetClassifier) m.stages()[0];
            MobileNetEmbedder e = (MobileNetEmbedder) m.stages()[1];
            assertEquals(3, (Integer) c.getOrDefault(c.topK()));
            assertArrayEquals(new int[] {160, 160}, e.getOrDefault(e.inputSize()));
            List<Row> got = m.transform(spark.createDataFrame(in.collectAsList(), in.schema()))
                    .select("path", "prediction", "error", "embedding", "embedding_error").orderBy("path")
                    .collectAsList();
            assertEquals(want, got);
        }
        long withEmbedding = want.stream().filter(r -> r.get(3) != null).count();
        assertEquals(SparkFixtures.goodCount(), withEmbedding);
    }

    @Test
    void badParamsFailOnTheDriverWithOneLine() {
        Dataset<Row> in = images();
        MobileNetException e = assertThrows(MobileNetException.class,
                () -> new MobileNetClassifier().setModelName("mobilenetv9").transform(in));
        assertTrue(e.getMessage().contains("mobilenetv9"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> classifier().setInputCol("pixels").transform(in));
        assertEquals("no input column pixels in [path, modificationTime, length, content]", e.getMessage());
        e = assertThrows(MobileNetException.class, () -> classifier().setInputCol("length").transform(in));
        assertTrue(e.getMessage().startsWith("input column length is bigint; expected"), e.getMessage());
        e = assertThrows(MobileNetException.class, () -> classifier().setOutputCol("path").transform(in));
        assertEquals("output column path already exists", e.getMessage());
        e = assertThrows(MobileNetException.class, () -> new MobileNetClassifier().transform(in));
        assertEquals("modelName is not set", e.getMessage());
    }

    @Test
    void pathColumnInputReadsTheFiles() {
        Dataset<Row> paths = images().select("path");
        List<Row> byPath = classifier().setInputCol("path").setTopK(1).transform(paths).orderBy("path")
                .collectAsList();
        List<Row> byBytes = classifier().setTopK(1).transform(images()).select("path", "prediction", "error")
                .orderBy("path").collectAsList();
        assertEquals(byBytes.size(), byPath.size());
        for (int i = 0; i < byPath.size(); i++) {
            assertEquals(byBytes.get(i).get(1), byPath.get(i).get(1));
            assertEquals(byBytes.get(i).isNullAt(2), byPath.get(i).isNullAt(2));
        }
    }
}
