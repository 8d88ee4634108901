package dev.mobilenet.cli;

import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.onnx.ExportOptions;
import dev.mobilenet.onnx.OnnxExporter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"Export a model as ONNX: input 'input' (float32 NCHW, dynamic batch), output 'logits' "
                + "(or 'pre_logits', or 'features.0'..), BatchNorm folded into the convolutions.",
            "Spatial size is fixed at --input-size unless --dynamic-size; tf_ models' SAME padding then uses "
                + "auto_pad=SAME_UPPER, which is exact at every size."})
final class ExportCommand implements Callable<Integer> {
    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--output", required = true, paramLabel = "FILE", description = "The .onnx file to write.")
    Path output;

    @Option(names = "--opset", paramLabel = "N", description = "ONNX opset, " + ExportOptions.MIN_OPSET + " to "
            + ExportOptions.MAX_OPSET + " (default: ${DEFAULT-VALUE}).")
    int opset = ExportOptions.DEFAULT_OPSET;

    @Mixin
    InputSizeOption inputSize;

    @Option(names = "--dynamic-size", description = "Make height and width symbolic, not fixed.")
    boolean dynamicSize;

    @ArgGroup(exclusive = true)
    ForwardCommand.Mode mode = new ForwardCommand.Mode();

    @Override
    public Integer call() {
        InputSize size = inputSize.orDefault(modelOptions.ref());
        ExportOptions.Output out = mode.features ? ExportOptions.Output.FEATURES
                : mode.preLogits ? ExportOptions.Output.PRE_LOGITS : ExportOptions.Output.LOGITS;
        ExportOptions opts = new ExportOptions(opset, size.height(), size.width(), dynamicSize, out, Map.of());
        OnnxExporter.validate(opts);
        LoadedModel m = modelOptions.load();
        OnnxExporter.export(m.net(), opts.withMetadata(ModelOptions.metadata(m)), output);
        return 0;
    }
}
