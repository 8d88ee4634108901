package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.Registry;
import dev.mobilenet.io.Npy;
import dev.mobilenet.io.Npz;
import dev.mobilenet.model.MobileNet;
import dev.mobilenet.model.Session;
import dev.mobilenet.model.Weights;
import dev.mobilenet.tensor.Tensor;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run a model on a float32 NCHW .npy batch and write logits, pre-logits or feature maps.")
final class ForwardCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "NAME", description = "Architecture or arch.tag.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "timm state dict (.safetensors). Without it the model is randomly initialised.")
    Path weights;

    @Option(names = "--input", required = true, paramLabel = "FILE", description = "float32 NCHW .npy, 3 channels.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "FILE",
            description = ".npy for logits or pre-logits, .npz for features (keys \"0\"..\"4\").")
    Path output;

    @Option(names = "--num-classes", paramLabel = "N",
            description = "Classifier size (default: the tag's, else the weights file's, else 1000).")
    Integer numClasses;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "0",
            description = "Seed of the random initialisation when no weights are given (default: 0).")
    long seed;

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
        Registry.ModelRef ref = Registry.resolve(model);
        int classes = numClasses != null ? numClasses
                : model.contains(".") || weights == null ? ref.numClasses()
                : Weights.classifierClasses(weights).orElse(ref.numClasses());
        Tensor x = Npy.readFloat(input);
        Session.checkInput(x);
        MobileNet net = MobileNet.create(ref.spec(), classes, seed);
        if (weights != null) {
            Weights.load(net, weights);
        }
        Session session = net.compile().newSession();
        if (mode.features) {
            List<Tensor> maps = session.features(x);
            Map<String, Tensor> named = new LinkedHashMap<>();
            for (int i = 0; i < maps.size(); i++) {
                named.put(Integer.toString(i), maps.get(i));
            }
            Npz.write(output, named);
        } else {
            Npy.write(output, mode.preLogits ? session.preLogits(x) : session.logits(x));
        }
        return 0;
    }
}
