package org.npuc.transforms;

import java.util.List;
import java.util.Map;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.Operation;
import org.npuc.ir.type.ScalarType;
import org.npuc.pass.Pass;
import org.npuc.pass.PassContext;
import org.npuc.pass.PassOption;
import org.npuc.pass.Statistic;
import org.npuc.quant.QuantScheme;
import org.npuc.quant.lower.Int8Lowering;
import org.npuc.quant.lower.QuantizeOptions;

/**
 * {@code quantize}: lowers a float graph with ranges ({@code calibrated<>} types, from calibration
 * or {@code import_qat_ranges}) to integer IR with {@link Int8Lowering}. The options spell the
 * scheme a target spec gives; Java callers (backends) can pass a full {@link QuantizeOptions},
 * including the target's float predicate.
 */
public final class QuantizePass extends Pass {
  private final PassOption<String> activations = stringOption("activations", "asymmetric", "activation ranges: asymmetric or symmetric");
  private final PassOption<String> storage = stringOption("storage", "i8", "activation storage: i8 or u8");
  private final PassOption<Boolean> perChannel = boolOption("per_channel", true, "weights: one scale per output channel (else per tensor)");
  private final PassOption<Boolean> narrowWeights = boolOption("narrow_weights", true, "weights in [-127, 127] (TFLite) instead of [-128, 127]");
  private final PassOption<Boolean> pow2 = boolOption("power_of_two", false, "power-of-two scales for activations and weights");
  private final PassOption<List<String>> floatLayers = stringListOption("float_layer", List.of(), "a layer (location name) kept in float; repeatable");
  private final PassOption<List<String>> floatOps = stringListOption("float_op", List.of(), "an op name kept in float (or 'depthwise'); repeatable");
  private final PassOption<List<String>> floatBlocks = stringListOption("float_block", List.of(), "A:B, :B or A: kept in float; repeatable");

  private final Statistic quantized = statistic("quantized", "ops lowered to integer");
  private final Statistic kept = statistic("float", "ops kept in float");
  private final Statistic borders = statistic("borders", "quantize/dequantize ops inserted");

  private QuantizeOptions preset;

  public QuantizePass() {
    super("quantize", "lower a graph with calibrated ranges to int8 (weights per channel, int32 bias, quantize/dequantize at float borders)");
  }

  /** A pass with options filled by a backend (its target's scheme and float predicate). */
  public QuantizePass(QuantizeOptions preset) {
    this();
    this.preset = preset;
  }

  @Override
  public void checkOptions() {
    if (!List.of("asymmetric", "symmetric").contains(activations.get())) {
      throw new UserError("quantize: option 'activations' must be asymmetric or symmetric, got '" + activations.get() + "'");
    }
    if (!List.of("i8", "u8").contains(storage.get())) throw new UserError("quantize: option 'storage' must be i8 or u8, got '" + storage.get() + "'");
  }

  /** The options these pass options stand for. */
  public QuantizeOptions toOptions() {
    if (preset != null) return preset;
    checkOptions();
    QuantizeOptions o = new QuantizeOptions();
    ScalarType st = storage.get().equals("u8") ? ScalarType.U8 : ScalarType.I8;
    o.activations(new QuantScheme(st, activations.get().equals("symmetric"), false, pow2.get()));
    o.perChannelWeights(perChannel.get()).narrowWeights(narrowWeights.get()).powerOfTwoWeights(pow2.get());
    o.floatLayers().addAll(floatLayers.get());
    o.floatOps().addAll(floatOps.get());
    o.floatBlocks().addAll(floatBlocks.get());
    return o;
  }

  @Override
  public boolean run(Graph graph, PassContext context) {
    Int8Lowering.Result r = Int8Lowering.lower(graph, toOptions());
    quantized.add(r.quantizedOps().size());
    kept.add(r.floatOps().size());
    borders.add(r.quantizeOps() + r.dequantizeOps());
    for (Map.Entry<Operation, String> e : r.floatOps().entrySet()) context.remark(name(), e.getKey(), "kept in float: " + e.getValue());
    return !r.quantizedOps().isEmpty();
  }
}
