package org.npuc.ir.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;

/** Every mistake in IR text is an {@link IrParseException} at the exact line and column. */
class IrParseErrorTest {

  private static IrParseException fail(String text) {
    return assertThrows(
        IrParseException.class, () -> IrParser.parse(text, "t.npuir", IrRoundTripTest.OPS));
  }

  private static void assertAt(IrParseException e, int line, int column, String reasonPart) {
    assertEquals("t.npuir", e.sourceName());
    assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    assertTrue(
        e.reason().contains(reasonPart),
        () -> "reason '" + e.reason() + "' lacks '" + reasonPart + "'");
    assertTrue(e.getMessage().startsWith("t.npuir:" + line + ":" + column + ": "), e.getMessage());
  }

  private static final String HEAD =
      "graph @g {\n  %x = input() {name = \"x\"} : () -> tensor<1x4xf32>\n";

  @Test
  void syntaxErrorPointsAtTheTokenWithACaret() {
    IrParseException e =
        fail(HEAD + "  %y = relu(%x) {axis = } : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n");
    assertAt(e, 3, 25, "syntax error");
    String[] lines = e.getMessage().split("\n");
    assertEquals("    %y = relu(%x) {axis = } : (tensor<1x4xf32>) -> tensor<1x4xf32>", lines[1]);
    assertEquals("                          ^", lines[2]);
  }

  @Test
  void unexpectedCharacterAndEndOfInput() {
    assertAt(fail(HEAD + "  # comment\n}\n"), 3, 3, "unexpected character '#'");
    assertAt(fail(HEAD), 3, 1, "unexpected end of input");
  }

  @Test
  void unknownOpSuggestsTheNearestAndListsAll() {
    IrParseException e = fail(HEAD + "  %y = rleu(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n");
    assertAt(e, 3, 8, "unknown op 'rleu'; did you mean 'relu'?");
    assertTrue(e.help().startsWith("known ops: "), e.help());
    assertTrue(
        e.help().contains("conv2d") && e.help().contains("constant") && e.help().contains("relu"),
        e.help());
    assertTrue(e.getMessage().endsWith(e.help()));
  }

  @Test
  void undefinedValue() {
    assertAt(
        fail(
            HEAD
                + "  %y = add(%x, %z) : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32>\n"
                + "}\n"),
        3,
        16,
        "use of undefined value %z");
  }

  @Test
  void useBeforeDefinitionIsUndefined() {
    String text =
        HEAD
            + "  %y = relu(%z) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n"
            + "  %z = relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n"
            + "}\n";
    assertAt(fail(text), 3, 13, "use of undefined value %z");
  }

