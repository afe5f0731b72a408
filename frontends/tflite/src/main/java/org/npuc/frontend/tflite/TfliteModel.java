package org.npuc.frontend.tflite;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The part of a TFLite model npuc reads (schema.fbs: Model, OperatorCode, SubGraph, Tensor,
 * QuantizationParameters, Operator, Buffer), read eagerly from the flatbuffer and checked: every
 * tensor, buffer and opcode index in range, constant data as long as the tensor's shape needs,
 * quantization vectors consistent. Field ids are those of tensorflow/lite/schema/schema.fbs.
 */
final class TfliteModel {
  /** TensorType enum values. */
  static final int FLOAT32 = 0, FLOAT16 = 1, INT32 = 2, UINT8 = 3, INT64 = 4, STRING = 5, BOOL = 6, INT16 = 7, INT8 = 9, FLOAT64 = 10;

  static final int PLACEHOLDER_FOR_GREATER_OP_CODES = 127;

  record Quant(float[] scale, long[] zeroPoint, int quantizedDimension) {
    boolean perChannel() {
      return scale.length > 1;
    }
  }

  record Tensor(int index, String name, int[] shape, int type, int buffer, Quant quant) {}

  record OpCode(int builtin, String customCode, int version) {}

  record Operator(int index, int opcodeIndex, int[] inputs, int[] outputs, int optionsType, FlatTable options) {}

  final int version;
  final String description;
  final List<OpCode> opcodes = new ArrayList<>();
  final List<Tensor> tensors = new ArrayList<>();
  final List<Operator> operators = new ArrayList<>();
  final int[] inputs;
  final int[] outputs;
  final int subgraphCount;
  private final List<ByteBuffer> buffers = new ArrayList<>();

  private TfliteModel(ByteBuffer file) {
    FlatTable model = FlatTable.root(file, "Model");
    version = model.getInt(0, 0);
    description = model.string(3);
    int nCodes = model.vectorLength(1);
    for (int i = 0; i < nCodes; i++) opcodes.add(readOpCode(model.tableAt(1, i, "operator_codes[" + i + "]"), i));
    int nBuffers = model.vectorLength(4);
    for (int i = 0; i < nBuffers; i++) buffers.add(readBuffer(model.tableAt(4, i, "buffers[" + i + "]")));
    subgraphCount = model.vectorLength(2);
    if (subgraphCount == 0) throw new CorruptModelException("the model has no subgraph");
    FlatTable sg = model.tableAt(2, 0, "subgraphs[0]");
    int nTensors = sg.vectorLength(0);
    for (int i = 0; i < nTensors; i++) tensors.add(readTensor(sg.tableAt(0, i, "tensor " + i), i));
    inputs = orEmpty(sg.ints(1));
    outputs = orEmpty(sg.ints(2));
    checkIndices(inputs, false, "subgraph inputs");
    checkIndices(outputs, false, "subgraph outputs");
    int nOps = sg.vectorLength(3);
    for (int i = 0; i < nOps; i++) operators.add(readOperator(sg.tableAt(3, i, "operator " + i), i));
  }

  /** Reads and checks a model; structural defects become {@link CorruptModelException}. */
  static TfliteModel read(ByteBuffer file) {
    return new TfliteModel(file);
  }

  private static int[] orEmpty(int[] a) {
    return a == null ? new int[0] : a;
  }

  private OpCode readOpCode(FlatTable t, int i) {
    int deprecated = t.getByte(0, 0);
    int builtin = t.getInt(3, 0);
    // schema_utils GetBuiltinCode: the larger of the two fields; they must agree below 127.
    if (deprecated < 0) throw new CorruptModelException("operator_codes[" + i + "]: negative deprecated_builtin_code " + deprecated);
    if (builtin != 0 && deprecated != PLACEHOLDER_FOR_GREATER_OP_CODES && builtin != deprecated) {
      throw new CorruptModelException("operator_codes[" + i + "]: builtin_code " + builtin + " disagrees with deprecated_builtin_code " + deprecated);
    }
    if (builtin >= PLACEHOLDER_FOR_GREATER_OP_CODES && deprecated != PLACEHOLDER_FOR_GREATER_OP_CODES && deprecated != 0) {
      throw new CorruptModelException("operator_codes[" + i + "]: builtin_code " + builtin + " needs deprecated_builtin_code 127, got " + deprecated);
    }
    return new OpCode(Math.max(builtin, deprecated), t.string(1), t.getInt(2, 1));
  }

  private ByteBuffer readBuffer(FlatTable t) {
    ByteBuffer data = t.bytes(0);
    if (data != null && data.remaining() > 0) return data;
    long offset = t.getLong(1, 0);
    long size = t.getLong(2, 0);
    // Models over 2 GB keep data after the flatbuffer; offset 1 marks "none".
    if (offset > 1 && size > 0) return t.bytesAt(offset, size, "buffer data");
    return null;
  }

