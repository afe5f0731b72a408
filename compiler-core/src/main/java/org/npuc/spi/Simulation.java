package org.npuc.spi;

import java.util.LinkedHashMap;
import java.util.Map;
import org.npuc.ir.Tensor;

/**
 * What a simulator returns: the outputs by output name (in the model's layout and element types),
 * the cycles it counted and the peak memory it used (activation arena plus weights).
 */
public record Simulation(Map<String, Tensor> outputs, long cycles, long arenaBytes, long weightBytes) {
  public Simulation {
    outputs = new LinkedHashMap<>(outputs);
  }
}
