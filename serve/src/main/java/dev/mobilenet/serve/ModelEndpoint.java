package dev.mobilenet.serve;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.MobileNetException;
import dev.mobilenet.classify.Predictions;
import dev.mobilenet.classify.Top;
import dev.mobilenet.image.ImageDecoder;
import dev.mobilenet.hub.TimmConfig;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.image.RgbImage;
import dev.mobilenet.model.MobileNet;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import javax.imageio.ImageIO;

/** One served model: decoding and preprocessing on the shared pool, its batcher, and its answers as JSON. */
final class ModelEndpoint {
    final ServedModel model;
    final Batcher batcher;
    private final Preprocessor preprocessor;
    private final ImageDecoder decoder;
    private final Executor pool;
    private final ObjectMapper om;
    private final int classes;
    private final int embedDim;

    private record Decoded(float[] x, String crop) {
    }

    ModelEndpoint(ServedModel model, ServeConfig cfg, ServerMetrics metrics, Executor pool, ObjectMapper om) {
        this.model = model;
        this.preprocessor = new Preprocessor(model.preprocess());
        this.decoder = new ImageDecoder(cfg.maxPixels());
        this.pool = pool;
        this.om = om;
        MobileNet net = model.net();
        this.classes = net.numClasses();
        this.embedDim = net.headHiddenSize();
        this.batcher = new Batcher(model.name(), model.engines().open(cfg.threads()), classes, embedDim, cfg,
                metrics);
    }

    /** {"top": [{"index", "label", "probability"}...]} as one line of {@code predict --json} without "file". */
    CompletableFuture<String> predict(byte[] image, int top, boolean crop, BooleanSupplier alive) {
        requireClassifier();
        return run(image, crop, Batcher.Output.LOGITS, alive, (logits, row) -> {
            ArrayNode arr = row.putArray("top");
            for (Top t : Predictions.topK(logits, 0, classes, top, model.labels())) {
                arr.addObject().put("index", t.index()).put("label", t.label()).put("probability", t.probability());
            }
        });
    }

    /** {"embedding": [...]}: timm's pre-logits of the image. */
    CompletableFuture<String> embed(byte[] image, BooleanSupplier alive) {
        return run(image, false, Batcher.Output.PRE_LOGITS, alive,
                (e, row) -> TimmConfig.putFloats(row.putArray("embedding"), e));
    }

    /** Decodes and batches one image; {@code answer} puts its output into the JSON row, then the crop if asked. */
    private CompletableFuture<String> run(byte[] image, boolean crop, Batcher.Output output, BooleanSupplier alive,
                                          BiConsumer<float[], ObjectNode> answer) {
        PreprocessConfig p = model.preprocess();
        return decode(image, crop).thenCompose(d -> batcher.submit(
                new Batcher.Job(d.x, 1, p.height(), p.width(), output, alive))
                .thenApply(y -> {
                    ObjectNode row = om.createObjectNode();
                    answer.accept(y, row);
                    if (d.crop != null) {
                        row.put("crop", d.crop);
                    }
                    return row.toString();
                }));
    }

    private CompletableFuture<Decoded> decode(byte[] bytes, boolean crop) {
        return CompletableFuture.supplyAsync(() -> {
            RgbImage img = decoder.decode(bytes, "the image");
            float[] x = new float[preprocessor.outputSize()];
            preprocessor.apply(img, x, 0);
            return new Decoded(x, crop ? pngDataUrl(preprocessor.resizeAndCrop(img)) : null);
        }, pool);
    }

    private void requireClassifier() {
        if (classes < 1) {
            throw new HttpError(400, model.name() + " has no classifier; use /embeddings");
        }
    }

    private static String pngDataUrl(RgbImage img) {
        BufferedImage b = new BufferedImage(img.width(), img.height(), BufferedImage.TYPE_INT_RGB);
        byte[] px = img.rgb();
        for (int y = 0; y < img.height(); y++) {
            for (int x = 0; x < img.width(); x++) {
                int i = (y * img.width() + x) * 3;
                b.setRGB(x, y, (px[i] & 0xff) << 16 | (px[i + 1] & 0xff) << 8 | px[i + 2] & 0xff);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(b, "png", out);
        } catch (IOException e) {
            throw new MobileNetException("cannot encode the crop as PNG: " + e.getMessage());
        }
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(out.toByteArray());
    }

    /** Open Inference Protocol v2: one FP32 input [N,3,H,W], already preprocessed → logits [N, classes]. */
    CompletableFuture<String> infer(byte[] body, BooleanSupplier alive) {
        requireClassifier();
        V2Request req = V2Request.parse(body);
        int n = req.n();
        return batcher.submit(new Batcher.Job(req.data(), n, req.h(), req.w(), Batcher.Output.LOGITS, alive))
                .thenApply(logits -> {
                    ObjectNode res = om.createObjectNode();
                    res.put("model_name", model.name());
                    if (req.id() != null) {
                        res.put("id", req.id());
                    }
                    ObjectNode out = res.putArray("outputs").addObject();
                    out.put("name", "logits").put("datatype", "FP32");
                    out.putArray("shape").add(n).add(classes);
                    ArrayNode data = out.putArray("data");
                    for (float v : logits) {
                        data.add(v);
                    }
                    return res.toString();
                });
    }

    /** GET /v2/models/{model}. */
    ObjectNode v2Metadata() {
        PreprocessConfig p = model.preprocess();
        ObjectNode m = om.createObjectNode();
        m.put("name", model.name());
        m.putArray("versions").add("1");
        m.put("platform", "mobilenet-java");
        ObjectNode in = m.putArray("inputs").addObject();
        in.put("name", "input").put("datatype", "FP32");
        in.putArray("shape").add(-1).add(3).add(p.height()).add(p.width());
        ObjectNode out = m.putArray("outputs").addObject();
        out.put("name", "logits").put("datatype", "FP32");
        out.putArray("shape").add(-1).add(classes);
        return m;
    }

    /** An entry of GET /models. */
    ObjectNode describe() {
        PreprocessConfig p = model.preprocess();
        ObjectNode m = om.createObjectNode();
        m.put("name", model.name());
        m.put("arch", model.net().spec().arch());
        m.put("num_classes", classes);
        m.put("embedding_dim", embedDim);
        m.put("labels", !model.labels().isEmpty());
        ObjectNode pre = m.putObject("preprocess");
        pre.putArray("input_size").add(3).add(p.height()).add(p.width());
        pre.put("crop_pct", p.cropPct());
        pre.put("crop_mode", p.cropMode());
        pre.put("interpolation", p.interpolation().timmName());
        TimmConfig.putFloats(pre.putArray("mean"), p.mean());
        TimmConfig.putFloats(pre.putArray("std"), p.std());
        return m;
    }
}
