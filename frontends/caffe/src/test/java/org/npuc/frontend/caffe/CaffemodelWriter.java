package org.npuc.frontend.caffe;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobProto;
import org.npuc.frontend.caffe.proto.CaffeProto.BlobShape;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.NetParameter;
import org.npuc.ir.Tensor;

/** Writes blobs into a binary caffemodel (with our generated classes) for OpenCV to read. */
final class CaffemodelWriter {
  private CaffemodelWriter() {}

  static BlobProto blob(Tensor t) {
    BlobShape.Builder s = BlobShape.newBuilder();
    for (int d : t.shape()) s.addDim(d);
    BlobProto.Builder b = BlobProto.newBuilder().setShape(s);
    for (float f : t.floats()) b.addData(f);
    return b.build();
  }

  static Path write(Path file, NetParameter prototxt, Map<String, List<Tensor>> blobs) throws IOException {
    NetParameter.Builder net = NetParameter.newBuilder().setName(prototxt.getName());
    for (LayerParameter l : prototxt.getLayerList()) {
      List<Tensor> ts = blobs.get(l.getName());
      if (ts == null) continue;
      LayerParameter.Builder lb = LayerParameter.newBuilder().setName(l.getName()).setType(l.getType());
      for (Tensor t : ts) lb.addBlobs(blob(t));
      net.addLayer(lb);
    }
    Files.write(file, net.build().toByteArray());
    return file;
  }
}
