package dev.mobilenet.cli;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.serve.InferenceServer;
import dev.mobilenet.serve.ServeConfig;
import dev.mobilenet.serve.ServedModel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve models over HTTP: POST /predictions/{model} (image bytes or multipart field 'data'), "
                + "/embeddings/{model}, the Open Inference Protocol v2 (/v2/...), /ping, /models, /metrics, and a web "
                + "page at /. Concurrent requests are batched; answers equal predict's.",
            "SIGTERM (or Ctrl-C) stops accepting, answers what is in flight and exits 0."})
final class ServeCommand extends StreamsCommand {
    /** One served model: its name (how clients address it) and where its weights and labels come from. */
    static final class ModelArg {
        @Option(names = "--model", required = true, paramLabel = "NAME",
                description = "arch.tag or arch, as for predict; repeat for more models.")
        String name;

        @Option(names = "--weights", paramLabel = "FILE",
                description = "A timm state dict (.safetensors) for the --model before it, instead of the Hub's.")
        Path weights;

        @Option(names = "--labels", paramLabel = "FILE", description = "Class names for the --model before it.")
        Path labels;
    }

    @ArgGroup(exclusive = false, multiplicity = "1..*")
    List<ModelArg> models;

    /** The library's defaults are the options' defaults (picocli shows a field's initial value as its default). */
    private static final ServeConfig DEFAULTS = ServeConfig.defaults();

    @Option(names = "--host", paramLabel = "HOST",
            description = "Interface to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host = DEFAULTS.host();

    @Option(names = "--port", paramLabel = "PORT",
            description = "TCP port (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port = DEFAULTS.port();

    @Mixin
    ThreadsOption threads;

    @Option(names = "--max-batch", paramLabel = "N",
            description = "Images per engine call at most (default: ${DEFAULT-VALUE}).")
    int maxBatch = DEFAULTS.maxBatch();

    @Option(names = "--max-delay-ms", paramLabel = "MS",
            description = "How long a batch waits for more requests (default: ${DEFAULT-VALUE}).")
    int maxDelayMs = DEFAULTS.maxDelayMs();

    @Option(names = "--max-queue", paramLabel = "N",
            description = "Requests per model in progress at once; more get 503 (default: ${DEFAULT-VALUE}).")
    int maxQueue = DEFAULTS.maxQueue();

    @Option(names = "--max-body-mb", paramLabel = "MB",
            description = "Larger request bodies get 413 (default: ${DEFAULT-VALUE}).")
    int maxBodyMb = (int) (DEFAULTS.maxBodyBytes() >> 20);

    @Mixin
    MaxPixelsOption maxPixels;

    @Option(names = "--api-key-file", paramLabel = "FILE",
            description = "Require 'Authorization: Bearer <key>' (the file's first line) on all but health.")
    Path apiKeyFile;

    @Mixin
    HubOptions hubOptions;

    @Override
    public Integer call() throws InterruptedException {
        OptionChecks.atLeastOne("--max-body-mb", maxBodyMb);
        ServeConfig config = DEFAULTS.withHost(host).withPort(port)
                .withThreads(threads.orCores())
                .withMaxBatch(maxBatch).withMaxDelayMs(maxDelayMs).withMaxQueue(maxQueue)
                .withMaxBodyBytes((long) maxBodyMb << 20).withMaxPixels(maxPixels.get()).withApiKey(apiKey());
        List<ServedModel> served = new ArrayList<>();
        for (ModelArg m : models) {
            served.add(ServedModel.of(m.name, hubOptions.load(hubOptions.request(m.name, m.weights, m.labels),
                    io.err())));
        }
        InferenceServer server = InferenceServer.start(config, served);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            io.err().println("mobilenet: stopping (answering the requests in flight)");
            int status = 0;
            try {
                server.stop();
                io.err().println("mobilenet: stopped");
            } catch (RuntimeException e) {
                io.err().println("mobilenet: " + e.getMessage());
                status = 1;
            }
            io.err().flush();
            // SIGTERM is the normal way to stop a server: exit 0 rather than the JVM's 143 (1 when requests were
            // left unanswered).
            Runtime.getRuntime().halt(status);
        }, "mobilenet-serve-stop"));
        List<String> names = served.stream().map(ServedModel::name).toList();
        io.err().println("mobilenet: serving " + String.join(", ", names) + " on http://" + host + ":"
                + server.port() + "/");
        io.err().flush();
        server.awaitStop();
        return 0;
    }

    private String apiKey() {
        if (apiKeyFile == null) {
            return null;
        }
        try {
            List<String> lines = Files.readAllLines(apiKeyFile, StandardCharsets.UTF_8);
            String key = lines.isEmpty() ? "" : lines.get(0).strip();
            if (key.isEmpty()) {
                throw new MobileNetException(apiKeyFile + ": the API key file's first line is empty");
            }
            return key;
        } catch (IOException e) {
            throw new MobileNetException("cannot read the API key file " + apiKeyFile + ": " + e.getMessage());
        }
    }
}
