package org.npuc.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.npuc.diag.UserError;
import org.junit.jupiter.api.Test;

class PipelineTest {
  private static PassRegistry registry() {
    PassRegistry r = new PassRegistry();
    org.npuc.transforms.Passes.registerAll(r);
    r.registerPipeline("cleanup", "cse,eliminate_dead_code", "test pipeline");
    r.registerPipeline("nested", "cleanup,verify", "test pipeline of a pipeline");
    return r;
  }

  @Test
  void parsesTensorFlowSpelling() {
    List<PipelineText.PassSpec> specs = PipelineText.parse("a, b(k=v,k=\"x,y\") , c(n=-3,f=1.5e-3,s='it\\'s')");
    assertEquals("it's", specs.get(2).options().get(2).value());
    assertEquals(3, specs.size());
    assertEquals("b", specs.get(1).name());
    assertEquals(3, specs.get(1).column());
    assertEquals(List.of("k", "k"), specs.get(1).options().stream().map(PipelineText.OptionSpec::key).toList());
    assertEquals("x,y", specs.get(1).options().get(1).value());
    assertEquals("-3", specs.get(2).options().get(0).value());
    assertEquals("1.5e-3", specs.get(2).options().get(1).value());
  }

  @Test
  void emptyPipelineIsAllowed() {
    assertTrue(Pipeline.parse("", registry()).passes().isEmpty());
  }

  @Test
  void quotedValuesKeepCommasAndEscapes() {
    Pipeline p = Pipeline.parse("strip_unused_nodes(type=float,shape=\"1,224,224,3\",name=\"in\\\"put\")", registry());
    Pass s = p.passes().get(0);
    assertEquals(List.of(1, 224, 224, 3), s.option("shape").get());
    assertEquals(List.of("in\"put"), s.option("name").get());
    assertEquals("float", s.option("type").get());
  }

  @Test
  void repeatedKeysAccumulateForListOptions() {
    Pass p = Pipeline.parse("remove_nodes(op=Identity,op=CheckNumerics)", registry()).passes().get(0);
    assertEquals(List.of("Identity", "CheckNumerics"), p.option("op").get());
    assertEquals("remove_nodes(op=\"Identity,CheckNumerics\")", p.describe());
  }

  @Test
  void scalarOptionGivenTwiceIsAnError() {
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse("fold_constants(max_elements=1,max_elements=2)", registry()));
    assertTrue(e.getMessage().contains("more than once"), e.getMessage());
  }

  @Test
  void unknownPassPointsAtColumnSuggestsAndLists() {
    String text = "cse,fold_constnts,eliminate_dead_code";
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse(text, registry()));
    String m = e.getMessage();
    assertTrue(m.contains("unknown pass 'fold_constnts' at column 5"), m);
    assertTrue(m.contains("\n  " + text + "\n      ^"), m);
    assertTrue(m.contains("did you mean 'fold_constants'?"), m);
    assertTrue(m.contains("Passes: cse, eliminate_dead_code, fold_batch_norms, fold_constants, fold_old_batch_norms"), m);
    assertTrue(m.contains("infer_shapes, merge_scale_to_conv, "), m);
    assertTrue(m.contains("remove_nodes, strip_unused_nodes, verify"), m);
    assertTrue(m.contains("named pipelines: cleanup, nested, optimize"), m);
  }

  @Test
  void unknownOptionPointsAtKey() {
    String text = "cse,strip_unused_nodes(typ=float)";
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse(text, registry()));
    String m = e.getMessage();
    assertTrue(m.contains("unknown option 'typ' of pass 'strip_unused_nodes' at column 24"), m);
    assertTrue(m.contains("\n" + " ".repeat(2 + 23) + "^"), m);
    assertTrue(m.contains("did you mean 'type'?"), m);
    assertTrue(m.contains("Options of 'strip_unused_nodes': type, shape, name."), m);
  }

  @Test
  void optionOnPassWithoutOptions() {
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse("cse(x=1)", registry()));
    assertTrue(e.getMessage().contains("Pass 'cse' takes no options."), e.getMessage());
  }

  @Test
  void badValueSaysExpectedType() {
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse("strip_unused_nodes(shape=\"1,x,3\")", registry()));
    assertTrue(e.getMessage().contains("bad value '1,x,3' for option 'shape' of pass 'strip_unused_nodes': expected a comma-separated list of integers"), e.getMessage());
    e = assertThrows(UserError.class, () -> Pipeline.parse("fold_constants(max_elements=many)", registry()));
    assertTrue(e.getMessage().contains("expected an integer"), e.getMessage());
    assertTrue(e.getMessage().endsWith("\n" + " ".repeat(2 + 28) + "^"), e.getMessage());
  }

  @Test
  void syntaxErrorsArePositioned() {
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse("cse,remove_nodes(op=\"identity)", registry()));
    assertTrue(e.getMessage().startsWith("bad pipeline syntax at column 21"), e.getMessage());
    e = assertThrows(UserError.class, () -> Pipeline.parse("cse(,", registry()));
    assertTrue(e.getMessage().startsWith("bad pipeline syntax at column 5: unexpected ','"), e.getMessage());
    e = assertThrows(UserError.class, () -> Pipeline.parse("cse((", registry()));
    assertTrue(e.getMessage().contains("unexpected '('"), e.getMessage());
  }

  @Test
  void namedPipelinesExpandWhereNamed() {
    Pipeline p = Pipeline.parse("verify,nested,infer_shapes", registry());
    assertEquals(List.of("verify", "cse", "eliminate_dead_code", "verify", "infer_shapes"),
        p.passes().stream().map(Pass::name).toList());
    assertEquals(7, p.column(1));
    assertEquals(7, p.column(3));
  }

  @Test
  void namedPipelineTakesNoOptions() {
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse("cleanup(x=1)", registry()));
    assertTrue(e.getMessage().contains("'cleanup' is a named pipeline (cse,eliminate_dead_code) and takes no options"), e.getMessage());
  }

  @Test
  void eachPipelineGetsFreshInstances() {
    PassRegistry r = registry();
    Pass a = Pipeline.parse("remove_nodes(op=identity)", r).passes().get(0);
    Pass b = Pipeline.parse("remove_nodes(op=relu)", r).passes().get(0);
    assertEquals(List.of("identity"), a.option("op").get());
    assertEquals(List.of("relu"), b.option("op").get());
    assertFalse(a == b);
  }

  @Test
  void checkOptionsErrorsPointAtPass() {
    UserError e = assertThrows(UserError.class, () -> Pipeline.parse("cse,remove_nodes", registry()));
    assertTrue(e.getMessage().contains("remove_nodes needs at least one op=NAME"), e.getMessage());
    e = assertThrows(UserError.class, () -> Pipeline.parse("strip_unused_nodes(type=flaot)", registry()));
    assertTrue(e.getMessage().contains("unknown type 'flaot'"), e.getMessage());
  }

  @Test
  void globalRegistryHasOptimize() {
    PassRegistry g = PassRegistry.global();
    assertTrue(g.hasPass("fold_constants"));
    assertEquals(14, Pipeline.parse("optimize", g).passes().size()); // the passes of Passes.OPTIMIZE
  }
}
