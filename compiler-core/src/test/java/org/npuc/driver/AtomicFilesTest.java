package org.npuc.driver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;

/** Output files appear whole or not at all. */
class AtomicFilesTest {
  @TempDir Path tmp;

  @Test
  void writesWholeFileOrNothing() throws Exception {
    Path f = tmp.resolve("out.bin");
    AtomicFiles.write(f, o -> o.write(new byte[] {1, 2, 3}));
    assertEquals(3, Files.size(f));
    // a writer that fails half way leaves the old file untouched and no temporary behind
    assertThrows(UserError.class, () -> AtomicFiles.write(f, o -> {
      o.write(new byte[] {9, 9});
      throw new IOException("disk full");
    }));
    assertEquals(3, Files.size(f));
    try (var s = Files.list(tmp)) {
      assertEquals(1, s.count());
    }
    UserError e = assertThrows(UserError.class, () -> AtomicFiles.write(tmp.resolve("no/such/dir/x"), o -> {}));
    assertTrue(e.getMessage().contains("does not exist"), e.getMessage());
  }

  @Test
  void finishedFileIsNotPrivateWhenOtherNewFilesAreNot() throws Exception {
    Path plain = Files.createFile(tmp.resolve("plain"));
    Path f = tmp.resolve("written");
    AtomicFiles.write(f, o -> o.write(1));
    // The same permissions an ordinary new file gets under this umask (not createTempFile's 0600).
    assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(f));
  }
}
