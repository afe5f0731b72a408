package org.npuc.driver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.cli.Main;
import org.npuc.io.Npy;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.ir.text.IrParser;

/**
 * Frontends are found with ServiceLoader and chosen by content: a services file in a temporary
 * class loader registers {@link FakeFrontend} for these tests only.
 */
class ModelLoaderTest {
  @TempDir Path tmp;

  private <T> T withFakeFrontend(Callable<T> body) throws Exception {
    Path services = tmp.resolve("sl/META-INF/services");
    Files.createDirectories(services);
    Files.writeString(services.resolve("org.npuc.spi.Frontend"), FakeFrontend.class.getName() + "\n");
    Thread t = Thread.currentThread();
    ClassLoader old = t.getContextClassLoader();
    try (URLClassLoader cl = new URLClassLoader(new URL[] {tmp.resolve("sl").toUri().toURL()}, old)) {
      t.setContextClassLoader(cl);
      return body.call();
    } finally {
      t.setContextClassLoader(old);
    }
  }

  @Test
  void picksTheFrontendByContentNotName() throws Exception {
    Path model = tmp.resolve("model.weird");
    Files.writeString(model, "FAKEMODEL v1\n");
    Graph g = withFakeFrontend(() -> ModelLoader.load(model));
    assertEquals("fake", g.name());
    Path other = tmp.resolve("other.fake");
    Files.writeString(other, "not it");
    String msg = withFakeFrontend(() -> {
      try {
        ModelLoader.load(other);
        return "loaded";
      } catch (org.npuc.diag.UserError e) {
        return e.getMessage();
      }
    });
    assertTrue(msg.contains("cannot tell the format of " + other) && msg.contains("fake (.fake)"), msg);
  }

  @Test
  void irTextIsRecognizedByContentToo() throws Exception {
    Path ir = tmp.resolve("model.txt");
    Files.writeString(ir, "// a comment\n\ngraph @g {\n  %x = input() {name = \"x\"} : () -> tensor<4xf32>\n  output(%x) {name = \"y\"} : (tensor<4xf32>) -> ()\n}\n");
    assertEquals("g", ModelLoader.load(ir).name());
  }

  @Test
  void importAndRunThroughTheCli() throws Exception {
    Path model = tmp.resolve("m.fake");
    Files.writeString(model, "FAKEMODEL\n");
    Path out = tmp.resolve("m.npuir");
    int code = withFakeFrontend(() -> Main.execute(new String[] {"import", model.toString(), "--input-shape", "x=2,4", "-o", out.toString()},
        new java.io.PrintWriter(new java.io.StringWriter()), new java.io.PrintWriter(new java.io.StringWriter())));
    assertEquals(0, code);
    Graph g = IrParser.parse(out);
    assertArrayEquals(new int[] {2, 4}, g.inputs().get(0).result().type().shape());

    Path x = tmp.resolve("x.npy");
    Npy.write(x, Tensor.ofFloats(new int[] {3, 4}, new float[] {-1, 2, -3, 4, 5, -6, 7, -8, 0, 1, -1, 2}));
    Path dir = tmp.resolve("outs");
    java.io.StringWriter so = new java.io.StringWriter();
    java.io.StringWriter se = new java.io.StringWriter();
    code = withFakeFrontend(() -> Main.execute(new String[] {"run", model.toString(), "--input", x.toString(), "--output-dir", dir.toString()},
        new java.io.PrintWriter(so), new java.io.PrintWriter(se)));
    assertEquals(0, code, se.toString());
    // the unknown batch takes the file's 3 samples; the output name "y:0" becomes y_0.npy
    Tensor y = Npy.read(dir.resolve("y_0.npy"));
    assertArrayEquals(new int[] {3, 4}, y.shape());
    assertArrayEquals(new float[] {0, 2, 0, 4, 5, 0, 7, 0, 0, 1, 0, 2}, y.floats());
    assertTrue(so.toString().startsWith("y:0: shape [3, 4] f32 min 0.00000 max 7.00000 mean 1.75000"), so.toString());
  }
}
