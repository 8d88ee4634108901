package dev.mobilenet.training;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;

/** curves.png: loss (train, val) and top-1 (train, val) against epochs, side by side. */
final class Curves {
    private Curves() {
    }

    static void write(Path file, List<TrainingRun.EpochMetrics> rows) {
        System.setProperty("java.awt.headless", "true");
        XYChart loss = chart("Loss", "cross-entropy");
        add(loss, "train", rows, TrainingRun.EpochMetrics::trainLoss);
        add(loss, "val", rows, TrainingRun.EpochMetrics::valLoss);
        XYChart top1 = chart("Top-1 accuracy", "top-1");
        add(top1, "train", rows, TrainingRun.EpochMetrics::trainTop1);
        add(top1, "val", rows, TrainingRun.EpochMetrics::valTop1);
        try {
            ByteArrayOutputStream png = new ByteArrayOutputStream();
            // Two charts in one image: render each, then place them side by side.
            java.awt.image.BufferedImage a = BitmapEncoder.getBufferedImage(loss);
            java.awt.image.BufferedImage b = BitmapEncoder.getBufferedImage(top1);
            java.awt.image.BufferedImage both = new java.awt.image.BufferedImage(a.getWidth() + b.getWidth(),
                    Math.max(a.getHeight(), b.getHeight()), java.awt.image.BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = both.createGraphics();
            g.drawImage(a, 0, 0, null);
            g.drawImage(b, a.getWidth(), 0, null);
            g.dispose();
            javax.imageio.ImageIO.write(both, "png", png);
            byte[] bytes = png.toByteArray();
            AtomicFiles.write(file, o -> o.write(bytes));
        } catch (IOException e) {
            throw new MobileNetException("cannot draw " + file + ": " + e.getMessage());
        }
    }

    private static XYChart chart(String title, String y) {
        XYChart c = new XYChartBuilder().width(560).height(400).title(title).xAxisTitle("epoch").yAxisTitle(y).build();
        c.getStyler().setMarkerSize(5);
        c.getStyler().setYAxisDecimalPattern("0.00");
        c.getStyler().setXAxisDecimalPattern("0");
        return c;
    }

    private static void add(XYChart chart, String name, List<TrainingRun.EpochMetrics> rows,
                            ToDoubleFunction<TrainingRun.EpochMetrics> f) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (TrainingRun.EpochMetrics m : rows) {
            double v = f.applyAsDouble(m);
            if (Double.isFinite(v)) {
                xs.add((double) m.epoch());
                ys.add(v);
            }
        }
        if (!xs.isEmpty()) {
            XYSeries s = chart.addSeries(name, xs, ys);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        }
    }
}
