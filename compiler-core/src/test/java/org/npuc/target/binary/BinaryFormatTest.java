package org.npuc.target.binary;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.Command;
import org.npuc.spi.OpClaim;
import org.npuc.spi.Precision;
import org.npuc.spi.Simulation;
import org.npuc.spi.TargetProgram;
import org.npuc.spi.TargetSpec;
import org.npuc.target.TargetCompiler;
import org.npuc.target.lower.OpRules;
import org.npuc.target.lower.ReferenceExecutor;
import org.npuc.testing.ConformanceModels;
import org.npuc.testing.ExampleCnn;
import org.npuc.testing.TestSpecs;

/** The container: same input gives the same bytes, and the reader refuses every kind of damage with a UserError. */
class BinaryFormatTest {
  /** Claims every op (int8 where quantized) and simulates with the reference executor. */
  static final class RefBackend implements Backend {
    @Override
    public String id() {
      return "generic-cpu";
    }

    @Override
    public Claims claim(Graph g, BackendContext c) {
      Claims r = new Claims();
      for (var op : g) {
        if (op.is("input") || op.is("output") || op.is("constant")) continue;
        r.add(OpClaim.claimed(op, "cpu", OpRules.touchesQuantized(op) ? Precision.INT8 : Precision.FLOAT32));
      }
      return r;
    }

    @Override
    public Simulation simulate(BinaryImage b, Map<String, Tensor> in) {
      return ReferenceExecutor.run(b.program(), in);
    }
  }

  static final RefBackend BACKEND = new RefBackend();

  static TargetSpec spec() {
    return TestSpecs.repo("generic-cpu", BACKEND);
  }

  static byte[] compile(Graph g) {
    return TargetCompiler.compile(g, BACKEND, new BackendContext(spec())).binary();
  }

  @Test
  void sameInputSameBytes() {
    assertArrayEquals(compile(ExampleCnn.build()), compile(ExampleCnn.build()));
    assertArrayEquals(compile(ConformanceModels.quantizedCnn(3, 8, 8, 2)), compile(ConformanceModels.quantizedCnn(3, 8, 8, 2)));
  }

  @Test
  void roundTripKeepsEverything() {
    TargetCompiler.Result r = TargetCompiler.compile(ConformanceModels.quantizedCnn(3, 8, 8, 2), BACKEND, new BackendContext(spec()));
    BinaryImage b = BinaryReader.read(r.binary(), "x.bin");
    TargetProgram p = r.program();
    assertEquals("generic-cpu", b.backend());
    assertEquals(spec().hash(), b.specHash());
    assertEquals(p.tensors().size(), b.program().tensors().size());
    for (int i = 0; i < p.tensors().size(); i++) {
      assertEquals(p.tensor(i).type(), b.program().tensor(i).type());
      assertEquals(p.tensor(i).offset(), b.program().tensor(i).offset());
      if (p.tensor(i).data() != null) assertArrayEquals(p.tensor(i).data(), b.program().tensor(i).data());
    }
    for (int i = 0; i < p.commands().size(); i++) {
      Command x = p.commands().get(i);
      Command y = b.program().commands().get(i);
      assertEquals(x.opcode(), y.opcode());
      assertEquals(x.attributes(), y.attributes());
      assertArrayEquals(x.inputs(), y.inputs());
    }
    assertEquals(p.arenaBytes(), b.program().arenaBytes());
  }

  private static String refuse(byte[] bytes) {
    return assertThrows(UserError.class, () -> BinaryReader.read(bytes, "m.bin")).getMessage();
  }

  /** Rewrites the SHA-256 trailer so that only the structural checks can catch a change. */
  private static byte[] resum(byte[] b) {
    byte[] sum = BinaryFormat.sha256(b, b.length - 32);
    System.arraycopy(sum, 0, b, b.length - 32, 32);
    return b;
  }

  @Test
  void damageIsAUserError() {
    byte[] good = compile(ExampleCnn.build());
    assertTrue(refuse(new byte[] {1, 2, 3}).contains("not an npuc binary"));
    assertTrue(refuse(Arrays.copyOf(good, good.length - 100)).contains("truncated or extended"));
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x10;
    assertTrue(refuse(flipped).contains("checksum mismatch"));
    byte[] future = good.clone();
    future[8] = 2;
    assertTrue(refuse(resum(future)).contains("binary format 2.0; this npuc reads format 1.x"), refuse(resum(future.clone())));
    byte[] badSection = good.clone();
    // First directory entry's offset (after magic, versions, count, length and the tag) points past the end.
    badSection[24 + 4 + 5] = 0x7f;
    assertTrue(refuse(resum(badSection)).contains("outside the file"), refuse(resum(badSection.clone())));
  }

  @Test
  void everyByteFlipIsCaught() {
    byte[] good = compile(ConformanceModels.quantizedCnn(3, 8, 8, 4));
    for (int i = 0; i < good.length; i += 97) {
      byte[] bad = good.clone();
      bad[i] ^= 0x01;
      assertThrows(UserError.class, () -> BinaryReader.read(bad, "m.bin"), "flip at " + i);
    }
  }

  @Test
  void structuralDamageWithAValidChecksumIsCaught() {
    TargetCompiler.Result r = TargetCompiler.compile(ExampleCnn.build(), BACKEND, new BackendContext(spec()));
    TargetProgram p = r.program();
    Command c = p.commands().get(0);
    p.commands().set(0, new Command(c.opcode(), c.engine(), c.precision(), new int[] {9999}, c.outputs(), c.attributes(), 0, c.location()));
    String m = refuse(BinaryWriter.write(p, spec(), "generic-cpu"));
    assertTrue(m.contains("names tensor 9999"), m);
    p.commands().set(0, c);
    p.setMemoryPlan(16, 8, 16);
    String a = refuse(BinaryWriter.write(p, spec(), "generic-cpu"));
    assertTrue(a.contains("outside the arena"), a);
  }
}
