package dev.mobilenet.serve;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.image.PreprocessConfig;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.Inference;
import dev.mobilenet.model.MobileNet;
import java.util.List;

/**
 * A model as the server offers it: the name clients address it by, the network with its weights, the preprocessing
 * that turns an image into its input, and its class names (empty: indices only).
 */
public final class ServedModel {
    /** Opens the engine a model's batcher runs on. */
    @FunctionalInterface
    public interface EngineFactory {
        Engine open(int threads);
    }

    private final String name;
    private final MobileNet net;
    private final PreprocessConfig preprocess;
    private final List<String> labels;
    private final EngineFactory engines;

    private ServedModel(String name, MobileNet net, PreprocessConfig preprocess, List<String> labels,
                        EngineFactory engines) {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new MobileNetException("a served model's name must be letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        if (!labels.isEmpty() && labels.size() != net.numClasses()) {
            throw new MobileNetException(name + " has " + labels.size() + " labels but " + net.numClasses()
                    + " classes");
        }
        this.name = name;
        this.net = net;
        this.preprocess = preprocess;
        this.labels = List.copyOf(labels);
        this.engines = engines;
    }

    /** A model run by the pure-Java engine: BN folded once here, one session per batcher. */
    public static ServedModel of(String name, MobileNet net, PreprocessConfig preprocess, List<String> labels) {
        Inference inference = net.compile();
        return new ServedModel(name, net, preprocess, labels, inference::newSession);
    }

    /** The same model run on another engine (e.g. ONNX Runtime). */
    public ServedModel withEngines(EngineFactory factory) {
        return new ServedModel(name, net, preprocess, labels, factory);
    }

    public String name() {
        return name;
    }

    public MobileNet net() {
        return net;
    }

    public PreprocessConfig preprocess() {
        return preprocess;
    }

    public List<String> labels() {
        return labels;
    }

    EngineFactory engines() {
        return engines;
    }
}
