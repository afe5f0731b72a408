package org.npuc.golden;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The golden runner's matcher and file splitting, on hand-written outputs. */
class FileCheckTest {
  private static final String OUT = String.join("\n",
      "graph @g {",
      "  %x = input() {name = \"x\"} : () -> tensor<4xf32>",
      "  %r = relu(%x) : (tensor<4xf32>) -> tensor<4xf32>",
      "  output(%r) {name = \"y\"} : (tensor<4xf32>) -> ()",
      "}",
      "graph @h {",
      "  %z = input() {name = \"z\"} : () -> tensor<4xf32>",
      "  output(%z) {name = \"w\"} : (tensor<4xf32>) -> ()",
      "}",
      "");

  private static String check(String... lines) {
    List<FileCheck.Directive> ds = new ArrayList<>();
    int n = 1;
    for (String l : lines) {
      int colon = l.indexOf(':');
      FileCheck.Kind k = switch (l.substring(0, colon)) {
        case "CHECK-NEXT" -> FileCheck.Kind.NEXT;
        case "CHECK-NOT" -> FileCheck.Kind.NOT;
        case "CHECK-LABEL" -> FileCheck.Kind.LABEL;
        default -> FileCheck.Kind.CHECK;
      };
      ds.add(new FileCheck.Directive(k, l.substring(colon + 1), n++));
    }
    return FileCheck.check(OUT, ds);
  }

  @Test
  void checkMatchesInOrder() {
    assertNull(check("CHECK: relu(%x)", "CHECK: output(%r)"));
    assertTrue(check("CHECK: output(%r)", "CHECK: relu(%x)").startsWith("CHECK at line 2 not found"));
  }

  @Test
  void checkNextWantsTheVeryNextLine() {
    assertNull(check("CHECK: %x = input()", "CHECK-NEXT: %r = relu"));
    String m = check("CHECK: %x = input()", "CHECK-NEXT: output(%r)");
    assertTrue(m.startsWith("CHECK-NEXT at line 2 does not match the next output line 3"), m);
  }

  @Test
  void checkNotLooksOnlyBetweenItsNeighbours() {
    assertNull(check("CHECK: input()", "CHECK-NOT: input()", "CHECK: output"));
    assertTrue(check("CHECK: graph @g", "CHECK-NOT: relu", "CHECK: output").startsWith("CHECK-NOT at line 2 matched output line 3"));
    assertTrue(check("CHECK: output(%r)", "CHECK-NOT: input").startsWith("CHECK-NOT at line 2 matched output line 7"));
  }

  @Test
  void labelsMakeBlocks() {
    assertNull(check("CHECK-LABEL: graph @g", "CHECK-NOT: %z", "CHECK-LABEL: graph @h", "CHECK: output(%z)"));
    // a CHECK may not run past the next label
    assertTrue(check("CHECK-LABEL: graph @g", "CHECK: %z = input", "CHECK-LABEL: graph @h").startsWith("CHECK at line 2 not found"));
    assertTrue(check("CHECK-LABEL: graph @nope").startsWith("CHECK-LABEL at line 1 not found"));
  }

  @Test
  void regexesVariablesAndBlanks() {
    assertNull(check("CHECK: %[[V:[a-z]+]] = relu", "CHECK: output(%[[V]])"));
    assertTrue(check("CHECK: %[[V:[a-z]+]] = input", "CHECK: output(%[[V]])").startsWith("CHECK at line 2 not found"));
    assertNull(check("CHECK: tensor<{{[0-9]+}}xf32>"));
    assertNull(check("CHECK: %r   =     relu"));
    assertThrows(IllegalArgumentException.class, () -> check("CHECK: [[UNSET]]"));
  }

  @Test
  void filesSplitIntoCasesWithRunLinesAndErrors() {
    String text = String.join("\n",
        "// RUN: cse",
        "graph @a {",
        "}",
        "// CHECK: graph @a",
        "// -----",
        "// RUN: fold_constants(max_elements=2)",
        "graph @b { // expected-error {{boom}}",
        "}",
        "// -----",
        "graph @c {",
        "}",
        "// CHECK-NOT: x");
    List<GoldenFile.Case> cases = GoldenFile.parse(text, "t.npuir");
    assertEquals(3, cases.size());
    assertEquals("cse", cases.get(0).pipeline());
    assertEquals("fold_constants(max_elements=2)", cases.get(1).pipeline());
    assertEquals("cse", cases.get(2).pipeline()); // the file's RUN line
    assertEquals(List.of("boom"), cases.get(1).expectedErrors());
    assertEquals(6, cases.get(1).firstLine());
    // parser line numbers are file line numbers: the case text starts with blank lines
    assertEquals("graph @b { ", cases.get(1).ir().split("\n", -1)[6]);
    assertThrows(IllegalArgumentException.class, () -> GoldenFile.parse("graph @x {\n}\n", "t.npuir"));
    assertThrows(IllegalArgumentException.class, () -> GoldenFile.parse("// RUN: cse\n// CHECK graph\n", "t.npuir"));
  }
}
