package dev.mobilenet.serve;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.preprocess.PreprocessConfig;
import dev.mobilenet.model.Engine;
import dev.mobilenet.model.MobileNet;
import java.util.List;

/**
 * A model as the server offers it: the name clients address it by and the model as {@code ModelLoader} loaded it
 * (network with weights, the preprocessing that turns an image into its input, class names), run by the pure-Java
 * engine unless {@link #withEngines} says otherwise.
 */
public final class ServedModel {
    /** Opens the engine a model's batcher runs on. */
    @FunctionalInterface
    public interface EngineFactory {
        Engine open(int threads);
    }

    private final String name;
    private final LoadedModel model;
    private final EngineFactory engines;

    private ServedModel(String name, LoadedModel model, EngineFactory engines) {
        if (name == null || name.isBlank() || !name.matches("[A-Za-z0-9._-]+")) {
            throw new MobileNetException("a served model's name must be letters, digits, '.', '_' or '-', got '"
                    + name + "'");
        }
        this.name = name;
        this.model = model;
        this.engines = engines;
    }

    /** {@code model} under the name it was loaded by ({@code arch.tag}). */
    public static ServedModel of(LoadedModel model) {
        return of(model.name(), model);
    }

    /** {@code model} addressed as {@code name}; one session of its compiled network per batcher. */
    public static ServedModel of(String name, LoadedModel model) {
        return new ServedModel(name, model, threads -> model.inference().newSession(threads));
    }

    /** The same model run on another engine (e.g. ONNX Runtime). */
    public ServedModel withEngines(EngineFactory factory) {
        return new ServedModel(name, model, factory);
    }

    public String name() {
        return name;
    }

    public LoadedModel model() {
        return model;
    }

    public MobileNet net() {
        return model.net();
    }

    public PreprocessConfig preprocess() {
        return model.preprocess();
    }

    public List<String> labels() {
        return model.labels();
    }

    EngineFactory engines() {
        return engines;
    }
}
