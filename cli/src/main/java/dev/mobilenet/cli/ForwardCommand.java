package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.io.Npy;
import dev.mobilenet.io.Npz;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.onnxruntime.OrtEngine;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run a model on a float32 NCHW .npy batch and write logits, pre-logits or feature maps.")
final class ForwardCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "float32 NCHW .npy, 3 channels.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = ".npy for logits or pre-logits, .npz for features (keys \"0\"..\"4\").")
    Path output;

    @Mixin
    EngineOption engine;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "onnxruntime intra-op threads (default: its own choice).")
    int threads;

    @ArgGroup(exclusive = true)
    Mode mode = new Mode();

    static final class Mode {
        @Option(names = "--pre-logits", description = "Write the pooled embedding (timm pre_logits).")
        boolean preLogits;

        @Option(names = "--features", description = "Write multi-scale feature maps (timm features_only order).")
        boolean features;
    }

    @Override
    public Integer call() {
        String out = output.getFileName() == null ? "" : output.getFileName().toString().toLowerCase(Locale.ROOT);
        if (mode.features && !out.endsWith(".npz")) {
            throw new MobileNetException("--features writes several arrays: give an .npz output, not " + output);
        }
        if (!mode.features && !out.endsWith(".npy")) {
            throw new MobileNetException("the output must be an .npy file, not " + output);
        }
        modelOptions.ref();
        Tensor x = Npy.readFloat(input);
        Session.checkInput(x);
        MobileNet net = modelOptions.load().net();
        try (Engine e = engine.kind == EngineOption.Kind.java ? net.compile().newSession() : new OrtEngine(net, threads)) {
            if (mode.features) {
                List<Tensor> maps = e.features(x);
                Map<String, Tensor> named = new LinkedHashMap<>();
                for (int i = 0; i < maps.size(); i++) {
                    named.put(Integer.toString(i), maps.get(i));
                }
                Npz.write(output, named);
            } else {
                Npy.write(output, mode.preLogits ? e.preLogits(x) : e.logits(x));
            }
        }
        return 0;
    }
}
