package dev.mobilenet.data;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.io.AtomicFiles;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A seeded synthetic ImageFolder for smoke-training: PNG images of ten kinds of rendered shapes and textures
 * (circle, square, triangle, star, cross, ring, horizontal stripes, vertical stripes, checkerboard, dots) in
 * random colours, positions, scales and rotations over a noisy background. Image {@code i} of class {@code c}
 * depends only on (seed, c, i), so the same arguments always give the same files. Written to a temporary folder
 * beside {@code dir} and renamed into place when complete.
 */
public final class SyntheticShapes {
    /** The kinds, in class-index order of generation (folder names sort differently; ImageFolder sorts them). */
    public static final List<String> KINDS = List.of("circle", "square", "triangle", "star", "cross", "ring",
            "stripes-horizontal", "stripes-vertical", "checkerboard", "dots");
    private static final long STREAM = 0x5AA9E5L;

    private SyntheticShapes() {
    }

    /** What was written. */
    public record Summary(Path dir, List<String> classes, int trainImages, int valImages) {
    }

    /**
     * Writes {@code dir/train/<kind>/*.png} and {@code dir/val/<kind>/*.png}: {@code perClass} images per class,
     * {@code round(perClass * valFraction)} of them (at least one when valFraction > 0) in val.
     *
     * @throws MobileNetException if an argument is out of range, {@code dir} exists and is not an empty folder,
     *     or writing fails (nothing is left behind)
     */
    public static Summary write(Path dir, int classes, int perClass, int size, long seed, double valFraction) {
        if (classes < 2 || classes > KINDS.size()) {
            throw new MobileNetException("classes must be in 2.." + KINDS.size() + ", got " + classes);
        }
        if (perClass < 2 || perClass > 1_000_000) {
            throw new MobileNetException("images per class must be in 2..1000000, got " + perClass);
        }
        if (size < 16 || size > 1024) {
            throw new MobileNetException("image size must be in 16..1024, got " + size);
        }
        if (!(valFraction >= 0 && valFraction < 1)) {
            throw new MobileNetException("validation fraction must be in [0, 1), got " + valFraction);
        }
        int nVal = (int) Math.min(perClass - 1, Math.round(perClass * valFraction));
        if (valFraction > 0 && nVal == 0) {
            nVal = 1;
        }
        Path target = dir.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new MobileNetException("cannot write " + dir + ": parent folder " + parent + " does not exist");
        }
        if (Files.exists(target) && !isEmptyDirectory(target)) {
            throw new MobileNetException(dir + ": already exists and is not an empty folder");
        }
        // A folder named for this process (AtomicFiles.tempSibling), created with the umask's permissions like any
        // folder (createTempDirectory would make it 0700 for good); what a killed run left is removed first.
        AtomicFiles.sweepStale(target);
        Path tmp = AtomicFiles.tempSibling(target);
        try {
            Files.createDirectory(tmp);
        } catch (IOException e) {
            throw new MobileNetException("cannot write " + dir + ": " + e.getMessage(), e);
        }
        boolean done = false;
        try {
            for (int c = 0; c < classes; c++) {
                Files.createDirectories(tmp.resolve("train").resolve(KINDS.get(c)));
                Files.createDirectories(tmp.resolve("val").resolve(KINDS.get(c)));
            }
            final int valCount = nVal;
            IntStream.range(0, classes * perClass).parallel().forEach(k -> {
                int c = k / perClass;
                int i = k % perClass;
                String split = i < perClass - valCount ? "train" : "val";
                BufferedImage img = render(c, size, Rng.of(seed, STREAM, c, i));
                Path file = tmp.resolve(split).resolve(KINDS.get(c)).resolve(String.format(Locale.ROOT, "%s_%05d.png",
                        KINDS.get(c), i));
                try {
                    if (!ImageIO.write(img, "png", file.toFile())) {
                        throw new IOException("no PNG writer");
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (Files.exists(target)) {
                Files.delete(target);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            done = true;
        } catch (DirectoryNotEmptyException e) {
            throw new MobileNetException(dir + ": already exists and is not an empty folder", e);
        } catch (IOException | UncheckedIOException e) {
            throw new MobileNetException("cannot write " + dir + ": " + e.getMessage(), e);
        } finally {
            if (!done) {
                AtomicFiles.deleteTree(tmp);
            }
        }
        return new Summary(target, KINDS.subList(0, classes), classes * (perClass - nVal), classes * nVal);
    }

    private static boolean isEmptyDirectory(Path p) {
        if (!Files.isDirectory(p)) {
            return false;
        }
        try (Stream<Path> s = Files.list(p)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            return false;
        }
    }

    /** One image of class {@code kind}. */
    static BufferedImage render(int kind, int size, Rng rng) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int[] bg = randomColour(rng);
        int[] fg = contrasting(bg, rng);
        int noise = 8 + rng.nextInt(17);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int r = clamp(bg[0] + (int) Math.round(rng.gauss(0, noise)));
                int g = clamp(bg[1] + (int) Math.round(rng.gauss(0, noise)));
                int b = clamp(bg[2] + (int) Math.round(rng.gauss(0, noise)));
                img.setRGB(x, y, r << 16 | g << 8 | b);
            }
        }
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(new Color(fg[0], fg[1], fg[2]));
        double s = size;
        double radius = s * rng.uniform(0.2, 0.34);
        double cx = rng.uniform(radius, s - radius);
        double cy = rng.uniform(radius, s - radius);
        double angle = rng.uniform(0, 2 * Math.PI);
        AffineTransform at = new AffineTransform();
        at.translate(cx, cy);
        at.rotate(angle);
        switch (KINDS.get(kind)) {
            case "circle" -> g.fill(new Ellipse2D.Double(cx - radius, cy - radius, 2 * radius, 2 * radius));
            case "square" -> g.fill(at.createTransformedShape(new Rectangle2D.Double(-radius * 0.8, -radius * 0.8,
                    radius * 1.6, radius * 1.6)));
            case "triangle" -> g.fill(at.createTransformedShape(polygon(3, radius, radius)));
            case "star" -> g.fill(at.createTransformedShape(polygon(5, radius, radius * 0.42)));
            case "cross" -> {
                double arm = radius * 0.3;
                Path2D.Double p = new Path2D.Double();
                p.append(new Rectangle2D.Double(-radius, -arm, 2 * radius, 2 * arm), false);
                p.append(new Rectangle2D.Double(-arm, -radius, 2 * arm, 2 * radius), false);
                g.fill(at.createTransformedShape(p));
            }
            case "ring" -> {
                double thick = radius * rng.uniform(0.22, 0.35);
                g.setStroke(new BasicStroke((float) thick));
                double rr = radius - thick / 2;
                g.draw(new Ellipse2D.Double(cx - rr, cy - rr, 2 * rr, 2 * rr));
            }
            case "stripes-horizontal", "stripes-vertical" -> {
                double period = s * rng.uniform(0.08, 0.16);
                double tilt = Math.toRadians(rng.uniform(-12, 12));
                boolean vertical = KINDS.get(kind).equals("stripes-vertical");
                AffineTransform t = AffineTransform.getRotateInstance(tilt + (vertical ? Math.PI / 2 : 0), s / 2,
                        s / 2);
                for (double o = -s; o < 2 * s; o += period) {
                    g.fill(t.createTransformedShape(new Rectangle2D.Double(-s, o, 3 * s, period / 2)));
                }
            }
            case "checkerboard" -> {
                double cell = s * rng.uniform(0.1, 0.18);
                double tilt = Math.toRadians(rng.uniform(-12, 12));
                AffineTransform t = AffineTransform.getRotateInstance(tilt, s / 2, s / 2);
                int cells = (int) Math.ceil(3 * s / cell);
                for (int i = 0; i < cells; i++) {
                    for (int j = 0; j < cells; j++) {
                        if ((i + j) % 2 == 0) {
                            g.fill(t.createTransformedShape(new Rectangle2D.Double(-s + i * cell, -s + j * cell, cell,
                                    cell)));
                        }
                    }
                }
            }
            case "dots" -> {
                int count = 10 + rng.nextInt(14);
                double dot = s * rng.uniform(0.03, 0.06);
                for (int i = 0; i < count; i++) {
                    double x = rng.uniform(dot, s - dot);
                    double y = rng.uniform(dot, s - dot);
                    g.fill(new Ellipse2D.Double(x - dot, y - dot, 2 * dot, 2 * dot));
                }
            }
            default -> throw new IllegalStateException(KINDS.get(kind));
        }
        g.dispose();
        return img;
    }

    /** A regular polygon ({@code inner == outer}) or star with {@code points} tips, centred at the origin. */
    private static Path2D.Double polygon(int points, double outer, double inner) {
        Path2D.Double p = new Path2D.Double();
        boolean star = inner != outer;
        int vertices = star ? 2 * points : points;
        for (int i = 0; i < vertices; i++) {
            double r = star && i % 2 == 1 ? inner : outer;
            double a = -Math.PI / 2 + 2 * Math.PI * i / vertices;
            if (i == 0) {
                p.moveTo(r * Math.cos(a), r * Math.sin(a));
            } else {
                p.lineTo(r * Math.cos(a), r * Math.sin(a));
            }
        }
        p.closePath();
        return p;
    }

    private static int[] randomColour(Rng rng) {
        return new int[] {rng.nextInt(256), rng.nextInt(256), rng.nextInt(256)};
    }

    /** A colour whose grey level differs from {@code bg}'s by at least 70. */
    private static int[] contrasting(int[] bg, Rng rng) {
        int bgLuma = PilOps.luma(bg[0], bg[1], bg[2]);
        while (true) {
            int[] c = randomColour(rng);
            if (Math.abs(PilOps.luma(c[0], c[1], c[2]) - bgLuma) >= 70) {
                return c;
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
