package org.npuc.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.npuc.ir.OpDefinition;
import org.npuc.ir.OpRegistry;

/** The registered core ops are exactly the ops of docs/ops.md, each with a summary. */
class OpCatalogTest {
  @Test
  void registryMatchesTheContract() throws IOException {
    Path doc = Path.of("../docs/ops.md");
    if (!Files.exists(doc)) doc = Path.of("docs/ops.md");
    TreeSet<String> documented = new TreeSet<>();
    // First column of every table row: one or more `op` names separated by commas.
    Pattern row = Pattern.compile("^\\| (`[a-z0-9_]+`(?:, `[a-z0-9_]+`)*) \\|");
    for (String line : Files.readAllLines(doc)) {
      Matcher m = row.matcher(line);
      if (!m.find()) continue;
      Matcher name = Pattern.compile("`([a-z0-9_]+)`").matcher(m.group(1));
      while (name.find()) documented.add(name.group(1));
    }
    TreeSet<String> registered = new TreeSet<>();
    for (OpDefinition d : CoreOps.all()) {
      registered.add(d.name());
      assertFalse(d.summary().isBlank(), d.name());
      assertEquals(d.getClass(), OpRegistry.global().lookup(d.name()).getClass(), d.name());
    }
    assertEquals(documented, registered);
  }
}
