package org.npuc.driver;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.npuc.ir.Builder;
import org.npuc.ir.Graph;
import org.npuc.ir.Location;
import org.npuc.ir.type.TensorType;
import org.npuc.spi.Frontend;
import org.npuc.spi.ImportOptions;

/** A frontend for tests: files starting with {@code FAKEMODEL} become relu(x) with x of [?, 4]. */
public final class FakeFrontend implements Frontend {
  @Override
  public String name() {
    return "fake";
  }

  @Override
  public List<String> extensions() {
    return List.of(".fake");
  }

  @Override
  public boolean accepts(Path file, byte[] head) {
    return new String(head, StandardCharsets.ISO_8859_1).startsWith("FAKEMODEL");
  }

  @Override
  public Graph importModel(ImportOptions options) {
    Graph g = new Graph("fake");
    Builder b = new Builder(g);
    int[] shape = options.inputShapes().getOrDefault("x", new int[] {-1, 4});
    var x = b.input("x", TensorType.f32(shape), Location.of("x", options.model().toString()));
    b.output("y:0", b.value("relu", List.of(x), null, Location.of("relu")), null);
    return g;
  }
}
