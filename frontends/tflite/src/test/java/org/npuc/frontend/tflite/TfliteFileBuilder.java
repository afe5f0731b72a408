package org.npuc.frontend.tflite;

import com.google.flatbuffers.FlatBufferBuilder;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Writes small .tflite files for tests with flatbuffers-java, following schema.fbs field ids, so
 * tests can build exactly the model (or the broken model) they need.
 */
final class TfliteFileBuilder {
  record T(String name, int[] shape, int type, byte[] data, float[] scale, long[] zp, int qdim, int bufferOverride) {}

  record Op(int builtin, String custom, int[] in, int[] out, int optionsType, ToIntFunction<FlatBufferBuilder> options, int opcodeOverride) {}

  final List<T> tensors = new ArrayList<>();
  final List<Op> ops = new ArrayList<>();
  int[] inputs = {};
  int[] outputs = {};
  int deprecatedCodeOverride = -1;

  int tensor(String name, int[] shape, int type) {
    tensors.add(new T(name, shape, type, null, null, null, 0, -1));
    return tensors.size() - 1;
  }

  int constant(String name, int[] shape, float... values) {
    ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
    for (float v : values) b.putFloat(v);
    tensors.add(new T(name, shape, TfliteModel.FLOAT32, b.array(), null, null, 0, -1));
    return tensors.size() - 1;
  }

  int raw(T t) {
    tensors.add(t);
    return tensors.size() - 1;
  }

  void op(int builtin, int[] in, int[] out, int optionsType, ToIntFunction<FlatBufferBuilder> options) {
    ops.add(new Op(builtin, null, in, out, optionsType, options, -1));
  }

  void custom(String code, int[] in, int[] out) {
    ops.add(new Op(BuiltinOps.CUSTOM, code, in, out, 0, null, -1));
  }

  static int intVector(FlatBufferBuilder b, int[] v) {
    b.startVector(4, v.length, 4);
    for (int i = v.length - 1; i >= 0; i--) b.addInt(v[i]);
    return b.endVector();
  }

  private static int tableVector(FlatBufferBuilder b, int[] offs) {
    b.startVector(4, offs.length, 4);
    for (int i = offs.length - 1; i >= 0; i--) b.addOffset(offs[i]);
    return b.endVector();
  }

  /** Conv2DOptions / Pool-less helpers: padding 0=SAME 1=VALID. */
  static ToIntFunction<FlatBufferBuilder> conv2dOptions(int padding, int stride, int act) {
    return b -> {
      b.startTable(6);
      b.addByte(0, (byte) padding, 0);
      b.addInt(1, stride, 0);
      b.addInt(2, stride, 0);
      b.addByte(3, (byte) act, 0);
      return b.endTable();
    };
  }

  static ToIntFunction<FlatBufferBuilder> depthwiseOptions(int padding, int stride, int multiplier, int act) {
    return b -> {
      b.startTable(7);
      b.addByte(0, (byte) padding, 0);
      b.addInt(1, stride, 0);
      b.addInt(2, stride, 0);
      b.addInt(3, multiplier, 0);
      b.addByte(4, (byte) act, 0);
      return b.endTable();
    };
  }

  static ToIntFunction<FlatBufferBuilder> fullyConnectedOptions(int act, boolean keepNumDims) {
    return b -> {
      b.startTable(4);
      b.addByte(0, (byte) act, 0);
      b.addBoolean(2, keepNumDims, false);
      return b.endTable();
    };
  }

  static ToIntFunction<FlatBufferBuilder> reducerOptions(boolean keepDims) {
    return b -> {
      b.startTable(1);
      b.addBoolean(0, keepDims, false);
      return b.endTable();
    };
  }

