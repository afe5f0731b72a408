package org.npuc.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.npuc.diag.UserError;
import org.npuc.ir.Tensor;
import org.npuc.testing.Models;

class RgbImageTest {
  @Test
  void areaResizeAveragesWholeBlocks() {
    // 4x2 image, halve both sides: each output pixel is the mean of a 2x2 block.
    int[] px = new int[4 * 2 * 3];
    int[] vals = {0, 10, 20, 30, 40, 50, 60, 70};
    for (int i = 0; i < 8; i++) for (int c = 0; c < 3; c++) px[i * 3 + c] = vals[i] + c;
    RgbImage r = new RgbImage(4, 2, px).resizeArea(2, 1);
    // (0+10+40+50)/4 = 25, (20+30+60+70)/4 = 45
    assertArrayEquals(new int[] {25, 26, 27, 45, 46, 47}, r.pixels());
  }

  @Test
  void areaResizeWeighsPartialPixels() {
    // 3 pixels to 2: output 0 covers pixel 0 and half of pixel 1.
    int[] px = {0, 0, 0, 30, 30, 30, 90, 90, 90};
    RgbImage r = new RgbImage(3, 1, px).resizeArea(2, 1);
    assertEquals(10, r.pixels()[0]); // (0 + 0.5*30) / 1.5
    assertEquals(70, r.pixels()[3]); // (0.5*30 + 90) / 1.5
  }

  @Test
  void centerSquareAndFraction() {
    RgbImage img = new RgbImage(5, 3, new int[45]);
    assertEquals(3, img.centerSquare().width());
    RgbImage c = new RgbImage(8, 8, new int[192]).centralFraction(0.5);
    assertEquals(4, c.width());
    assertEquals(4, c.height());
  }

  @Test
  void unreadableFileIsAUserError(@TempDir Path dir) throws Exception {
    Path f = dir.resolve("x.jpg");
    Files.writeString(f, "not an image");
    assertThrows(UserError.class, () -> RgbImage.read(f));
  }

  /**
   * The stored TFLite reference inputs were made with OpenCV (libjpeg decode, square centre crop,
   * INTER_AREA). ImageIO decodes JPEG differently, so pixels differ slightly; this measures by how
   * much and keeps it small.
   */
  @Test
  void matchesTheStoredOpenCvInputsClosely() throws Exception {
    Path input = Models.require("tflite/expected/mobilenet_v1_0.25_128_quant.input.npy");
    Path dir = Models.require("data/imagenet-sample");
    List<Path> files;
    try (Stream<Path> s = Files.list(dir)) {
      files = s.filter(p -> p.toString().endsWith(".JPEG")).sorted().limit(3).toList();
    }
    Tensor ref = Npy.read(input);
    int per = 128 * 128 * 3;
    long same = 0, within2 = 0, total = 0;
    int maxDiff = 0;
    for (int i = 0; i < files.size(); i++) {
      int[] mine = RgbImage.read(files.get(i)).centerSquare().resizeArea(128, 128).pixels();
      for (int k = 0; k < per; k++) {
        int d = Math.abs(mine[k] - ref.ints()[i * per + k]);
        if (d == 0) same++;
        if (d <= 2) within2++;
        maxDiff = Math.max(maxDiff, d);
        total++;
      }
    }
    System.out.printf("preprocessing vs stored OpenCV inputs: %.4f identical, %.4f within 2 levels, max %d%n", (double) same / total, (double) within2 / total, maxDiff);
    assertTrue(same > 0.99 * total, "fewer than 99% of pixels identical to OpenCV's");
  }
}
