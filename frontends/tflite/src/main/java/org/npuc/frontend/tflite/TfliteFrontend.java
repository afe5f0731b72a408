package org.npuc.frontend.tflite;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.spi.Frontend;
import org.npuc.spi.ImportOptions;

/**
 * The TFLite frontend: reads a {@code .tflite} flatbuffer (float, uint8 and int8 models), checks
 * its structure, and imports its first subgraph into an NCHW IR graph whose quantized tensors
 * carry the file's scales and zero points in their element types.
 */
public final class TfliteFrontend implements Frontend {
  /** Files larger than this are refused before reading (flatbuffers address 2 GB). */
  private static final long MAX_FILE = Integer.MAX_VALUE;

  @Override
  public String name() {
    return "tflite";
  }

  @Override
  public List<String> extensions() {
    return List.of(".tflite");
  }

  @Override
  public boolean accepts(Path file, byte[] head) {
    // The file identifier "TFL3" sits at bytes 4..8; very old files lack it, so the extension counts.
    if (head != null && head.length >= 8 && head[4] == 'T' && head[5] == 'F' && head[6] == 'L' && head[7] == '3') return true;
    return file != null && file.getFileName() != null && file.getFileName().toString().endsWith(".tflite");
  }

  @Override
  public Graph importModel(ImportOptions options) {
    Path file = options.model();
    if (!options.inputs().isEmpty() || !options.outputs().isEmpty()) {
      throw new UserError(file + ": choosing inputs or outputs of a TFLite model is not supported; import the whole model");
    }
    if (!options.inputShapes().isEmpty()) {
      throw new UserError(file + ": overriding input shapes of a TFLite model is not supported (its tensor shapes are fixed in the file)");
    }
    return importBytes(readFile(file), file.toString(), graphName(file));
  }

  /** Imports a model held in memory; {@code name} is used in messages and locations. */
  public static Graph importBytes(ByteBuffer bytes, String name, String graphName) {
    TfliteModel model = read(bytes, name);
    return new TfliteImporter(model, name, graphName).run();
  }

  static TfliteModel read(ByteBuffer bytes, String name) {
    ByteBuffer b = bytes.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (b.limit() >= 8 && !(b.get(4) == 'T' && b.get(5) == 'F' && b.get(6) == 'L' && b.get(7) == '3')) {
      throw new UserError(name + ": not a TFLite model (the flatbuffer identifier at bytes 4..8 is not \"TFL3\")");
    }
    try {
      TfliteModel m = TfliteModel.read(b);
      if (m.version != 3) throw new UserError(name + ": TFLite schema version " + m.version + " is not supported (expected 3)");
      return m;
    } catch (CorruptModelException e) {
      throw new UserError(name + ": corrupt or truncated TFLite file: " + e.getMessage());
    }
  }

  private static ByteBuffer readFile(Path file) {
    try {
      long size = Files.size(file);
      if (size > MAX_FILE) throw new UserError(file + ": " + size + " bytes is larger than a TFLite flatbuffer can be (2 GB)");
      return ByteBuffer.wrap(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage());
    }
  }

  private static String graphName(Path file) {
    String n = file.getFileName().toString();
    return n.endsWith(".tflite") ? n.substring(0, n.length() - 7) : n;
  }
}
