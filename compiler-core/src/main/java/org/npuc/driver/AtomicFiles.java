package org.npuc.driver;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.npuc.diag.UserError;

/**
 * Writes output files through a temporary file in the same folder that replaces the target only
 * when complete, so a failed run never leaves a half-written file behind.
 */
public final class AtomicFiles {
  /** Writes the content of one file. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code file} atomically; a problem (missing folder, no permission) is a {@link UserError}. */
  public static void write(Path file, Content content) {
    Path abs = file.toAbsolutePath();
    Path dir = abs.getParent();
    if (dir != null && !Files.isDirectory(dir)) {
      throw new UserError("cannot write " + file + ": folder " + dir + " does not exist");
    }
    Path tmp = null;
    try {
      tmp = createSibling(abs);
      try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
        content.writeTo(out);
      }
      try {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
      }
      tmp = null;
    } catch (IOException e) {
      throw new UserError("cannot write " + file + ": " + e.getMessage(), e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // best effort: the temporary file is hidden and named after the target
        }
      }
    }
  }

  /**
   * Creates an empty hidden file next to {@code target} for the content. Unlike
   * {@link Files#createTempFile}, which makes the file private (0600), this honours the user's
   * umask, so the finished file gets the permissions any other new file would.
   */
  public static Path createSibling(Path target) throws IOException {
    Path abs = target.toAbsolutePath();
    for (int attempt = 0; ; attempt++) {
      Path tmp = abs.resolveSibling("." + abs.getFileName() + "." + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp");
      try {
        return Files.createFile(tmp);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) throw e;
      }
    }
  }
}
