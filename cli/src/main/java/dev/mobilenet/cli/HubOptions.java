package dev.mobilenet.cli;

import dev.mobilenet.classify.LoadedModel;
import dev.mobilenet.classify.ModelLoader;
import dev.mobilenet.classify.ModelRequest;
import dev.mobilenet.hub.HubSettings;
import java.io.PrintStream;
import dev.mobilenet.hub.TimmHub;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where pretrained weights come from: the Hugging Face Hub and its local cache, shared with Python's
 * huggingface_hub. The environment (HF_ENDPOINT, HF_HUB_CACHE, HF_HOME, HF_HUB_OFFLINE, HF_TOKEN) gives the
 * defaults; these options override it.
 */
final class HubOptions {
    @Option(names = "--revision", paramLabel = "REV", defaultValue = TimmHub.DEFAULT_REVISION,
            description = "Branch, tag or commit of the Hub repository (default: ${DEFAULT-VALUE}).")
    String revision;

    @Option(names = "--endpoint", paramLabel = "URL",
            description = "Hub URL (default: $HF_ENDPOINT, else " + HubSettings.DEFAULT_ENDPOINT + ").")
    String endpoint;

    @Option(names = "--cache-dir", paramLabel = "DIR",
            description = "Hub cache (default: $HF_HUB_CACHE, else $HF_HOME/hub, else ~/.cache/huggingface/hub).")
    Path cacheDir;

    @Option(names = "--offline", description = "Use the cache only, never the network (as HF_HUB_OFFLINE=1).")
    boolean offline;

    @Option(names = "--check-updates",
            description = "Ask the Hub which commit the revision points to now, even when it is cached.")
    boolean checkUpdates;

    HubSettings settings() {
        HubSettings s = HubSettings.fromEnvironment();
        if (endpoint != null) {
            s = s.withEndpoint(endpoint);
        }
        if (cacheDir != null) {
            s = s.withCacheDir(cacheDir);
        }
        if (offline) {
            s = s.withOffline(true);
        }
        return s.withCheckForUpdates(checkUpdates);
    }

    /**
     * {@code name} from the Hub at {@link #revision}, or from {@code weights} when given; with the class names of
     * {@code labels} when given.
     */
    ModelRequest request(String name, Path weights, Path labels) {
        ModelRequest req = request(name);
        if (weights != null) {
            req = req.withWeights(weights);
        }
        if (labels != null) {
            req = req.withLabels(labels);
        }
        return req;
    }

    /** {@code name} from the Hub at {@link #revision}, with these Hub settings. */
    ModelRequest request(String name) {
        return ModelRequest.of(name).withRevision(revision).withHub(settings());
    }

    /** Loads {@code req}, showing download progress on {@code err} when it is a terminal. */
    LoadedModel load(ModelRequest req, PrintStream err) {
        return ModelLoader.load(req, new DownloadCommand.BarListener(err, DownloadCommand.stderrIsTerminal()));
    }

    TimmHub hub() {
        return new TimmHub(settings());
    }
}
