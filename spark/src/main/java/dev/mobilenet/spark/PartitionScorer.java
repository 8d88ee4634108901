package dev.mobilenet.spark;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.classify.Predictions;
import dev.mobilenet.classify.Top;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.image.Preprocessor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import org.apache.spark.TaskContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * One partition's rows in, the same rows with the result and error columns out. Rows are taken {@code batch} at a
 * time; with more than one thread per task a batch decodes on the worker's pool while the engine runs the previous
 * one, with one thread the task decodes a batch, then runs it. A row whose image cannot be
 * decoded gets a null result and its one-line reason in the error column.
 */
final class PartitionScorer implements Iterator<Row> {
    private final Iterator<Row> in;
    private final ScoringJob job;
    private final ExecutorModels.Model model;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder;
    private final int per;
    private final int outDim;
    private Worker worker;
    private final ArrayDeque<Row> ready = new ArrayDeque<>();
    private List<Row> pendingRows = List.of();
    private List<Future<String>> pending = List.of();

    private PartitionScorer(Iterator<Row> in, ScoringJob job) {
        this.in = in;
        this.job = job;
        this.model = ExecutorModels.get(job.key());
        this.preprocessor = new Preprocessor(model.preprocess);
        this.decoder = new ImageDecoder(job.maxPixels());
        this.per = preprocessor.outputSize();
        this.outDim = job.output() == ScoringJob.Output.TOP_K ? model.numClasses() : model.embeddingSize();
        if (job.output() == ScoringJob.Output.TOP_K && outDim < 1) {
            throw new MobileNetException(model.name + " has no classifier; use MobileNetEmbedder");
        }
        if ((long) job.batch() * Math.max(per, outDim) > Integer.MAX_VALUE - 8) {
            throw new MobileNetException("a batch of " + job.batch() + " images does not fit in one array; use a "
                    + "smaller batch size");
        }
        this.worker = model.borrow(job.threads());
        worker.ensure(job.batch() * per, job.batch() * outDim);
    }

    /** The scored rows of one partition; the worker goes back to the pool when the task ends, however it ends. */
    static Iterator<Row> score(Iterator<Row> rows, ScoringJob job) {
        PartitionScorer s = new PartitionScorer(rows, job);
        TaskContext ctx = TaskContext.get();
        if (ctx != null) {
            ctx.addTaskCompletionListener((TaskCompletionListener) c -> s.finish());
        }
        return s;
    }

    @Override
    public boolean hasNext() {
        while (ready.isEmpty() && worker != null) {
            if (pendingRows.isEmpty()) {
                submit();
                if (pendingRows.isEmpty()) {
                    finish();
                    break;
                }
            }
            runBatch();
        }
        return !ready.isEmpty();
    }

    @Override
    public Row next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return ready.poll();
    }

    /** Takes the next rows from the input and starts decoding them into the worker's free buffer. */
    private void submit() {
        List<Row> rows = new ArrayList<>(job.batch());
        List<Future<String>> fs = new ArrayList<>(job.batch());
        float[] buffer = worker.next;
        while (rows.size() < job.batch() && in.hasNext()) {
            Row row = in.next();
            Object value = row.get(job.inputIndex());
            String name = job.nameIndex() >= 0 && !row.isNullAt(job.nameIndex())
                    ? displayName(row.getString(job.nameIndex()))
                    : job.input() == ImageInput.PATH && value != null ? displayName((String) value) : "image";
            int offset = rows.size() * per;
            rows.add(row);
            FutureTask<String> decode = new FutureTask<>(() -> {
                long t0 = System.nanoTime();
                try {
                    preprocessor.apply(job.input().decode(value, decoder, name), buffer, offset);
                    return null;
                } catch (MobileNetException e) {
                    return e.getMessage();
                } catch (RuntimeException e) {
                    return name + ": " + e;
                } finally {
                    ExecutorModels.addDecode(System.nanoTime() - t0);
                }
            });
            fs.add(decode);
            worker.decode(decode);
        }
        pendingRows = rows;
        pending = fs;
    }

    private void runBatch() {
        List<Row> rows = pendingRows;
        List<Future<String>> fs = pending;
        String[] errors = new String[rows.size()];
        int ok = 0;
        for (int i = 0; i < rows.size(); i++) {
            errors[i] = await(fs.get(i));
        }
        pendingRows = List.of();
        pending = List.of();
        worker.swap();
        float[] images = worker.current;
        submit();
        for (int i = 0; i < rows.size(); i++) {
            if (errors[i] == null) {
                if (ok != i) {
                    System.arraycopy(images, i * per, images, ok * per, per);
                }
                ok++;
            }
        }
        float[] out = worker.out;
        if (ok > 0) {
            long t0 = System.nanoTime();
            int h = preprocessor.config().height();
            int w = preprocessor.config().width();
            if (job.output() == ScoringJob.Output.TOP_K) {
                worker.session().logits(images, ok, h, w, out);
            } else {
                worker.session().preLogits(images, ok, h, w, out);
            }
            ExecutorModels.addEngine(System.nanoTime() - t0);
        }
        int r = 0;
        for (int i = 0; i < rows.size(); i++) {
            Object result = errors[i] == null ? result(out, r++ * outDim) : null;
            ready.add(append(rows.get(i), result, errors[i]));
        }
    }

    private Object result(float[] out, int offset) {
        return switch (job.output()) {
            case TOP_K -> {
                List<Row> top = new ArrayList<>(job.topK());
                for (Top t : Predictions.topK(out, offset, outDim, job.topK(), model.labels)) {
                    top.add(RowFactory.create(t.index(), t.label(), t.probability()));
                }
                yield scala.jdk.javaapi.CollectionConverters.asScala(top).toSeq();
            }
            case EMBEDDING_ARRAY -> Arrays.copyOfRange(out, offset, offset + outDim);
            case EMBEDDING_VECTOR -> {
                double[] v = new double[outDim];
                for (int i = 0; i < outDim; i++) {
                    v[i] = out[offset + i];
                }
                yield Vectors.dense(v);
            }
        };
    }

    /**
     * A local file's path as binaryFile writes it ({@code file:/a b/c.jpg}: Hadoop's form, not an escaped URI) as the
     * plain path predict would name it.
     */
    private static String displayName(String path) {
        if (path.startsWith("file:")) {
            try {
                return new org.apache.hadoop.fs.Path(path).toUri().getPath();
            } catch (IllegalArgumentException e) {
                return path;
            }
        }
        return path;
    }

    private static Row append(Row row, Object result, String error) {
        int n = row.length();
        Object[] values = new Object[n + 2];
        for (int i = 0; i < n; i++) {
            values[i] = row.get(i);
        }
        values[n] = result;
        values[n + 1] = error;
        return RowFactory.create(values);
    }

    private static String await(Future<String> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MobileNetException("interrupted while decoding images", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof Error err) {
                throw err;
            }
            throw new MobileNetException("decoding failed: " + c, c);
        }
    }

    /** Waits for decodes still writing into the worker's buffers, then returns the worker; runs once. */
    private void finish() {
        Worker w = worker;
        if (w == null) {
            return;
        }
        worker = null;
        for (Future<String> f : pending) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                w.close();
                return;
            } catch (ExecutionException e) {
                // The task is over and its rows unwanted; only the buffers' quiet matters before the worker is reused.
                w.close();
                return;
            }
        }
        model.giveBack(w);
    }
}