  byte[] build() {
    FlatBufferBuilder b = new FlatBufferBuilder(1024);
    // buffers: 0 is the empty buffer, then one per constant tensor
    List<Integer> bufferOffs = new ArrayList<>();
    b.startTable(3);
    bufferOffs.add(b.endTable());
    int[] tensorBuffer = new int[tensors.size()];
    for (int i = 0; i < tensors.size(); i++) {
      T t = tensors.get(i);
      if (t.data() != null) {
        int data = b.createByteVector(t.data());
        b.startTable(3);
        b.addOffset(0, data, 0);
        bufferOffs.add(b.endTable());
        tensorBuffer[i] = bufferOffs.size() - 1;
      }
      if (t.bufferOverride() >= 0) tensorBuffer[i] = t.bufferOverride();
    }
    int[] tensorOffs = new int[tensors.size()];
    for (int i = 0; i < tensors.size(); i++) {
      T t = tensors.get(i);
      int name = b.createString(t.name());
      int shape = intVector(b, t.shape());
      int quant = 0;
      if (t.scale() != null) {
        b.startVector(4, t.scale().length, 4);
        for (int k = t.scale().length - 1; k >= 0; k--) b.addFloat(t.scale()[k]);
        int sc = b.endVector();
        b.startVector(8, t.zp().length, 8);
        for (int k = t.zp().length - 1; k >= 0; k--) b.addLong(t.zp()[k]);
        int zp = b.endVector();
        b.startTable(7);
        b.addOffset(2, sc, 0);
        b.addOffset(3, zp, 0);
        b.addInt(6, t.qdim(), 0);
        quant = b.endTable();
      }
      b.startTable(5);
      b.addOffset(0, shape, 0);
      b.addByte(1, (byte) t.type(), 0);
      b.addInt(2, tensorBuffer[i], 0);
      b.addOffset(3, name, 0);
      if (quant != 0) b.addOffset(4, quant, 0);
      tensorOffs[i] = b.endTable();
    }
    // one opcode per operator, simple and enough for tests
    int[] codeOffs = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      int custom = op.custom() == null ? 0 : b.createString(op.custom());
      b.startTable(4);
      int dep = deprecatedCodeOverride >= 0 ? deprecatedCodeOverride : Math.min(op.builtin(), 127);
      b.addByte(0, (byte) dep, 0);
      if (custom != 0) b.addOffset(1, custom, 0);
      b.addInt(2, 1, 1);
      b.addInt(3, op.builtin(), 0);
      codeOffs[i] = b.endTable();
    }
    int[] opOffs = new int[ops.size()];
    for (int i = 0; i < ops.size(); i++) {
      Op op = ops.get(i);
      int in = intVector(b, op.in());
      int out = intVector(b, op.out());
      int opts = op.options() == null ? 0 : op.options().applyAsInt(b);
      b.startTable(5);
      b.addInt(0, op.opcodeOverride() >= 0 ? op.opcodeOverride() : i, 0);
      b.addOffset(1, in, 0);
      b.addOffset(2, out, 0);
      if (opts != 0) {
        b.addByte(3, (byte) op.optionsType(), 0);
        b.addOffset(4, opts, 0);
      }
      opOffs[i] = b.endTable();
    }
    int tensorsVec = tableVector(b, tensorOffs);
    int inVec = intVector(b, inputs);
    int outVec = intVector(b, outputs);
    int opsVec = tableVector(b, opOffs);
    int sgName = b.createString("main");
    b.startTable(5);
    b.addOffset(0, tensorsVec, 0);
    b.addOffset(1, inVec, 0);
    b.addOffset(2, outVec, 0);
    b.addOffset(3, opsVec, 0);
    b.addOffset(4, sgName, 0);
    int sg = b.endTable();
    int codes = tableVector(b, codeOffs);
    int sgs = tableVector(b, new int[] {sg});
    int bufs = tableVector(b, bufferOffs.stream().mapToInt(Integer::intValue).toArray());
    int desc = b.createString("npuc test");
    b.startTable(5);
    b.addInt(0, 3, 0);
    b.addOffset(1, codes, 0);
    b.addOffset(2, sgs, 0);
    b.addOffset(3, desc, 0);
    b.addOffset(4, bufs, 0);
    int model = b.endTable();
    b.finish(model, "TFL3");
    return b.sizedByteArray();
  }
}
