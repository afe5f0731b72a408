package org.npuc.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.npuc.ir.type.TensorType;
import org.npuc.testing.ToyOps;

/**
 * Graphs of {@value Verifier#PARALLEL_OPS} ops or more are checked in parallel slices: the
 * problems, their order and the cut after the first eleven must be the sequential walk's.
 */
class VerifierParallelTest {
  private final OpRegistry ops = ToyOps.registry();

  /** A chain of toy_neg ops long enough for the parallel walk, with faults planted at {@code at}. */
  private Graph chain(int length, int... at) {
    Graph g = new Graph("big");
    Builder b = new Builder(g, ops);
    Value x = b.input("x", TensorType.f32(4), Location.of("x"));
    List<Operation> negs = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      Operation n = b.create("toy_neg", List.of(x), null, Location.of("n" + i));
      negs.add(n);
      x = n.result();
    }
    b.output("y", x, Location.of("y"));
    for (int k = 0; k < at.length; k++) {
      Operation n = negs.get(at[k]);
      switch (k % 3) {
        case 0 -> n.result().setType(TensorType.f32(5)); // disagrees with inference (and so does its reader's)
        case 1 -> g.moveBefore(n, negs.get(at[k] - 2)); // reads a value defined later
        default -> b.atEnd().output("y", n.result(), Location.of("dup" + k)); // a second output 'y'
      }
    }
    return g;
  }

  private List<String> problems(Graph g, boolean parallel) {
    List<String> r = new ArrayList<>();
    for (IrException e : Verifier.check(g, ops, true, parallel)) r.add(e.describe());
    return r;
  }

  @Test
  void aLargeGraphIsCheckedInParallel() {
    Graph g = chain(Verifier.PARALLEL_OPS + 10);
    assertTrue(g.size() >= Verifier.PARALLEL_OPS);
    assertEquals(List.of(), problems(g, true));
    Verifier.verify(g, ops);
  }

  @Test
  void parallelAndSequentialWalksReportTheSameProblemsInTheSameOrder() {
    // Faults spread over several slices, more than the eleven reported, some in one slice.
    Graph g = chain(20_000, 5, 9, 100, 2_100, 2_101, 2_102, 4_500, 6_000, 8_000, 9_000, 12_000, 15_000, 19_000, 19_990);
    List<String> sequential = problems(g, false);
    assertEquals(11, sequential.size(), sequential.toString());
    assertEquals(sequential, problems(g, true));
    assertTrue(sequential.get(0).startsWith("toy_neg at 'n5': result #0 has type tensor<5xf32>"), sequential.get(0));
    assertTrue(sequential.get(1).startsWith("toy_neg at 'n6': result #0 has type tensor<4xf32>"), sequential.get(1));
    assertTrue(sequential.get(2).contains("'n9': operand #0 is used before it is defined"), sequential.get(2));
  }

  @Test
  void fewFaultsAreAllFoundInEitherWalk() {
    Graph g = chain(18_000, 3, 10_000, 17_000);
    List<String> sequential = problems(g, false);
    assertEquals(4, sequential.size(), sequential.toString());
    assertEquals(sequential, problems(g, true));
    assertTrue(sequential.get(2).contains("'n10000': operand #0 is used before it is defined"), sequential.get(2));
    assertTrue(sequential.get(3).startsWith("output at 'dup2': duplicate output name 'y'"), sequential.get(3));
  }
}
