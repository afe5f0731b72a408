package org.npuc.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.npuc.diag.UserError;
import org.npuc.ir.Graph;
import org.npuc.ir.Tensor;
import org.npuc.spi.Backend;
import org.npuc.spi.BackendContext;
import org.npuc.spi.Claims;
import org.npuc.spi.Precision;
import org.npuc.spi.Simulation;
import org.npuc.spi.SpecKey;
import org.npuc.spi.TargetSpec;
import org.npuc.target.binary.BinaryImage;

/** {@code --option KEY=VALUE} overrides typed backend options and rejects unknown keys and bad values. */
class SpecOptionOverridesTest {
  private static final Backend BACKEND =
      new Backend() {
        @Override
        public String id() {
          return "toy";
        }

        @Override
        public List<SpecKey> specKeys() {
          return List.of(SpecKey.ofStrings("fpfwd_blocks", List.of(), ""), SpecKey.ofBool("accuracy_opt", false, ""), SpecKey.ofInt("lanes", 4, ""));
        }

        @Override
        public Claims claim(Graph graph, BackendContext context) {
          return new Claims();
        }

        @Override
        public Simulation simulate(BinaryImage binary, Map<String, Tensor> inputs) {
          throw new UnsupportedOperationException();
        }
      };

  private static final TargetSpec SPEC =
      new TargetSpec(
          "toy", "toy", "", "toy.yaml", "0", new TargetSpec.Quantization("int8", true, "per_channel", false, Precision.INT8), Map.of(),
          new TargetSpec.Memory(0, 0, 1, 1, 1), Map.of(), new TargetSpec.Cost(1, 1, 1, 1), Map.of(), Map.of("accuracy_opt", false, "fpfwd_blocks", List.of(), "lanes", 4L));

  @Test
  void overridesAreTyped() {
    TargetSpec s = SpecOptionOverrides.apply(SPEC, BACKEND, List.of("fpfwd_blocks=a:b, c", "accuracy_opt=true", "lanes=8"));
    assertEquals(List.of("a:b", "c"), s.optionStrings("fpfwd_blocks"));
    assertTrue(s.optionBool("accuracy_opt"));
    assertEquals(8, s.optionLong("lanes"));
    assertSame(SPEC, SpecOptionOverrides.apply(SPEC, BACKEND, List.of()));
  }

  @Test
  void unknownKeysAndBadValuesAreUserErrors() {
    UserError unknown = assertThrows(UserError.class, () -> SpecOptionOverrides.apply(SPEC, BACKEND, List.of("acuracy_opt=true")));
    assertTrue(unknown.getMessage().contains("did you mean 'accuracy_opt'") && unknown.getMessage().contains("lanes"), unknown.getMessage());
    UserError bool = assertThrows(UserError.class, () -> SpecOptionOverrides.apply(SPEC, BACKEND, List.of("accuracy_opt=yes")));
    assertTrue(bool.getMessage().contains("true or false"), bool.getMessage());
    assertThrows(UserError.class, () -> SpecOptionOverrides.apply(SPEC, BACKEND, List.of("lanes")));
  }
}
