package org.npuc.frontend.caffe;

import java.util.List;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.ir.Value;

/** Translates one Caffe layer into core ops: bottom values in, one value per top out. */
@FunctionalInterface
interface LayerMapper {
  List<Value> map(LayerParameter layer, List<Value> bottoms, LayerContext ctx);
}
