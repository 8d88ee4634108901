package dev.mobilenet.hub;

import dev.mobilenet.MobileNetException;
import dev.mobilenet.arch.PretrainedCfg;
import dev.mobilenet.arch.Registry;
import java.nio.file.Path;
import java.util.Optional;

/**
 * timm's pretrained MobileNets on the Hugging Face Hub: a model name ({@code arch} or {@code arch.tag}) to the
 * cached {@code model.safetensors} and {@code config.json} of {@code timm/arch.tag}, with the config merged over the
 * registry's. Files downloaded by Python's huggingface_hub are used as they are, and the other way round.
 */
public final class TimmHub {
    public static final String WEIGHTS_FILE = "model.safetensors";
    public static final String CONFIG_FILE = "config.json";
    public static final String DEFAULT_REVISION = "main";

    private final HubClient client;

    public TimmHub(HubSettings settings) {
        this(new HubClient(settings));
    }

    public TimmHub(HubClient client) {
        this.client = client;
    }

    /** With the settings of this process's environment (HF_ENDPOINT, HF_HUB_CACHE, HF_HUB_OFFLINE, HF_TOKEN...). */
    public static TimmHub fromEnvironment() {
        return new TimmHub(HubSettings.fromEnvironment());
    }

    public HubClient client() {
        return client;
    }

    /** {@link #resolve(String, String, ProgressListener)} at {@code main}, silently. */
    public ResolvedWeights resolve(String modelName) {
        return resolve(modelName, DEFAULT_REVISION, ProgressListener.NONE);
    }

    /**
     * Finds or downloads the weights of a pretrained model. A bare architecture takes timm's default tag. The
     * config.json is taken from the same commit as the weights; a repository without one, or one that cannot be
     * had now (offline, Hub unreachable) while the weights are cached, leaves the registry's values.
     *
     * @throws MobileNetException for a name without pretrained weights, and as {@link HubException} for download
     *                            and cache failures
     */
    public ResolvedWeights resolve(String modelName, String revision, ProgressListener listener) {
        Registry.ModelRef ref = Registry.resolve(modelName);
        PretrainedCfg registry = ref.pretrained().orElseThrow(() -> new MobileNetException(ref.spec().arch()
                + " has no pretrained weights (run 'mobilenet list --pretrained' for the names that have)"));
        String repo = registry.hfHubId();
        Path weights = client.download(repo, WEIGHTS_FILE, revision, listener);
        String commit = weights.getParent().getFileName().toString();
        Optional<Path> configFile;
        try {
            configFile = client.downloadIfExists(repo, CONFIG_FILE, commit, listener);
        } catch (HubException e) {
            if (e.kind() != HubException.Kind.OFFLINE_MISS && e.kind() != HubException.Kind.UNREACHABLE) {
                throw e;
            }
            listener.notice(e.getMessage() + "; using the built-in config of " + registry.name());
            configFile = Optional.empty();
        }
        TimmConfig hubConfig = configFile.map(TimmConfig::read).orElseGet(TimmConfig::empty);
        ModelConfig config = hubConfig.merge(Optional.of(registry));
        return new ResolvedWeights(ref, repo, revision, commit, weights, configFile, config);
    }
}
