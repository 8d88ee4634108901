import java.io.ByteArrayInputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Two or more builds of the WebP decoder (each in its own class loader) and the JDK's JPEG reader, taking turns in
 * one JVM on the same picture: median wall and process CPU time of each, and their ratios to the JPEG reader.
 * Each build is a colon-separated class path holding {@code dev.mobilenet.image.webp} and core's classes; builds
 * are separated by commas. Usage (e.g. main's classes extracted with git archive and compiled to /tmp/base):
 * <pre>java --add-modules jdk.incubator.vector tools/WebpBeforeAfter.java photo.webp photo.jpg 11 \
 *     /tmp/base:core/target/classes,image/target/classes:core/target/classes</pre>
 */
public class WebpBeforeAfter {
    public static void main(String[] args) throws Throwable {
        byte[] webp = Files.readAllBytes(Path.of(args[0]));
        byte[] jpeg = Files.readAllBytes(Path.of(args[1]));
        int rounds = Integer.parseInt(args[2]);
        List<MethodHandle> decoders = new ArrayList<>();
        for (String build : args[3].split(",")) {
            List<URL> urls = new ArrayList<>();
            for (String entry : build.split(":")) {
                urls.add(Path.of(entry).toUri().toURL());
            }
            ClassLoader cl = new URLClassLoader(urls.toArray(new URL[0]), ClassLoader.getPlatformClassLoader());
            Class<?> decoder = cl.loadClass("dev.mobilenet.image.webp.WebpDecoder");
            Class<?> image = cl.loadClass("dev.mobilenet.image.webp.WebpDecoder$Image");
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            decoders.add(MethodHandles.filterReturnValue(
                    lookup.findStatic(decoder, "decode", MethodType.methodType(image, byte[].class)),
                    lookup.findVirtual(image, "rgb", MethodType.methodType(byte[].class))));
        }
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        int n = decoders.size();
        double[][] wall = new double[n + 1][rounds];
        double[][] cpu = new double[n + 1][rounds];
        long sink = 0;
        for (int r = -3; r < rounds; r++) {
            for (int k = 0; k <= n; k++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                sink += k < n ? ((byte[]) decoders.get(k).invoke(webp))[7] : jdkJpeg(jpeg);
                if (r >= 0) {
                    wall[k][r] = (System.nanoTime() - t0) / 1e6;
                    cpu[k][r] = (os.getProcessCpuTime() - c0) / 1e6;
                }
            }
        }
        for (int k = 0; k <= n; k++) {
            System.out.printf(Locale.ROOT, "%-10s wall median %7.1f ms (min %7.1f), / JPEG %.2f; process CPU median "
                    + "%5.0f ms, / JPEG %.2f%n", k < n ? "webp #" + k : "JDK JPEG", median(wall[k]),
                    Arrays.stream(wall[k]).min().orElse(0), median(wall[k]) / median(wall[n]), median(cpu[k]),
                    median(cpu[k]) / median(cpu[n]));
        }
        System.out.println("Java " + Runtime.version() + ", sink " + sink);
    }

    private static int jdkJpeg(byte[] jpeg) throws Exception {
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
            return reader.read(0).getRGB(3, 3);
        } finally {
            reader.dispose();
        }
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
