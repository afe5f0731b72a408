package org.npuc.frontend.caffe;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobProto;
import org.npuc.frontend.caffe.proto.CaffeProto.NetParameter;

/**
 * Reads Caffe's files: the text NetParameter (prototxt), the binary one (caffemodel) and binary
 * BlobProtos (mean files). Every failure is a {@link UserError} naming the file and, for text,
 * the line and column; sizes are checked before anything is allocated.
 */
final class CaffeFiles {
  /** Text nets are small; a bigger "prototxt" is almost certainly the wrong file. */
  static final long MAX_TEXT_BYTES = 256L << 20;
  /** A Java array holds at most about 2 GiB; the biggest public caffemodels are ~550 MB. */
  static final long MAX_BINARY_BYTES = Integer.MAX_VALUE - 64;

  /** The V0 format nests each layer's settings in {@code layers { layer { ... } }}. */
  private static final java.util.regex.Pattern V0 = java.util.regex.Pattern.compile("layers\\s*\\{\\s*layer\\s*\\{");

  private CaffeFiles() {}

  static NetParameter readPrototxt(Path file) {
    return readPrototxt(file, net -> {});
  }

  /**
   * Reads a prototxt strictly. When that fails only on fields our caffe.proto does not know (the
   * parameters of a layer type from a Caffe fork, say), the file is read again ignoring them and
   * {@code onUnknownFields} may throw a better error about that net (its unsupported layers)
   * before the parse error is reported.
   */
  static NetParameter readPrototxt(Path file, java.util.function.Consumer<NetParameter> onUnknownFields) {
    byte[] bytes = readAll(file, MAX_TEXT_BYTES, "prototxt");
    for (int i = 0; i < Math.min(bytes.length, 4096); i++) {
      if (bytes[i] == 0) {
        throw new UserError(file + " is binary, not a text prototxt (a .caffemodel? pass it with --weights and give the deploy .prototxt as the model)");
      }
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    NetParameter.Builder b = NetParameter.newBuilder();
    try {
      TextFormat.getParser().merge(text, b);
    } catch (TextFormat.ParseException e) {
      String msg = e.getMessage();
      // The parser's message starts with "line:column: "; keep only the explanation after it.
      String detail = msg.replaceFirst("^\\d+:\\d+: ", "");
      String hint = "";
      if (V0.matcher(text).find()) {
        hint = " (this looks like the pre-2014 V0 format; upgrade it with Caffe's tools/upgrade_net_proto_text)";
      } else if (detail.contains("has no field named") || detail.contains("unknown fields")) {
        hint = " (a field npuc's caffe.proto does not know: a typo, or a layer parameter from a Caffe fork)";
      }
      if (detail.contains("has no field named") || detail.contains("unknown fields")) {
        NetParameter.Builder lenient = NetParameter.newBuilder();
        Logger log = Logger.getLogger(TextFormat.class.getName());
        Level old = log.getLevel();
        log.setLevel(Level.OFF); // the parser warns about each skipped field; we report them ourselves
        try {
          TextFormat.Parser.newBuilder().setAllowUnknownFields(true).build().merge(text, lenient);
        } catch (TextFormat.ParseException again) {
          lenient = null;
        } finally {
          log.setLevel(old);
        }
        if (lenient != null) onUnknownFields.accept(lenient.build());
      }
      throw new UserError(file + ":" + e.getLine() + ":" + e.getColumn() + ": " + detail + hint, e);
    }
    return b.build();
  }

  static NetParameter readCaffemodel(Path file) {
    byte[] bytes = readAll(file, MAX_BINARY_BYTES, "caffemodel");
    if (looksLikeText(bytes)) {
      throw new UserError(file + " is text, not a binary .caffemodel (is it the prototxt? --weights takes the trained .caffemodel)");
    }
    NetParameter net;
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setSizeLimit(Integer.MAX_VALUE);
      net = NetParameter.parseFrom(in);
    } catch (InvalidProtocolBufferException e) {
      throw new UserError(file + " is not a valid caffemodel: it is truncated or corrupt (" + e.getMessage() + "); download it again", e);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
    if (net.getLayerCount() == 0 && net.getLayersCount() == 0) {
      throw new UserError(file + " holds no layers: it is not a Caffe weights file (NetParameter)");
    }
    return net;
  }

  static BlobProto readBlob(Path file) {
    byte[] bytes = readAll(file, MAX_BINARY_BYTES, "mean file");
    try {
      CodedInputStream in = CodedInputStream.newInstance(bytes);
      in.setSizeLimit(Integer.MAX_VALUE);
      return BlobProto.parseFrom(in);
    } catch (IOException e) {
      throw new UserError(file + " is not a valid binaryproto mean file: it is truncated or corrupt (" + e.getMessage() + ")", e);
    }
  }

  private static byte[] readAll(Path file, long max, String what) {
    try {
      if (!Files.isRegularFile(file)) throw new UserError(what + " file not found: " + file);
      long size = Files.size(file);
      if (size > max) throw new UserError(file + " is " + size + " bytes, more than a " + what + " can be (" + max + ")");
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new UserError("cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /** True when the first bytes are printable text (prototxt-like), used to catch swapped files. */
  static boolean looksLikeText(byte[] head) {
    int n = Math.min(head.length, 4096);
    if (n == 0) return false;
    for (int i = 0; i < n; i++) {
      int c = head[i] & 0xff;
      if (c == 0 || (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f')) return false;
    }
    return true;
  }
}
