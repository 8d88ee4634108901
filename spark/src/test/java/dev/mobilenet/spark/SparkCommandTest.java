package dev.mobilenet.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mobilenet.classify.ImageClassifier;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

class SparkCommandTest {
    /** Runs {@code mobilenet spark ...} in this JVM (on the shared local[2] session); {exit code, stdout, stderr}. */
    private static String[] spark(String... args) {
        SparkFixtures.spark();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = SparkMain.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
            err.toString(StandardCharsets.UTF_8)};
    }

    private static List<String> model(String... more) {
        List<String> a = new ArrayList<>(List.of("--model", SparkFixtures.MODEL, "--weights",
                SparkFixtures.weights().toString(), "--master", "local[2]", "--batch", "4"));
        a.addAll(List.of(more));
        return a;
    }

    private static String[] args(String command, List<String> a) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(a);
        return all.toArray(String[]::new);
    }

    /** The transformer's results on the photos folder, by path, as the reference for the written files. */
    private static Map<String, Row> reference(MobileNetTransformer<?> t, String column) {
        Dataset<Row> in = SparkFixtures.spark().read().format("binaryFile").option("recursiveFileLookup", "true")
                .load(SparkFixtures.photos().toString());
        Map<String, Row> byPath = new TreeMap<>();
        t.transform(in).select("path", column, "error").collectAsList().forEach(r -> byPath.put(r.getString(0), r));
        // The binaryFile source drops zero-length files; the command lists files itself and, as predict does,
        // reports an empty one: its row has predict's error line.
        for (ImageClassifier.Outcome o : SparkFixtures.reference(false)) {
            String uri = "file:" + o.file().toAbsolutePath();
            if (!byPath.containsKey(uri)) {
                assertTrue(o instanceof ImageClassifier.Failure, uri);
                byPath.put(uri, RowFactory.create(uri, null, ((ImageClassifier.Failure) o).message()));
            }
        }
        return byPath;
    }

    @Test
    void localMastersGiveTheirTaskSlots() {
        assertEquals(1, SparkMain.localCores("local"));
        assertEquals(2, SparkMain.localCores("local[2]"));
        assertEquals(3, SparkMain.localCores("local[3,4]"));
        assertEquals(Runtime.getRuntime().availableProcessors(), SparkMain.localCores("local[*]"));
        assertEquals(-1, SparkMain.localCores("local-cluster[2,1,1024]"));
        assertEquals(-1, SparkMain.localCores("yarn"));
        assertEquals(-1, SparkMain.localCores("spark://host:7077"));
    }

    @Test
    void predictWritesJsonThatReadsBackAsTheTransformerResults() {
        Path out = SparkFixtures.root().resolve("predict-json");
        String[] r = spark(args("predict", model("--input", SparkFixtures.photos().toString(), "--output",
                out.toString(), "--format", "json", "--top", "3")));
        int rows = SparkFixtures.goodCount() + SparkFixtures.BROKEN.size();
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].startsWith("mobilenet spark: " + rows + " images, 3 failed, "), r[2]);
        assertTrue(r[2].strip().matches(".* images/s \\(task threads: decode [0-9.]+ s, engine [0-9.]+ s\\) -> "
                + java.util.regex.Pattern.quote(out.toString())), r[2]);

        SparkSession spark = SparkFixtures.spark();
        Dataset<Row> written = spark.read().schema(new org.apache.spark.sql.types.StructType().add("path", "string")
                .add("prediction", MobileNetClassifier.TOP_K_TYPE).add("error", "string")).json(out.toString());
        Map<String, Row> want = reference(new MobileNetClassifier().setModelName(SparkFixtures.MODEL)
                .setWeights(SparkFixtures.weights().toString()).setTopK(3), "prediction");
        List<Row> got = written.collectAsList();
        assertEquals(rows, got.size());
        for (Row row : got) {
            Row w = want.get(row.getString(0));
            assertNotNull(w, row.getString(0) + " not in " + want.keySet());
            assertEquals(w.get(1), row.get(1), row.getString(0));
            assertEquals(w.get(2), row.get(2), row.getString(0));
        }
    }

    @Test
    void embedFromAGlobWritesParquetThatReadsBackExactly() {
        Path out = SparkFixtures.root().resolve("embed-parquet");
        String glob = SparkFixtures.photos() + "/**/*.jpg";
        String[] r = spark(args("embed", model("--input", glob, "--output", out.toString(), "--partitions", "3")));
        assertEquals("1", r[0], r[2]);
        Dataset<Row> written = SparkFixtures.spark().read().parquet(out.toString());
        assertEquals(List.of("path", "embedding", "error"), List.of(written.columns()));
        Map<String, Row> want = reference(new MobileNetEmbedder().setModelName(SparkFixtures.MODEL)
                .setWeights(SparkFixtures.weights().toString()), "embedding");
        List<Row> got = written.collectAsList();
        long jpegs = want.keySet().stream().filter(p -> p.endsWith(".jpg")).count();
        assertEquals(jpegs, got.size());
        for (Row row : got) {
            assertTrue(row.getString(0).endsWith(".jpg"), row.getString(0));
            Row w = want.get(row.getString(0));
            assertNotNull(w, row.getString(0) + " not in " + want.keySet());
            assertEquals(w.get(1), row.get(1), row.getString(0));
            assertEquals(w.get(2), row.get(2), row.getString(0));
        }
    }

    @Test
    void oddFileNamesKeepTheirPathsAndPredictsResultsAndErrors() throws Exception {
        Path dir = Files.createDirectories(SparkFixtures.root().resolve("odd names").resolve("sub #1"));
        Files.copy(SparkFixtures.photos().resolve("photo_640x480.jpg"), dir.resolve("a b%20c ü.jpg"));
        Files.write(dir.resolve("empty 1.png"), new byte[0]);
        Path out = SparkFixtures.root().resolve("odd-out");
        String[] r = spark(args("predict", model("--input", dir.getParent().toString(), "--output", out.toString(),
                "--format", "json", "--verbose")));
        assertEquals("1", r[0], r[2]);
        // --verbose: the job's task timeline (the two files, evenly split over local[2]'s slots) and the phases.
        assertTrue(r[2].contains("\nmobilenet spark: job: 2 tasks, 2 rows written; before the first task "), r[2]);
        assertTrue(r[2].contains("\nmobilenet spark: phases: JVM start "), r[2]);
        List<Row> got = SparkFixtures.spark().read().schema(new org.apache.spark.sql.types.StructType()
                .add("path", "string").add("prediction", MobileNetClassifier.TOP_K_TYPE).add("error", "string"))
                .json(out.toString()).orderBy("path").collectAsList();
        List<ImageClassifier.Outcome> want = SparkFixtures.reference(dir.getParent(), false);
        assertEquals(2, want.size());
        assertEquals(2, got.size());
        for (int i = 0; i < 2; i++) {
            ImageClassifier.Outcome o = want.get(i);
            Row row = got.get(i);
            assertEquals("file:" + o.file().toAbsolutePath(), row.getString(0));
            if (o instanceof ImageClassifier.Failure f) {
                assertTrue(row.isNullAt(1));
                assertEquals(f.message(), row.getString(2));
            } else {
                List<dev.mobilenet.classify.Top> top = ((ImageClassifier.Prediction) o).top();
                List<Row> t = row.getList(1);
                assertEquals(top.size(), t.size());
                for (int k = 0; k < top.size(); k++) {
                    assertEquals(top.get(k).index(), t.get(k).getInt(0));
                    assertEquals(top.get(k).probability(), t.get(k).getDouble(2));
                }
                assertTrue(row.isNullAt(2));
            }
        }
    }

    @Test
    void parquetTableOfPathsIsAnInput() {
        SparkSession spark = SparkFixtures.spark();
        Path table = SparkFixtures.root().resolve("paths.parquet");
        List<String> files = List.of(SparkFixtures.photos().resolve("photo_640x480.jpg").toString(),
                SparkFixtures.photos().resolve("broken/not_an_image.png").toString());
        spark.createDataset(files, Encoders.STRING()).toDF("path").write().parquet(table.toString());
        Path out = SparkFixtures.root().resolve("from-table");
        String[] r = spark(args("predict", model("--input", table.toString(), "--output", out.toString())));
        assertEquals("1", r[0], r[2]);
        List<Row> got = spark.read().parquet(out.toString()).orderBy("path").collectAsList();
        assertEquals(2, got.size());
        assertEquals(files.get(1), got.get(0).getString(0));
        assertTrue(got.get(0).isNullAt(1));
        assertEquals(files.get(1) + ": not a JPEG, PNG, BMP, GIF or WebP image (unrecognised signature)",
                got.get(0).getString(2));
        assertEquals(5, got.get(1).getList(1).size());
        assertTrue(got.get(1).isNullAt(2));
    }

    @Test
    void badInvocationsFailWithOneLine() throws Exception {
        Path existing = Files.createDirectories(SparkFixtures.root().resolve("exists"));
        String[] r = spark(args("predict", model("--input", SparkFixtures.photos().toString(), "--output",
                existing.toString())));
        assertEquals("1", r[0]);
        assertEquals("mobilenet spark: output " + existing + " already exists; use --overwrite to replace it\n", r[2]);

        r = spark("predict", "--model", "mobilenetv9", "--input", SparkFixtures.photos().toString(), "--output",
                SparkFixtures.root().resolve("never").toString(), "--master", "local[2]");
        assertEquals("1", r[0]);
        assertEquals(1, r[2].lines().count(), r[2]);
        assertTrue(r[2].startsWith("mobilenet spark: ") && r[2].contains("mobilenetv9"), r[2]);

        Path missing = SparkFixtures.root().resolve("missing.safetensors");
        r = spark("predict", "--model", SparkFixtures.MODEL, "--weights", missing.toString(), "--input",
                SparkFixtures.photos().toString(), "--output", SparkFixtures.root().resolve("never").toString(),
                "--master", "local[2]");
        assertEquals("mobilenet spark: weights " + missing + " not found: neither a file on this node nor shipped "
                + "with --files\n", r[2]);

        r = spark(args("predict", model("--input", SparkFixtures.photos().toString(), "--output",
                SparkFixtures.root().resolve("never").toString(), "--format", "xml")));
        assertEquals("mobilenet spark: --format must be parquet or json, got xml\n", r[2]);
        assertFalse(Files.exists(SparkFixtures.root().resolve("never")));
    }
}
