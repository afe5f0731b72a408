package org.npuc.golden;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.IrException;
import org.npuc.ir.text.IrParser;
import org.npuc.ir.text.IrPrinter;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassManager;

/**
 * Runs the golden files {@code src/test/resources/golden/*.npuir}: each case is parsed, run
 * through its {@code RUN} pipeline (verifier on), printed as {@code npuc opt} prints it, and
 * matched with FileCheck semantics; {@code expected-error} cases must fail with that message.
 * A failing case writes the actual output to {@code <file>.actual} beside the golden file.
 */
class GoldenTest {

  @TestFactory
  Stream<DynamicNode> golden() throws IOException {
    Path dir = goldenDir();
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".npuir")).sorted().toList();
    }
    if (files.isEmpty()) fail("no golden files in " + dir);
    List<DynamicNode> nodes = new ArrayList<>();
    for (Path f : files) {
      Path actual = f.resolveSibling(f.getFileName() + ".actual");
      Files.deleteIfExists(actual);
      String name = f.getFileName().toString();
      List<GoldenFile.Case> cases = GoldenFile.parse(Files.readString(f, StandardCharsets.UTF_8), name);
      Map<Integer, String> failures = new TreeMap<>();
      List<DynamicTest> tests = new ArrayList<>();
      for (GoldenFile.Case c : cases) {
        tests.add(DynamicTest.dynamicTest(name + " case " + c.number() + " (line " + c.firstLine() + ")", f.toUri(), () -> runCase(name, c, actual, failures)));
      }
      nodes.add(DynamicContainer.dynamicContainer(name, f.toUri(), tests.stream()));
    }
    return nodes.stream();
  }

  private static void runCase(String name, GoldenFile.Case c, Path actualFile, Map<Integer, String> failures) {
    String output;
    String error = null;
    try {
      Graph g = IrParser.parse(c.ir(), name);
      new PassManager(org.npuc.pass.Pipeline.parse(c.pipeline(), org.npuc.pass.PassRegistry.global()), PassContext.global()).run(g);
      output = IrPrinter.screen().print(g);
    } catch (UserError e) {
      error = e.getMessage();
      output = "error: " + error;
    } catch (IrException e) {
      error = e.describe();
      output = "error: " + error;
    }
    String problem;
    if (!c.expectedErrors().isEmpty()) {
      problem = null;
      if (error == null) {
        problem = "expected an error containing " + c.expectedErrors() + ", but the pipeline succeeded";
      } else {
        for (String want : c.expectedErrors()) {
          if (!error.contains(want)) problem = "expected an error containing {{" + want + "}}, got: " + error;
        }
      }
    } else if (error != null) {
      problem = "unexpected error: " + error;
    } else {
      problem = FileCheck.check(output, c.checks());
    }
    if (c.expectedErrors().isEmpty() && c.checks().isEmpty()) problem = "case has no CHECK and no expected-error line: it would assert nothing";
    if (problem == null) return;
    synchronized (failures) {
      failures.put(c.number(), "// ----- case " + c.number() + " (line " + c.firstLine() + "): " + problem.replace("\n", "\n// ") + "\n" + output);
      writeActual(actualFile, failures);
    }
    fail(name + " case " + c.number() + " (line " + c.firstLine() + ", RUN: " + c.pipeline() + "): " + problem
        + "\nactual output written to " + actualFile + ":\n" + output);
  }

  private static void writeActual(Path file, Map<Integer, String> failures) {
    StringBuilder sb = new StringBuilder("// actual output of the failing cases (this file is not checked in)\n");
    for (String s : failures.values()) sb.append(s).append(s.endsWith("\n") ? "" : "\n");
    try {
      Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The source folder when run from the module (so .actual lands beside the checked-in file). */
  private static Path goldenDir() {
    Path src = Path.of("src/test/resources/golden");
    if (Files.isDirectory(src)) return src;
    try {
      return Path.of(GoldenTest.class.getResource("/golden").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
