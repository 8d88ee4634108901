package dev.mobilenet.training;

import dev.mobilenet.MobileNetException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** metrics.csv: a header and one row per epoch; empty cells for values that do not exist (NaN). */
final class Metrics {
    static final String HEADER = "epoch,lr,train_loss,train_top1,val_loss,val_top1,val_top5,seconds,images_per_second";

    private Metrics() {
    }

    static byte[] bytes(List<TrainingRun.EpochMetrics> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (TrainingRun.EpochMetrics m : rows) {
            sb.append(m.epoch()).append(',').append(TrainingRun.fmt(m.lr())).append(',')
                    .append(TrainingRun.fmt(m.trainLoss())).append(',').append(TrainingRun.fmt(m.trainTop1()))
                    .append(',').append(TrainingRun.fmt(m.valLoss())).append(',')
                    .append(TrainingRun.fmt(m.valTop1())).append(',').append(TrainingRun.fmt(m.valTop5()))
                    .append(',').append(TrainingRun.fmt(m.seconds())).append(',')
                    .append(TrainingRun.fmt(m.imagesPerSecond())).append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    static List<TrainingRun.EpochMetrics> read(Path file) {
        List<TrainingRun.EpochMetrics> rows = new ArrayList<>();
        if (!Files.exists(file)) {
            return rows;
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            for (int i = 1; i < lines.size(); i++) {
                String[] f = lines.get(i).split(",", -1);
                if (f.length != 9) {
                    throw new MobileNetException(file + " line " + (i + 1) + ": expected 9 fields, got " + f.length);
                }
                rows.add(new TrainingRun.EpochMetrics(Integer.parseInt(f[0]), num(f[1]), num(f[2]), num(f[3]),
                        num(f[4]), num(f[5]), num(f[6]), num(f[7]), num(f[8])));
            }
        } catch (IOException | NumberFormatException e) {
            throw new MobileNetException("cannot read " + file + ": " + e.getMessage());
        }
        return rows;
    }

    private static double num(String s) {
        return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
    }
}
