package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.OpRegistry;

/**
 * Every case of the golden pass tests (src/test/resources/golden) that is meant to parse also
 * round-trips: the IR the project writes by hand survives printing and parsing unchanged.
 */
class IrRoundTripGoldenTest {

  @TestFactory
  Stream<DynamicTest> goldenCasesRoundTrip() throws IOException, URISyntaxException {
    Path dir = Path.of(IrRoundTripGoldenTest.class.getResource("/golden").toURI());
    List<DynamicTest> tests = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".npuir")).sorted().toList()) {
        String[] cases = Files.readString(f, StandardCharsets.UTF_8).split("(?m)^// -----.*$");
        for (int i = 0; i < cases.length; i++) {
          String text = cases[i];
          // Error cases may be malformed on purpose; cases without a graph are headers.
          if (text.contains("expected-error") || !text.contains("graph")) continue;
          String name = f.getFileName() + " case " + (i + 1);
          tests.add(DynamicTest.dynamicTest(name, () -> roundTrip(text, name)));
        }
      }
    }
    assertFalse(tests.isEmpty(), "no golden cases found in " + dir);
    return tests.stream();
  }

  private static void roundTrip(String text, String name) {
    OpRegistry ops = IrRoundTripTest.OPS;
    Graph first = IrParser.parse(text, name, ops);
    String printed = IrPrinter.full().print(first);
    Graph second = IrParser.parse(printed, name + " (printed)", ops);
    assertNull(GraphEquivalence.firstDifference(first, second), () -> "printed:\n" + printed);
    assertEquals(printed, IrPrinter.full().print(second));
  }
}