  @Test
  void valueDefinedTwice() {
    assertAt(
        fail(HEAD + "  %x = relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        3,
        "value %x is defined twice (first at line 2, column 3)");
    assertAt(
        fail(
            HEAD
                + "  %a, %a = split(%x) {axis = 1, sizes = [2, 2]} : (tensor<1x4xf32>) ->"
                + " (tensor<1x2xf32>, tensor<1x2xf32>)\n"
                + "}\n"),
        3,
        7,
        "value %a is defined twice (first at line 3, column 3)");
  }

  @Test
  void operandCountDisagreesWithTheType() {
    assertAt(
        fail(HEAD + "  %y = add(%x, %x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        22,
        "add has 2 operands but its type lists 1 operand type");
  }

  @Test
  void operandTypeDisagreesWithItsDefinition() {
    assertAt(
        fail(HEAD + "  %y = relu(%x) : (tensor<1x5xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        20,
        "operand 0 (%x) has type tensor<1x4xf32> (defined at line 2) but is written as"
            + " tensor<1x5xf32>");
  }

  @Test
  void resultCountDisagreesWithTheType() {
    assertAt(
        fail(
            HEAD
                + "  %a = split(%x) {axis = 1, sizes = [2, 2]} : (tensor<1x4xf32>) ->"
                + " (tensor<1x2xf32>, tensor<1x2xf32>)\n"
                + "}\n"),
        3,
        3,
        "split defines 1 value but its type lists 2 results");
    assertAt(
        fail(HEAD + "  relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        3,
        "relu defines 0 values but its type lists 1 result");
  }

  @Test
  void elidedConstantSaysHowToGetParsableIr() {
    IrParseException e =
        fail(
            HEAD
                + "  %w = constant() {value = dense_elided<\"5fbd73ac6c4b470f\">} : () ->"
                + " tensor<20x4xf32>\n"
                + "}\n");
    assertAt(
        e,
        3,
        28,
        "the value of %w was printed elided (dense_elided<\"5fbd73ac6c4b470f\">,"
            + " tensor<20x4xf32>)");
    assertTrue(e.help().contains("-o FILE") && e.help().contains("--print-constants"), e.help());
  }

  @Test
  void badTensorLiterals() {
    assertAt(
        fail(HEAD + "  %w = constant() {value = dense<b64\"AAAA\">} : () -> tensor<2xf32>\n}\n"),
        3,
        34,
        "base64 data holds 3 bytes; tensor<2xf32> needs 8");
    assertAt(
        fail(
            HEAD
                + "  %w = constant() {value = dense<[[1.0, 2.0], [3.0]]>} : () -> tensor<2x2xf32>\n"
                + "}\n"),
        3,
        47,
        "expected 2 elements at nesting level 2 of shape [2, 2], got 1");
    assertAt(
        fail(HEAD + "  %w = constant() {value = dense<[1, 300]>} : () -> tensor<2xi8>\n}\n"),
        3,
        38,
        "element 300 is out of range for i8 [-128, 127]");
    assertAt(
        fail(HEAD + "  %w = constant() {value = dense<[1, 2.5]>} : () -> tensor<2xi32>\n}\n"),
        3,
        38,
        "expected an integer element for tensor<2xi32>, got 2.5");
    assertAt(
        fail(
            HEAD
                + "  %y = relu(%x) {t = dense<[1.0]>} : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        22,
        "a tensor attribute needs its type");
    assertAt(
        fail(HEAD + "  %w = constant() {value = dense<1.0>} : () -> tensor<?xf32>\n}\n"),
        3,
        28,
        "a tensor literal needs a static shape");
  }

  @Test
  void badAttributes() {
    assertAt(
        fail(HEAD + "  %y = relu(%x) {axes = []} : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        25,
        "an empty array needs its kind: write [] : ints");
    assertAt(
        fail(HEAD + "  %y = relu(%x) {a = 1, a = 2} : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        25,
        "attribute 'a' is given twice");
    assertAt(
        fail(
            HEAD
                + "  %y = relu(%x) {a = [1, \"b\"] : ints} : (tensor<1x4xf32>) -> tensor<1x4xf32>\n"
                + "}\n"),
        3,
        26,
        "expected an integer in this array of ints");
    assertAt(
        fail(
            HEAD
                + "  %y = relu(%x) {a = 99999999999999999999} : (tensor<1x4xf32>) ->"
                + " tensor<1x4xf32>\n"
                + "}\n"),
        3,
        22,
        "integer 99999999999999999999 is out of range");
    assertAt(
        fail(HEAD + "  %y = relu(%x) {a = \"\\q\"} : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        22,
        "bad escape in string");
  }

  @Test
  void badTypes() {
    assertAt(
        fail(HEAD + "  %y = relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xf33>\n}\n"),
        3,
        51,
        "unknown element type 'f33'");
    assertAt(
        fail(
            HEAD
                + "  %y = relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xuniform<f32:f32, 0.5:0>>\n"
                + "}\n"),
        3,
        59,
        "quantized storage must be an integer type");
    assertAt(
        fail(
            HEAD
                + "  %y = relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xuniform<i8:f32, -0.5:0>>\n"
                + "}\n"),
        3,
        51,
        "bad element type: scale must be positive");
    assertAt(
        fail(
            HEAD
                + "  %y = relu(%x) : (tensor<1x4xf32>) -> tensor<1x4xuniform<i8<-200:127>:f32,"
                + " 0.5:0>>\n"
                + "}\n"),
        3,
        62,
        "storage range <-200:127> does not fit i8");
  }

  @Test
  void missingFileIsAUserError() {
    UserError e =
        assertThrows(UserError.class, () -> IrParser.parse(Path.of("/nonexistent/x.npuir")));
    assertTrue(e.getMessage().contains("/nonexistent/x.npuir: no such file"), e.getMessage());
  }

  @Test
  void longLinesAreShownAsAWindowAroundTheColumn() {
    String b64 = "A".repeat(100000);
    IrParseException e =
        fail(
            HEAD
                + "  %w = constant() {value = dense<b64\""
                + b64
                + "\">} : () -> tensor<2xf33>\n}\n");
    String[] lines = e.getMessage().split("\n");
    assertTrue(lines[1].length() < 200, "shown line has " + lines[1].length() + " chars");
    assertEquals(lines[1].indexOf("f33"), lines[2].indexOf('^'), e.getMessage());
  }

  @Test
  void unterminatedStringAndFriendlyTokenNames() {
    assertAt(
        fail(HEAD + "  %y = relu(%x) {a = \"abc} : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        22,
        "unterminated string");
    IrParseException e = fail(HEAD + "  %y = relu(%x) : tensor<1x4xf32> -> tensor<1x4xf32>\n}\n");
    assertAt(e, 3, 19, "syntax error: missing '(' at 'tensor'");
    assertAt(
        fail(HEAD + "  %y = relu(x) : (tensor<1x4xf32>) -> tensor<1x4xf32>\n}\n"),
        3,
        13,
        "expecting {')', %value}");
  }

  @Test
  void absurdNestingIsAUserErrorNotACrash() {
    String deep = "[".repeat(200_000);
    UserError e =
        assertThrows(
            UserError.class,
            () ->
                IrParser.parse(
                    HEAD
                        + "  %w = constant() {value = dense<"
                        + deep
                        + "} : () -> tensor<f32>\n}\n",
                    "t.npuir",
                    IrRoundTripTest.OPS));
    assertTrue(
        e.getMessage().startsWith("t.npuir: brackets are nested too deeply"), e.getMessage());
  }

  @Test
  void byteOrderMarkIsIgnored() {
    String text = "\uFEFF" + HEAD + "}\n";
    assertEquals(1, IrParser.parse(text, "t.npuir", IrRoundTripTest.OPS).size());
  }
}
