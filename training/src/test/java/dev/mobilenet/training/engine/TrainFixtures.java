package dev.mobilenet.training.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mobilenet.testing.FixtureDir;
import java.nio.file.Path;

/** The training fixtures made by tools/make_train_fixtures.py. */
final class TrainFixtures {
    private TrainFixtures() {
    }

    private static final FixtureDir FILES = FixtureDir.of("/train_fixtures/manifest.json");
    static final Path DIR = FILES.dir();
    static final JsonNode MANIFEST = FILES.manifest();
}