  private Tensor readTensor(FlatTable t, int i) {
    String name = t.string(3);
    if (name == null) name = "tensor_" + i;
    int[] shape = orEmpty(t.ints(0));
    for (int d : shape) {
      if (d < 0) throw new CorruptModelException("tensor " + i + " '" + name + "': negative dimension in shape " + java.util.Arrays.toString(shape));
    }
    int type = t.getByte(1, FLOAT32);
    long buffer = t.getUint(2, 0);
    if (buffer >= buffers.size() && !(buffer == 0 && buffers.isEmpty())) {
      throw new CorruptModelException("tensor " + i + " '" + name + "': buffer index " + buffer + " is out of range (the model has " + buffers.size() + " buffers)");
    }
    Quant q = null;
    FlatTable qt = t.table(4, "tensor " + i + " '" + name + "' quantization");
    if (qt != null) {
      float[] scale = qt.floats(2);
      long[] zp = qt.longs(3);
      if (scale != null && scale.length > 0) {
        if (zp == null) zp = new long[scale.length];
        if (zp.length != scale.length) {
          throw new CorruptModelException("tensor " + i + " '" + name + "': " + scale.length + " scales but " + zp.length + " zero points");
        }
        int dim = qt.getInt(6, 0);
        if (scale.length > 1 && (dim < 0 || dim >= shape.length || shape[dim] != scale.length)) {
          throw new CorruptModelException("tensor " + i + " '" + name + "': " + scale.length + " per-channel scales do not match dimension " + dim + " of shape " + java.util.Arrays.toString(shape));
        }
        for (float s : scale) {
          if (!(s > 0) || Float.isInfinite(s)) throw new CorruptModelException("tensor " + i + " '" + name + "': quantization scale " + s + " is not a positive number");
        }
        q = new Quant(scale, zp, dim);
      }
    }
    Tensor tensor = new Tensor(i, name, shape, type, (int) buffer, q);
    ByteBuffer data = data(tensor);
    if (data != null) {
      long need = elementCount(shape) * typeSize(type, name);
      if (type != STRING && data.remaining() != need) {
        throw new CorruptModelException("tensor " + i + " '" + name + "': its buffer holds " + data.remaining() + " bytes, shape " + java.util.Arrays.toString(shape) + " needs " + need);
      }
    }
    return tensor;
  }

  private Operator readOperator(FlatTable t, int i) {
    long opcode = t.getUint(0, 0);
    if (opcode >= opcodes.size()) {
      throw new CorruptModelException("operator " + i + ": opcode_index " + opcode + " is out of range (the model has " + opcodes.size() + " operator codes)");
    }
    int[] in = orEmpty(t.ints(1));
    int[] out = orEmpty(t.ints(2));
    checkIndices(in, true, "operator " + i + " inputs");
    checkIndices(out, false, "operator " + i + " outputs");
    int optionsType = t.getUbyte(3, 0);
    FlatTable options = optionsType == 0 ? null : t.table(4, "operator " + i + " options");
    return new Operator(i, (int) opcode, in, out, optionsType, options);
  }

  private void checkIndices(int[] idx, boolean allowOptional, String what) {
    for (int k : idx) {
      if (k == -1 && allowOptional) continue;
      if (k < 0 || k >= tensors.size()) {
        throw new CorruptModelException(what + ": tensor index " + k + " is out of range (the subgraph has " + tensors.size() + " tensors)");
      }
    }
  }

  /** The constant data of a tensor (little-endian), or null for a tensor computed at run time. */
  ByteBuffer data(Tensor t) {
    if (t.buffer() >= buffers.size()) return null;
    ByteBuffer b = buffers.get(t.buffer());
    return b == null ? null : b.duplicate().order(java.nio.ByteOrder.LITTLE_ENDIAN);
  }

  OpCode opcode(Operator op) {
    return opcodes.get(op.opcodeIndex());
  }

  static long elementCount(int[] shape) {
    long n = 1;
    for (int d : shape) n *= d;
    return n;
  }

  static int typeSize(int type, String name) {
    switch (type) {
      case FLOAT32: case INT32: return 4;
      case FLOAT16: case INT16: return 2;
      case UINT8: case INT8: case BOOL: case STRING: return 1;
      case INT64: case FLOAT64: return 8;
      default: throw new CorruptModelException("tensor '" + name + "': unsupported tensor type " + typeName(type));
    }
  }

  static String typeName(int type) {
    String[] names = {"FLOAT32", "FLOAT16", "INT32", "UINT8", "INT64", "STRING", "BOOL", "INT16", "COMPLEX64", "INT8", "FLOAT64", "COMPLEX128", "UINT64", "RESOURCE", "VARIANT", "UINT32", "UINT16", "INT4"};
    return type >= 0 && type < names.length ? names[type] : "type " + type;
  }
}
