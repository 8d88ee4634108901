package dev.mobilenet.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mobilenet.Printable;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.data.DataLoader;
import dev.mobilenet.image.Preprocessor;
import dev.mobilenet.model.Session;
import dev.mobilenet.training.DataSpec;
import dev.mobilenet.training.Evaluation;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Top-1, top-5, loss and per-class accuracy of a model on labelled data: an ImageFolder (its "
                + "val/ when present) with the model's eval preprocessing, or IMAGES.npy,LABELS.npy."})
final class EvalCommand extends StreamsCommand {
    @Mixin
    ModelName model;

    @Option(names = "--weights", required = true, paramLabel = "FILE",
            description = "timm state dict (.safetensors); a config.json beside it gives the preprocessing.")
    Path weights;

    @Option(names = "--data", required = true, paramLabel = "DIR|X.npy,Y.npy", description = "Labelled data.")
    String data;

    @Option(names = "--labels", paramLabel = "FILE", description = "Class names, one per line (e.g. a run's labels.txt).")
    Path labels;

    @Mixin
    PreprocessOptions preprocess;

    @Option(names = {"--batch-size", "-b"}, defaultValue = "32", paramLabel = "N", description = "Default: 32.")
    int batchSize;

    @Mixin
    ThreadsOption threads;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws IOException {
        int t = threads.orCores();
        ModelRequest req = ModelRequest.of(model.get()).withWeights(weights).withPreprocess(preprocess.overrides());
        if (labels != null) {
            req = req.withLabels(labels);
        }
        LoadedModel m = ModelLoader.load(req);
        DataSpec.EvalData ev = DataSpec.parse(data).forEval(new Preprocessor(m.preprocess()), m.numClasses());
        List<String> names = labels != null ? m.labels() : ev.classes();
        Evaluation e;
        try (Session s = m.inference().newSession(t);
             DataLoader loader = DataSpec.evalLoader(ev.source(), batchSize, t)) {
            e = Evaluation.of(s, loader);
        }
        PrintWriter out = io.out();
        if (json) {
            ObjectMapper om = new ObjectMapper();
            ObjectNode root = om.createObjectNode();
            root.put("images", e.images());
            root.put("top1", e.top1());
            root.put("top5", e.top5());
            root.put("loss", e.loss());
            ArrayNode per = root.putArray("per_class");
            for (Evaluation.ClassRow r : e.perClass(names)) {
                ObjectNode o = per.addObject().put("class", r.name()).put("correct", r.correct())
                        .put("total", r.total());
                if (!Double.isNaN(r.accuracy())) {
                    o.put("top1", r.accuracy());
                }
            }
            out.println(om.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } else {
            out.printf(Locale.ROOT, "%d images: top-1 %.4f, top-5 %.4f, loss %.4f%n", e.images(), e.top1(), e.top5(),
                    e.loss());
            out.printf(Locale.ROOT, "%-32s %8s %8s %8s%n", "class", "correct", "total", "top-1");
            for (Evaluation.ClassRow r : e.perClass(names)) {
                out.printf(Locale.ROOT, "%-32s %8d %8d %8s%n", Printable.escape(r.name()), r.correct(), r.total(),
                        Double.isNaN(r.accuracy()) ? "-" : String.format(Locale.ROOT, "%.4f", r.accuracy()));
            }
        }
        out.flush();
        return 0;
    }
}
