package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The command's inputs as DataFrames: a folder of images (searched recursively, image extensions only), a glob of
 * image files ({@code photos/*.jpg}, or {@code photos/**}{@code /*.jpg} for every folder below), or a Parquet table
 * with a binary or path column.
 */
public final class ImageSources {
    /** The extensions a folder is searched for, as predict does (any case). */
    static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

    /** At most this many images per default partition (about 20-40 s of one core's work, a lost task's cost). */
    static final int IMAGES_PER_PARTITION = 1000;

    private ImageSources() {
    }

    /** Whether {@code input} names a Parquet table: a .parquet path, or a folder holding .parquet files. */
    public static boolean isParquet(String input) {
        if (input.toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        Path p = Path.of(input);
        if (!hasGlob(input) && Files.isDirectory(p)) {
            try (Stream<Path> s = Files.list(p)) {
                return s.anyMatch(f -> f.getFileName().toString().endsWith(".parquet"));
            } catch (IOException e) {
                throw new MobileNetException("cannot list " + input + ": " + e.getMessage(), e);
            }
        }
        return false;
    }

    /** Image files as the binaryFile source's rows: path, modificationTime, length, content. */
    public static Dataset<Row> images(SparkSession spark, String input) {
        var reader = spark.read().format("binaryFile");
        if (!hasGlob(input)) {
            if (!isLocal(input) || Files.isDirectory(Path.of(input))) {
                return reader.option("recursiveFileLookup", "true").option("pathGlobFilter", extensionGlob())
                        .load(input);
            }
            if (!Files.exists(Path.of(input))) {
                throw new MobileNetException("no such file or folder: " + input);
            }
            return reader.load(input);
        }
        int star = input.indexOf("/**/");
        if (star >= 0) {
            String base = input.substring(0, star);
            String pattern = input.substring(star + 4);
            if (hasGlob(base) || pattern.contains("/")) {
                throw new MobileNetException("unsupported glob " + input + ": '**' must be followed by a file pattern "
                        + "only, e.g. photos/**/*.jpg");
            }
            return reader.option("recursiveFileLookup", "true").option("pathGlobFilter", pattern).load(base);
        }
        return reader.load(input);
    }

    /**
     * The image files of {@code input} (as {@link #images} finds them) as rows of one column, {@code path}, split
     * evenly by count into {@code partitions} partitions, or by default one per task slot and at least one per
     * {@link #IMAGES_PER_PARTITION} images. The files are listed on the driver (as the {@code binaryFile} source
     * lists them) and read by the tasks, so no image bytes move through Spark, and a partition holds as many images
     * as any other: the {@code binaryFile} source packs files by bytes plus an open cost of 4 MB, i.e. about 31 small
     * images per task, each task paying Spark's per-task cost (docs/SCALING.md).
     */
    public static Dataset<Row> imagePaths(SparkSession spark, String input, Integer partitions) {
        String[] files = images(spark, input).inputFiles();
        Arrays.sort(files);
        int n = partitions != null ? partitions : Math.max(spark.sparkContext().defaultParallelism(),
                (int) ((files.length + (long) IMAGES_PER_PARTITION - 1) / IMAGES_PER_PARTITION));
        List<Row> rows = new ArrayList<>(files.length);
        for (String f : files) {
            // inputFiles gives URIs (file:///a/b%20c.jpg); the path column is written as binaryFile writes it.
            rows.add(RowFactory.create(new org.apache.hadoop.fs.Path(java.net.URI.create(f)).toString()));
        }
        StructType schema = new StructType().add("path", DataTypes.StringType, false);
        return spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, Math.max(1, Math.min(n, files.length))), schema);
    }

    /** A Parquet table's rows. */
    public static Dataset<Row> table(SparkSession spark, String input) {
        return spark.read().parquet(input);
    }

    /** The column holding images in a table: {@code column} if given, else {@code content}, else {@code path}. */
    public static String imageColumn(Dataset<Row> table, String column) {
        List<String> names = List.of(table.columns());
        if (column != null) {
            if (!names.contains(column)) {
                throw new MobileNetException("no column " + column + " in the input table " + names);
            }
            return column;
        }
        for (String c : List.of("content", "path")) {
            if (names.contains(c)) {
                return c;
            }
        }
        throw new MobileNetException("the input table has no content or path column " + names + "; name one with "
                + "--column");
    }

    private static boolean hasGlob(String s) {
        return s.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
    }

    private static boolean isLocal(String s) {
        return !s.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*");
    }

    /** {@code {*.[jJ][pP][gG],...}}: Hadoop's glob is case-sensitive. */
    static String extensionGlob() {
        StringBuilder sb = new StringBuilder("{");
        for (String ext : EXTENSIONS) {
            sb.append(sb.length() > 1 ? "," : "").append("*.");
            for (char c : ext.toCharArray()) {
                sb.append('[').append(c).append(Character.toUpperCase(c)).append(']');
            }
        }
        return sb.append('}').toString();
    }
}
