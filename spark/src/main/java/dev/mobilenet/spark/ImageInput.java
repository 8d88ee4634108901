package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.RgbImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * How the input column holds an image: encoded bytes (the {@code binaryFile} source's {@code content}), Spark's
 * image struct ({@code ImageSchema}: BGR(A) or grey pixels), or a path that Hadoop reads (local, HDFS, S3, ...).
 */
enum ImageInput implements Serializable {
    BYTES, IMAGE_STRUCT, PATH;

    static ImageInput of(String column, DataType type) {
        if (type instanceof BinaryType) {
            return BYTES;
        }
        if (type instanceof StringType) {
            return PATH;
        }
        if (type instanceof StructType s && s.getFieldIndex("data").isDefined() && s.getFieldIndex("height").isDefined()
                && s.getFieldIndex("width").isDefined() && s.getFieldIndex("nChannels").isDefined()) {
            return IMAGE_STRUCT;
        }
        throw new MobileNetException("input column " + column + " is " + type.simpleString()
                + "; expected binary (encoded image), string (a path) or Spark's image struct");
    }

    /** The image in {@code value}, decoded; {@code name} is used in error messages. */
    RgbImage decode(Object value, ImageDecoder decoder, String name) {
        if (value == null) {
            throw new MobileNetException(name + ": no image (null)");
        }
        return switch (this) {
            case BYTES -> decoder.decode((byte[]) value, name);
            case PATH -> decoder.decode(read((String) value, name), name);
            case IMAGE_STRUCT -> fromStruct((Row) value, decoder.maxPixels(), name);
        };
    }

    private static byte[] read(String path, String name) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(HadoopConf.CONF);
            long size = fs.getFileStatus(p).getLen();
            if (size > ImageDecoder.MAX_FILE_BYTES) {
                throw new MobileNetException(name + ": file of " + size + " bytes is too large to decode");
            }
            try (InputStream in = fs.open(p)) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream((int) size);
                in.transferTo(buf);
                return buf.toByteArray();
            }
        } catch (IOException e) {
            throw new MobileNetException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * One Hadoop configuration per JVM: a new one parses Hadoop's default XML resources on first use, tens of
     * milliseconds per image. In a Spark executor it carries the application's {@code spark.hadoop.*} settings.
     */
    private static final class HadoopConf {
        static final Configuration CONF = create();

        private static Configuration create() {
            org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
            return env == null ? new Configuration()
                    : org.apache.spark.deploy.SparkHadoopUtil.get().newConfiguration(env.conf());
        }
    }

    /** Spark's image struct (OpenCV byte order: B, G, R[, A], or one grey channel) as RGB. */
    private static RgbImage fromStruct(Row r, long maxPixels, String name) {
        int h = r.getInt(r.fieldIndex("height"));
        int w = r.getInt(r.fieldIndex("width"));
        int c = r.getInt(r.fieldIndex("nChannels"));
        byte[] data = (byte[]) r.get(r.fieldIndex("data"));
        if (h < 1 || w < 1 || (long) h * w > maxPixels || (c != 1 && c != 3 && c != 4) || data == null
                || data.length != (long) h * w * c) {
            throw new MobileNetException(name + ": invalid image struct (" + w + "x" + h + ", " + c
                    + " channels, " + (data == null ? "no" : Integer.toString(data.length)) + " bytes)");
        }
        byte[] rgb = new byte[h * w * 3];
        for (int i = 0, n = h * w; i < n; i++) {
            if (c == 1) {
                rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = data[i];
            } else {
                rgb[3 * i] = data[c * i + 2];
                rgb[3 * i + 1] = data[c * i + 1];
                rgb[3 * i + 2] = data[c * i];
            }
        }
        return new RgbImage(w, h, rgb);
    }
}
