package dev.mobilenet.image;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.webp.WebpDecoder;
import dev.mobilenet.image.webp.WebpException;
import dev.mobilenet.io.InputFiles;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.event.IIOReadWarningListener;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes JPEG, PNG, BMP, GIF (first frame) and WebP into the 8-bit RGB pixels that Pillow 9.4's
 * {@code Image.open(f).convert('RGB')} gives: alpha is dropped (not composited), palettes are looked up, 16-bit
 * samples keep their high byte except 16-bit grey PNG, which Pillow opens as mode {@code I} and clips to 255, and
 * 4-channel JPEGs are read as Adobe-inverted CMYK and converted with Pillow's formula (no ICC profiles).
 * JPEG colour conversion is libjpeg's integer arithmetic on the raw decoded planes.
 *
 * <p>BMP, headerless DIB ({@link BmpDecoder}) and GIF ({@link GifDecoder}) are decoded by our own code following
 * Pillow's plugins; JPEG and PNG pixels come from ImageIO after {@link JpegHeader} and {@link PngChunks} have
 * walked the markers and chunks as Pillow does, so that what Pillow refuses is refused.
 *
 * <p>The format is recognised from the content, as Pillow's {@code Image.open} recognises it (a DIB by its info
 * header size). The image size is read from the header first and images with
 * more than {@link #maxPixels()} pixels are refused before any pixel memory is allocated (Pillow's decompression
 * bomb error starts above {@value #DEFAULT_MAX_PIXELS}). Malformed, truncated or unsupported files fail with one
 * {@link MobileNetException} line that names the file.
 *
 * <p>Instances are immutable and thread-safe; every call uses its own ImageIO reader.
 */
public final class ImageDecoder {
    /** Twice Pillow's {@code Image.MAX_IMAGE_PIXELS} (89,478,485): where Pillow raises DecompressionBombError. */
    public static final long DEFAULT_MAX_PIXELS = 2L * 89_478_485;
    /** Files larger than this are refused before they are read. */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 8;
    private static final long MAX_RGB_PIXELS = (Integer.MAX_VALUE - 8) / 3;
    /** Kilobytes of encoded image bytes all decoders together hold at once: a quarter of the heap. */
    private static final long READ_BUDGET_KB = Math.max(1, Math.min(Integer.MAX_VALUE,
            Runtime.getRuntime().maxMemory() / 4 / 1024));
    private static final Semaphore READ_BUDGET = new Semaphore((int) READ_BUDGET_KB, true);

    private final long maxPixels;

    public ImageDecoder() {
        this(DEFAULT_MAX_PIXELS);
    }

    /** @param maxPixels the largest width * height accepted (must be positive) */
    public ImageDecoder(long maxPixels) {
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.maxPixels = maxPixels;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Reads and decodes a file. Only a regular file is opened (a FIFO or a device is refused before it can block or
     * run on for ever); its signature is checked from the first bytes before the rest is read; and the bytes held
     * by all decodes at once stay within a share of the heap, so one huge input fails alone (or waits for the others)
     * instead of exhausting memory for every file.
     */
    public RgbImage decode(Path file) {
        long size = InputFiles.checkedSize(file, MAX_FILE_BYTES, "image file");
        if (size == 0) {
            throw new MobileNetException(file + ": empty file, not an image");
        }
        long reserve = (size + 1023) / 1024;
        if (reserve > READ_BUDGET_KB) {
            throw new MobileNetException(file + ": file of " + size + " bytes is larger than the " + READ_BUDGET_KB
                    / 1024 + " MB this JVM allows for reading images (a quarter of the heap; raise -Xmx)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] head = in.readNBytes((int) Math.min(size, 64));
            if (ImageFormat.detect(head).isEmpty()) {
                throw unrecognised(file.toString());
            }
            READ_BUDGET.acquire((int) reserve);
            try {
                byte[] bytes = new byte[(int) size];
                System.arraycopy(head, 0, bytes, 0, head.length);
                int n = head.length + in.readNBytes(bytes, head.length, bytes.length - head.length);
                if (n != size || in.read() >= 0) {
                    throw new MobileNetException(file + ": changed size while being read");
                }
                return decode(bytes, file.toString());
            } finally {
                READ_BUDGET.release((int) reserve);
            }
        } catch (NoSuchFileException e) {
            throw new MobileNetException("no such file: " + file, e);
        } catch (IOException e) {
            throw new MobileNetException(file + ": cannot read (" + describe(e) + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MobileNetException(file + ": interrupted while waiting to read", e);
        } catch (OutOfMemoryError e) {
            throw new MobileNetException(file + ": out of memory while reading " + size + " bytes (try a larger -Xmx)",
                    e);
        }
    }

    private static MobileNetException unrecognised(String name) {
        return new MobileNetException(name + ": not a JPEG, PNG, BMP, GIF or WebP image (unrecognised signature)");
    }

    /** Decodes an encoded image held in memory; {@code name} is used in error messages. */
    public RgbImage decode(byte[] bytes, String name) {
        if (bytes.length == 0) {
            throw new MobileNetException(name + ": empty file, not an image");
        }
        ImageFormat format = ImageFormat.detect(bytes).orElseThrow(() -> unrecognised(name));
        try {
            return switch (format) {
                case JPEG -> decodeJpeg(bytes, name);
                case BMP, DIB -> BmpDecoder.decode(bytes, name, format == ImageFormat.DIB, this::checkBmp);
                case GIF -> GifDecoder.decode(bytes, name, this::checkGif);
                case WEBP -> decodeWebp(bytes, name);
                default -> decodeOther(bytes, name, format);
            };
        } catch (MobileNetException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new MobileNetException(name + ": corrupt or truncated " + format + " image (" + describe(e) + ")",
                    e);
        } catch (OutOfMemoryError e) {
            throw new MobileNetException(name + ": out of memory while decoding the " + format
                    + " image (try a larger -Xmx)", e);
        }
    }

    private static String describe(Throwable e) {
        String msg = e.getMessage();
        Throwable c = e.getCause();
        if (c != null && c.getMessage() != null && (msg == null || !msg.contains(c.getMessage()))) {
            msg = (msg == null ? "" : msg + ": ") + c.getMessage();
        }
        return (msg == null ? e.getClass().getSimpleName() : msg).replace('\n', ' ').replace('\r', ' ');
    }

    private void checkSize(String name, ImageFormat format, long width, long height) {
        if (width < 1 || height < 1) {
            throw new MobileNetException(name + ": " + format + " header declares an empty image (" + width + "x"
                    + height + ")");
        }
        if (width > maxPixels / height) {
            throw new MobileNetException(name + ": image size " + width + "x" + height + " ("
                    + java.math.BigInteger.valueOf(width).multiply(java.math.BigInteger.valueOf(height)) + " pixels) exceeds the limit of " + maxPixels + " pixels (possible decompression bomb)");
        }
        if (width * height > MAX_RGB_PIXELS) {
            throw new MobileNetException(name + ": image size " + width + "x" + height
                    + " is too large for one Java array of RGB bytes");
        }
    }

    private RgbImage decodeJpeg(byte[] bytes, String name) throws IOException {
        JpegHeader header;
        try {
            header = JpegHeader.parse(bytes);
        } catch (IllegalArgumentException e) {
            throw new MobileNetException(name + ": " + e.getMessage());
        }
        checkSize(name, ImageFormat.JPEG, header.width(), header.height());
        JpegHeader.ColorSpace cs = header.colorSpace();
        ImageReader reader = reader(ImageFormat.JPEG);
        Warnings warnings = new Warnings();
        try {
            byte[] input = header.withEmptySegments(bytes);
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(input)));
            reader.addIIOReadWarningListener(warnings);
            Raster raster = reader.readRaster(0, null);
            warnings.check(name, ImageFormat.JPEG);
            int w = raster.getWidth();
            int h = raster.getHeight();
            if (w != header.width() || h != header.height() || raster.getNumBands() != header.components()) {
                throw new MobileNetException(name + ": JPEG decoded to " + w + "x" + h + "x" + raster.getNumBands()
                        + ", header says " + header.width() + "x" + header.height() + "x" + header.components());
            }
            return rasterToRgb(raster, (row, n, rgb, o, width) -> {
                for (int x = 0; x < width; x++, o += 3) {
                    int i = x * n;
                    switch (cs) {
                        case GRAY -> {
                            byte v = (byte) row[i];
                            rgb[o] = v;
                            rgb[o + 1] = v;
                            rgb[o + 2] = v;
                        }
                        case RGB -> {
                            rgb[o] = (byte) row[i];
                            rgb[o + 1] = (byte) row[i + 1];
                            rgb[o + 2] = (byte) row[i + 2];
                        }
                        case YCBCR -> PixelConversions.yccToRgb(rgb, o, row[i], row[i + 1], row[i + 2]);
                        case CMYK -> PixelConversions.adobeCmykToRgb(rgb, o, row[i], row[i + 1], row[i + 2],
                                row[i + 3]);
                        case YCCK -> PixelConversions.adobeCmykToRgb(rgb, o,
                                PixelConversions.ycckToC(row[i], row[i + 2]),
                                PixelConversions.ycckToM(row[i], row[i + 1], row[i + 2]),
                                PixelConversions.ycckToY(row[i], row[i + 1]), row[i + 3]);
                        default -> throw new IllegalStateException(cs.toString());
                    }
                }
            });
        } finally {
            reader.dispose();
        }
    }

    private RgbImage decodeOther(byte[] bytes, String name, ImageFormat format) throws IOException {
        boolean clipGray16 = false;
        byte[] input = bytes;
        if (format == ImageFormat.PNG) {
            PngHeader ihdr = PngHeader.parse(bytes, name);
            checkSize(name, format, ihdr.width(), ihdr.height());
            clipGray16 = ihdr.colorType() == 0 && ihdr.bitDepth() == 16;
            input = PngChunks.check(bytes, name);
        }
        try {
            return readImage(input, name, format, clipGray16);
        } catch (IOException | MobileNetException e) {
            // ImageIO checks the zlib stream to its end; Pillow stops once it has every scanline
            byte[] asPillow = format == ImageFormat.PNG ? PngInflate.asPillowReads(bytes) : null;
            if (asPillow == null) {
                throw e;
            }
            return readImage(asPillow, name, format, clipGray16);
        }
    }

    private RgbImage readImage(byte[] bytes, String name, ImageFormat format, boolean clipGray16) throws IOException {
        ImageReader reader = reader(format);
        Warnings warnings = new Warnings();
        try {
            // PNG metadata is never used, and ImageIO's reading of it (text inflated whole, chunks up to IEND)
            // fails on files Pillow reads; PngChunks has already checked the chunks as Pillow does
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes)), true,
                    format == ImageFormat.PNG);
            reader.addIIOReadWarningListener(warnings);
            int w = reader.getWidth(0);
            int h = reader.getHeight(0);
            checkSize(name, format, w, h);
            BufferedImage image = reader.read(0);
            warnings.check(name, format);
            return toRgb(image, clipGray16, name);
        } finally {
            reader.dispose();
        }
    }

    /** WebP by this project's decoder (libwebp 1.2.4's pixels, as Pillow 9.4 gets them); alpha is dropped. */
    private RgbImage decodeWebp(byte[] bytes, String name) {
        try {
            WebpDecoder.Info info = WebpDecoder.info(bytes);
            checkSize(name, ImageFormat.WEBP, info.width(), info.height());
            WebpDecoder.Image img = WebpDecoder.decode(bytes, maxPixels);
            return new RgbImage(img.width(), img.height(), img.rgb());
        } catch (WebpException e) {
            throw new MobileNetException(name + ": " + e.getMessage(), e);
        }
    }

    private void checkBmp(String name, long width, long height) {
        checkSize(name, ImageFormat.BMP, width, height);
    }

    private void checkGif(String name, long width, long height) {
        checkSize(name, ImageFormat.GIF, width, height);
    }

    /** Pillow's {@code convert('RGB')} of the decoded samples, by colour model. */
    static RgbImage toRgb(BufferedImage image, boolean clipGray16, String name) {
        Raster raster = image.getRaster();
        ColorModel cm = image.getColorModel();
        if (cm instanceof IndexColorModel icm) {
            int[] palette = new int[Math.max(256, icm.getMapSize())];
            icm.getRGBs(palette);
            return rasterToRgb(raster, (row, n, rgb, o, width) -> {
                for (int x = 0; x < width; x++, o += 3) {
                    int i = x * n;
                    int idx = row[i];
                    int argb = idx < palette.length ? palette[idx] : 0;
                    rgb[o] = (byte) (argb >> 16);
                    rgb[o + 1] = (byte) (argb >> 8);
                    rgb[o + 2] = (byte) argb;
                }
            });
        }
        int colors = cm.getNumColorComponents();
        int type = cm.getColorSpace().getType();
        boolean gray = colors == 1 && type == ColorSpace.TYPE_GRAY;
        if (!gray && !(colors == 3 && type == ColorSpace.TYPE_RGB)) {
            throw new MobileNetException(name + ": unsupported colour model with " + colors + " colour components");
        }
        int[] bits = raster.getSampleModel().getSampleSize();
        for (int c = 0; c < colors; c++) {
            if (bits[c] < 1 || bits[c] > 16) {
                throw new MobileNetException(name + ": unsupported sample size of " + bits[c] + " bits");
            }
        }
        boolean clip = gray && clipGray16;
        return rasterToRgb(raster, (row, n, rgb, o, width) -> {
            for (int x = 0; x < width; x++, o += 3) {
                int i = x * n;
                if (gray) {
                    byte v = (byte) to8(row[i], bits[0], clip);
                    rgb[o] = v;
                    rgb[o + 1] = v;
                    rgb[o + 2] = v;
                } else {
                    rgb[o] = (byte) to8(row[i], bits[0], false);
                    rgb[o + 1] = (byte) to8(row[i + 1], bits[1], false);
                    rgb[o + 2] = (byte) to8(row[i + 2], bits[2], false);
                }
            }
        });
    }

    /** One row of {@code w} pixels of {@code n} samples each, {@code row}, as RGB from {@code rgb[o]} on. */
    private interface RowToRgb {
        void convert(int[] row, int n, byte[] rgb, int o, int w);
    }

    /** Walks {@code raster} a row at a time, converting each row with {@code rows}. */
    private static RgbImage rasterToRgb(Raster raster, RowToRgb rows) {
        int w = raster.getWidth();
        int h = raster.getHeight();
        RgbImage out = RgbImage.black(w, h);
        byte[] rgb = out.rgb();
        int n = raster.getNumBands();
        int[] row = new int[w * n];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            rows.convert(row, n, rgb, y * w * 3, w);
        }
        return out;
    }

    /** A sample of {@code bits} bits as Pillow's unpackers make it 8-bit. */
    private static int to8(int v, int bits, boolean clip) {
        if (bits == 8) {
            return v;
        }
        if (bits == 16) {
            return clip ? Math.min(v, 255) : v >> 8;
        }
        if (bits > 8) {
            return v >> (bits - 8);
        }
        return v * 255 / ((1 << bits) - 1);
    }

    private static ImageReader reader(ImageFormat format) {
        String formatName = format.name().toLowerCase(Locale.ROOT);
        String preferred = format == ImageFormat.JPEG ? "com.twelvemonkeys." : "com.sun.";
        List<ImageReader> readers = new ArrayList<>();
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(formatName); it.hasNext(); ) {
            readers.add(it.next());
        }
        if (readers.isEmpty()) {
            ImageIO.scanForPlugins();
            for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName(formatName); it.hasNext(); ) {
                readers.add(it.next());
            }
        }
        for (ImageReader r : readers) {
            if (r.getClass().getName().startsWith(preferred)) {
                return r;
            }
        }
        if (readers.isEmpty()) {
            throw new MobileNetException("no " + format + " decoder available (is TwelveMonkeys ImageIO on the class path?)");
        }
        return readers.get(0);
    }

    /**
     * Collects reader warnings; the ones that mean missing data fail the decode, as Pillow's "image file is
     * truncated" does. Others (libjpeg's "Corrupt JPEG data: extraneous bytes", and "premature end of data segment",
     * a marker met inside entropy-coded data, which libjpeg decodes past with zero coefficients) are ignored, as Pillow
     * ignores them.
     */
    private static final class Warnings implements IIOReadWarningListener {
        private final List<String> messages = new ArrayList<>();

        @Override
        public void warningOccurred(ImageReader source, String warning) {
            messages.add(warning);
        }

        void check(String name, ImageFormat format) {
            for (String m : messages) {
                String l = m.toLowerCase(Locale.ROOT);
                boolean corruptData = l.contains("premature end of data segment");
                if (!corruptData && (l.contains("premature") || l.contains("truncat") || l.contains("end of file")
                        || l.contains("eof"))) {
                    throw new MobileNetException(name + ": corrupt or truncated " + format + " image (" + m + ")");
                }
            }
        }
    }
}
