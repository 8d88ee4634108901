package dev.mobilenet.bench;

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
import java.util.List;
import java.util.Locale;

/**
 * Two or more builds of the WebP decoder (each in its own class loader) and the JDK's JPEG reader, taking turns in
 * one JVM on the same picture: median wall and process CPU time of each, and their ratios to the JPEG reader.
 * Each build is a colon-separated class path holding {@code dev.mobilenet.image.webp} and core's classes; builds
 * are separated by commas. Usage (e.g. main's classes extracted with git archive and compiled to /tmp/base):
 * <pre>java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar dev.mobilenet.bench.WebpBeforeAfter \
 *     photo.webp photo.jpg 11 /tmp/base:core/target/classes,image/target/classes:core/target/classes</pre>
 */
public final class WebpBeforeAfter {
    private WebpBeforeAfter() {
    }

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
        for (int r = -WebpDecodeBench.WARMUP_ROUNDS; r < rounds; r++) {
            for (int k = 0; k <= n; k++) {
                long c0 = os.getProcessCpuTime();
                long t0 = System.nanoTime();
                sink += k < n ? ((byte[]) decoders.get(k).invoke(webp))[7]
                        : WebpDecodeBench.jdkJpeg(jpeg).getRGB(3, 3);
                if (r >= 0) {
                    wall[k][r] = (System.nanoTime() - t0) / 1e6;
                    cpu[k][r] = (os.getProcessCpuTime() - c0) / 1e6;
                }
            }
        }
        double jpegWall = WebpDecodeBench.median(wall[n]);
        double jpegCpu = WebpDecodeBench.median(cpu[n]);
        for (int k = 0; k <= n; k++) {
            double w = WebpDecodeBench.median(wall[k]);
            double c = WebpDecodeBench.median(cpu[k]);
            System.out.printf(Locale.ROOT, "%-10s wall median %7.1f ms (min %7.1f), / JPEG %.2f; process CPU median "
                    + "%5.0f ms, / JPEG %.2f%n", k < n ? "webp #" + k : "JDK JPEG", w,
                    Arrays.stream(wall[k]).min().orElse(0), w / jpegWall, c, c / jpegCpu);
        }
        System.out.println("Java " + Runtime.version() + ", sink " + sink);
    }
}
