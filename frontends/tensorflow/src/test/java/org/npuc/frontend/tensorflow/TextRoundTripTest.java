package org.npuc.frontend.tensorflow;

import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.npuc.ir.Graph;
import org.npuc.ir.GraphEquivalence;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.text.IrPrinter;
import org.npuc.spi.ImportOptions;
import org.npuc.testing.Models;

/**
 * What the importer builds prints as IR text and parses back to the same graph (npuc import -o).
 */
class TextRoundTripTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "tf/mnist/mnist.pb",
        "tf/qat/fake_quant_per_channel.pbtxt",
        "tf/qat/back2back_fake_quant.pbtxt",
        "tf/qat/quant_stats.pbtxt",
        "tfjs/emotion/model.json"
      })
  void printsAndParsesBack(String model) {
    ImportOptions o = new ImportOptions(Models.require(model));
    if (model.contains("quant_stats")) {
      o.inputShapes().put("input0", new int[] {4});
      o.inputShapes().put("input1", new int[] {4});
    }
    Graph g = TfTesting.load(o);
    String text = IrPrinter.full().print(g);
    Graph back = IrParser.parse(text, model);
    assertNull(GraphEquivalence.strict().ignoringValueNames().compare(g, back), model);
  }
}
