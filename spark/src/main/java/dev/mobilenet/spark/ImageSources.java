package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * The command's inputs as DataFrames: a folder of images (searched recursively, image extensions only), a glob of
 * image files ({@code photos/*.jpg}, or {@code photos/**}{@code /*.jpg} for every folder below), or a Parquet table
 * with a binary or path column.
 */
public final class ImageSources {
    /** The extensions a folder is searched for, as predict does (any case). */
    static final List<String> EXTENSIONS = List.of("jpg", "jpeg", "png", "bmp", "gif", "webp");

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
