package org.npuc.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the third-party test models are: {@code $NPUC_MODELS}, else the {@code npuc.models}
 * system property (set by the build to {@code ../shared/models}). Tests that need a model call
 * {@link #require}, which skips the test with a visible reason when the file is absent.
 */
public final class Models {
  private Models() {}

  public static Path root() {
    String env = System.getenv("NPUC_MODELS");
    if (env != null && !env.isBlank()) return Path.of(env);
    String prop = System.getProperty("npuc.models");
    return Path.of(prop != null ? prop : "../shared/models");
  }

  /** The model file at {@code relative} under the models root; skips the test when it is absent. */
  public static Path require(String relative) {
    Path p = root().resolve(relative);
    assumeTrue(Files.exists(p), "skipped: model file not found at " + p + " (set NPUC_MODELS to the shared models folder)");
    return p;
  }
}
