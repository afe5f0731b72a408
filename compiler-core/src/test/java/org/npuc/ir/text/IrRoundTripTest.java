package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.OpRegistry;

/**
 * Round trip over the corpus of hand-written IR: parse, print in full, parse again; the two graphs
 * must be structurally identical and printing again must give the same text.
 */
class IrRoundTripTest {
  static final OpRegistry OPS = TestOps.registry();

  static String resource(String name) throws IOException {
    try (InputStream in = IrRoundTripTest.class.getResourceAsStream("corpus/" + name)) {
      if (in == null) throw new IOException("missing test resource corpus/" + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Parses, prints, parses, compares; returns the first printing. */
  static String roundTrip(String text, String source) {
    Graph first = IrParser.parse(text, source, OPS);
    String printed = IrPrinter.full().print(first);
    Graph second = IrParser.parse(printed, source + " (printed)", OPS);
    assertNull(
        GraphEquivalence.firstDifference(first, second),
        () -> "round trip of " + source + " changed the graph; printed:\n" + printed);
    assertEquals(
        printed, IrPrinter.full().print(second), "printing the re-parsed graph gives other text");
    return printed;
  }

  @ParameterizedTest
  @ValueSource(strings = {"lenet.npuir", "attributes.npuir", "types.npuir", "constants.npuir"})
  void corpusRoundTrips(String name) throws IOException {
    String printed = roundTrip(resource(name), name);
    assertFalse(printed.contains("dense_elided"), "full printing never elides");
  }

  static Stream<String> corpus() {
    return Stream.of("lenet.npuir", "attributes.npuir", "types.npuir", "constants.npuir");
  }
}
