package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;

/**
 * Finds a weights or labels file on an executor: a local path (the same on every node, e.g. a shared mount), a file
 * shipped with {@code spark-submit --files} (by its file name), or a URI on shared storage that Hadoop reads
 * ({@code hdfs://}, {@code s3a://}, ...), copied once to a local temporary file.
 */
final class ExecutorFiles {
    private ExecutorFiles() {
    }

    static Path local(String spec, String what) {
        URI uri = uri(spec);
        String scheme = uri == null ? null : uri.getScheme();
        if (scheme == null || scheme.equals("file")) {
            Path p = scheme == null ? path(spec) : Path.of(uri);
            if (p != null && Files.isRegularFile(p)) {
                return p;
            }
            Path shipped = shipped(p == null ? spec : p.getFileName().toString());
            if (shipped != null) {
                return shipped;
            }
            throw new MobileNetException(what + " " + spec + " not found: neither a file on this node nor shipped "
                    + "with --files");
        }
        return copy(uri, what);
    }

    private static URI uri(String spec) {
        if (spec.length() > 2 && spec.charAt(1) == ':' && Character.isLetter(spec.charAt(0))) {
            return null;
        }
        try {
            URI u = new URI(spec);
            return u.getScheme() != null && u.getScheme().length() > 1 ? u : null;
        } catch (URISyntaxException e) {
            return null;
        }
    }

    private static Path path(String spec) {
        try {
            return Path.of(spec);
        } catch (InvalidPathException e) {
            return null;
        }
    }

    /** A file added with --files (or SparkContext.addFile), when running inside Spark. */
    private static Path shipped(String name) {
        if (SparkEnv.get() == null || name.isEmpty() || name.contains("/")) {
            return null;
        }
        Path p = Path.of(SparkFiles.get(name));
        return Files.isRegularFile(p) ? p : null;
    }

    private static Path copy(URI uri, String what) {
        try {
            FileSystem fs = FileSystem.get(uri, new Configuration());
            String name = new org.apache.hadoop.fs.Path(uri).getName();
            Path tmp = Files.createTempFile("mobilenet-", "-" + name);
            tmp.toFile().deleteOnExit();
            try (InputStream in = fs.open(new org.apache.hadoop.fs.Path(uri))) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
        } catch (IOException e) {
            throw new MobileNetException("cannot read " + what + " " + uri + ": " + e.getMessage(), e);
        }
    }
}
