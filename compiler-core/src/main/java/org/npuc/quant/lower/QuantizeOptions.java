package org.npuc.quant.lower;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.npuc.ir.Operation;
import org.npuc.ir.type.ScalarType;
import org.npuc.quant.QuantScheme;

/**
 * What the int8 lowering does: the activation scheme, how weights are quantized, and which ops
 * stay in float. Backends fill it from their target spec ({@link #targetFloat} is the target's
 * word on an op); the defaults are TFLite's scheme: int8 asymmetric activations, int8 symmetric
 * narrow-range weights per output channel, int32 bias.
 */
public final class QuantizeOptions {
  private QuantScheme activations = QuantScheme.DEFAULT_ACTIVATIONS;
  private boolean perChannelWeights = true;
  private boolean narrowWeights = true;
  private boolean powerOfTwoWeights;
  private final Set<String> floatLayers = new LinkedHashSet<>();
  private final Set<String> floatOps = new LinkedHashSet<>();
  private final List<String> floatBlocks = new ArrayList<>();
  private Predicate<Operation> targetFloat = op -> false;

  public QuantScheme activations() {
    return activations;
  }

  public QuantizeOptions activations(QuantScheme s) {
    this.activations = s;
    return this;
  }

  /** Activations in {@code storage} (i8 or u8), symmetric or not, keeping the other settings. */
  public QuantizeOptions activations(ScalarType storage, boolean symmetric) {
    this.activations = new QuantScheme(storage, symmetric, activations.narrowRange(), activations.powerOfTwoScale());
    return this;
  }

  public boolean perChannelWeights() {
    return perChannelWeights;
  }

  public QuantizeOptions perChannelWeights(boolean b) {
    this.perChannelWeights = b;
    return this;
  }

  public boolean narrowWeights() {
    return narrowWeights;
  }

  public QuantizeOptions narrowWeights(boolean b) {
    this.narrowWeights = b;
    return this;
  }

  public boolean powerOfTwoWeights() {
    return powerOfTwoWeights;
  }

  public QuantizeOptions powerOfTwoWeights(boolean b) {
    this.powerOfTwoWeights = b;
    return this;
  }

  /** Layer (location) names whose ops stay in float. */
  public Set<String> floatLayers() {
    return floatLayers;
  }

  /** Op names (e.g. {@code softmax}) that stay in float; {@code depthwise} names grouped convs with group = C. */
  public Set<String> floatOps() {
    return floatOps;
  }

  /** Blocks kept in float: {@code A:B} (A to B), {@code :B} (inputs to B), {@code A:} (A to outputs). */
  public List<String> floatBlocks() {
    return floatBlocks;
  }

  public Predicate<Operation> targetFloat() {
    return targetFloat;
  }

  /** The target's word: ops it cannot or should not run in integer (the backend supplies it). */
  public QuantizeOptions targetFloat(Predicate<Operation> p) {
    this.targetFloat = p;
    return this;
  }

  /** A copy with the same settings and selections. */
  public QuantizeOptions copy() {
    QuantizeOptions o = new QuantizeOptions();
    o.activations = activations;
    o.perChannelWeights = perChannelWeights;
    o.narrowWeights = narrowWeights;
    o.powerOfTwoWeights = powerOfTwoWeights;
    o.floatLayers.addAll(floatLayers);
    o.floatOps.addAll(floatOps);
    o.floatBlocks.addAll(floatBlocks);
    o.targetFloat = targetFloat;
    return o;
  }
}
