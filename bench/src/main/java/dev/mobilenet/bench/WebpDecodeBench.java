package dev.mobilenet.bench;

import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.webp.WebpDecoder;
import java.awt.image.BufferedImage;
import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * The WebP decoder (with its helper thread allowed, and on one thread) against the JDK's own JPEG decoder on the
 * same picture, in one process: the decoders take turns
 * (so a noisy neighbour on a shared machine slows both alike), and the median of each is reported, with the
 * process CPU time each decode used (which the neighbours change less than the wall time).
 *
 * <pre>java -cp ... dev.mobilenet.bench.WebpDecodeBench photo.webp photo.jpg [rounds [warm-up rounds]]</pre>
 *
 * <p>The warm-up rounds (10 unless given) let C2 finish compiling both decoders first: on two cores its compiler
 * threads otherwise take CPU from the measured rounds, the two-thread decode's most of all.
 */
public final class WebpDecodeBench {
    /** Warm-up rounds by default: with 3, C2 was still compiling in the measured rounds of some runs. */
    static final int WARMUP_ROUNDS = 10;

    private WebpDecodeBench() {
    }

    public static void main(String[] args) throws Exception {
        byte[] webp = Files.readAllBytes(Path.of(args[0]));
        byte[] jpeg = Files.readAllBytes(Path.of(args[1]));
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 15;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : WARMUP_ROUNDS;
        ImageDecoder decoder = new ImageDecoder();
        double[] ours = new double[rounds];
        double[] oneThread = new double[rounds];
        double[] rgb = new double[rounds];
        double[] jdk = new double[rounds];
        double[] jpegOurs = new double[rounds];
        double[] cpuOurs = new double[rounds];
        double[] cpuOne = new double[rounds];
        double[] cpuJdk = new double[rounds];
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long sink = 0;
        for (int r = -warmup; r < rounds; r++) {
            long c0 = os.getProcessCpuTime();
            long t0 = System.nanoTime();
            sink += WebpDecoder.decode(webp).rgb()[7];
            long c1 = os.getProcessCpuTime();
            long t1 = System.nanoTime();
            sink += decoder.decode(webp, "webp").rgb()[7];
            long c2 = os.getProcessCpuTime();
            long t2 = System.nanoTime();
            sink += jdkJpeg(jpeg).getRGB(3, 3);
            long c3 = os.getProcessCpuTime();
            long t3 = System.nanoTime();
            sink += decoder.decode(jpeg, "jpeg").rgb()[7];
            long c4 = os.getProcessCpuTime();
            long t4 = System.nanoTime();
            sink += WebpDecoder.decode(webp, Long.MAX_VALUE, false).rgb()[7];
            long c5 = os.getProcessCpuTime();
            long t5 = System.nanoTime();
            if (r >= 0) {
                cpuOurs[r] = (c1 - c0) / 1e6;
                cpuJdk[r] = (c3 - c2) / 1e6;
                cpuOne[r] = (c5 - c4) / 1e6;
                oneThread[r] = (t5 - t4) / 1e6;
                ours[r] = (t1 - t0) / 1e6;
                rgb[r] = (t2 - t1) / 1e6;
                jdk[r] = (t3 - t2) / 1e6;
                jpegOurs[r] = (t4 - t3) / 1e6;
            }
        }
        WebpDecoder.Info info = WebpDecoder.info(webp);
        System.out.printf(Locale.ROOT, "%dx%d, WebP %d bytes, JPEG %d bytes, %d rounds (median ms, min-max)%n",
                info.width(), info.height(), webp.length, jpeg.length, rounds);
        print("WebpDecoder.decode (WebP -> RGB, helper thread allowed)", ours);
        print("WebpDecoder.decode (WebP -> RGB, one thread)", oneThread);
        print("ImageDecoder.decode (WebP)", rgb);
        print("JDK ImageIO JPEG reader (JPEG -> BufferedImage)", jdk);
        print("ImageDecoder.decode (JPEG, TwelveMonkeys raster + libjpeg colour)", jpegOurs);
        System.out.printf(Locale.ROOT, "process CPU ms (median): WebP %.0f, WebP one thread %.0f, JDK JPEG %.0f%n",
                median(cpuOurs), median(cpuOne), median(cpuJdk));
        System.out.printf(Locale.ROOT, "WebP / JDK JPEG: %.2f, one thread %.2f (Java %s, %d processors, sink %d)%n",
                median(ours) / median(jdk), median(oneThread) / median(jdk), Runtime.version(),
                Runtime.getRuntime().availableProcessors(), sink);
    }

    static BufferedImage jdkJpeg(byte[] jpeg) throws Exception {
        ImageReader reader = null;
        for (Iterator<ImageReader> it = ImageIO.getImageReadersByFormatName("jpeg"); it.hasNext(); ) {
            ImageReader r = it.next();
            if (r.getClass().getName().startsWith("com.sun.")) {
                reader = r;
            }
        }
        if (reader == null) {
            throw new IllegalStateException("the JDK's JPEG reader is not registered");
        }
        try {
            reader.setInput(new MemoryCacheImageInputStream(new ByteArrayInputStream(jpeg)));
            return reader.read(0);
        } finally {
            reader.dispose();
        }
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static void print(String what, double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        System.out.printf(Locale.ROOT, "  %-70s %8.1f  (%.1f-%.1f)%n", what, median(v), s[0], s[s.length - 1]);
    }
}
