package org.npuc.frontend.caffe;

import java.util.ArrayList;
import java.util.List;
import org.npuc.diag.UserError;
import org.npuc.frontend.caffe.proto.CaffeProto.LayerParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.NetParameter;
import org.npuc.frontend.caffe.proto.CaffeProto.V1LayerParameter;

/**
 * Converts the pre-2015 {@code layers { type: CONVOLUTION }} format into {@code layer} messages,
 * as Caffe's own upgrader does: the enum type becomes the type string, the parameter messages
 * and blobs carry over unchanged.
 */
final class V1Upgrade {
  private V1Upgrade() {}

  static NetParameter upgrade(NetParameter net, String file) {
    if (net.getLayersCount() == 0) return net;
    if (net.getLayerCount() > 0) {
      throw new UserError(file + " mixes the old 'layers' and the new 'layer' fields; use one format (Caffe's tools/upgrade_net_proto_text converts old files)");
    }
    NetParameter.Builder b = net.toBuilder().clearLayers();
    for (V1LayerParameter v1 : net.getLayersList()) b.addLayer(convert(v1, file));
    return b.build();
  }

  static List<LayerParameter> convertAll(List<V1LayerParameter> layers, String file) {
    List<LayerParameter> r = new ArrayList<>();
    for (V1LayerParameter v1 : layers) r.add(convert(v1, file));
    return r;
  }

  static LayerParameter convert(V1LayerParameter v1, String file) {
    if (v1.hasLayer()) {
      throw new UserError(file + ": layer '" + v1.getName() + "' uses the V0 format (a nested 'layer' message); upgrade the file with Caffe's tools/upgrade_net_proto_text (text) or upgrade_net_proto_binary (weights)");
    }
    LayerParameter.Builder l = LayerParameter.newBuilder()
        .setName(v1.getName())
        .setType(typeName(v1.getType()))
        .addAllBottom(v1.getBottomList())
        .addAllTop(v1.getTopList())
        .addAllInclude(v1.getIncludeList())
        .addAllExclude(v1.getExcludeList())
        .addAllBlobs(v1.getBlobsList())
        .addAllLossWeight(v1.getLossWeightList());
    if (v1.hasConvolutionParam()) l.setConvolutionParam(v1.getConvolutionParam());
    if (v1.hasConcatParam()) l.setConcatParam(v1.getConcatParam());
    if (v1.hasDataParam()) l.setDataParam(v1.getDataParam());
    if (v1.hasDropoutParam()) l.setDropoutParam(v1.getDropoutParam());
    if (v1.hasDummyDataParam()) l.setDummyDataParam(v1.getDummyDataParam());
    if (v1.hasEltwiseParam()) l.setEltwiseParam(v1.getEltwiseParam());
    if (v1.hasExpParam()) l.setExpParam(v1.getExpParam());
    if (v1.hasHdf5DataParam()) l.setHdf5DataParam(v1.getHdf5DataParam());
    if (v1.hasImageDataParam()) l.setImageDataParam(v1.getImageDataParam());
    if (v1.hasInnerProductParam()) l.setInnerProductParam(v1.getInnerProductParam());
    if (v1.hasLrnParam()) l.setLrnParam(v1.getLrnParam());
    if (v1.hasMemoryDataParam()) l.setMemoryDataParam(v1.getMemoryDataParam());
    if (v1.hasMvnParam()) l.setMvnParam(v1.getMvnParam());
    if (v1.hasPoolingParam()) l.setPoolingParam(v1.getPoolingParam());
    if (v1.hasPowerParam()) l.setPowerParam(v1.getPowerParam());
    if (v1.hasReluParam()) l.setReluParam(v1.getReluParam());
    if (v1.hasSigmoidParam()) l.setSigmoidParam(v1.getSigmoidParam());
    if (v1.hasSoftmaxParam()) l.setSoftmaxParam(v1.getSoftmaxParam());
    if (v1.hasSliceParam()) l.setSliceParam(v1.getSliceParam());
    if (v1.hasTanhParam()) l.setTanhParam(v1.getTanhParam());
    if (v1.hasThresholdParam()) l.setThresholdParam(v1.getThresholdParam());
    if (v1.hasTransformParam()) l.setTransformParam(v1.getTransformParam());
    if (v1.hasAccuracyParam()) l.setAccuracyParam(v1.getAccuracyParam());
    if (v1.hasArgmaxParam()) l.setArgmaxParam(v1.getArgmaxParam());
    if (v1.hasLossParam()) l.setLossParam(v1.getLossParam());
    return l.build();
  }

  static String typeName(V1LayerParameter.LayerType t) {
    return switch (t) {
      case NONE -> "";
      case ABSVAL -> "AbsVal";
      case ACCURACY -> "Accuracy";
      case ARGMAX -> "ArgMax";
      case BNLL -> "BNLL";
      case CONCAT -> "Concat";
      case CONTRASTIVE_LOSS -> "ContrastiveLoss";
      case CONVOLUTION -> "Convolution";
      case DATA -> "Data";
      case DECONVOLUTION -> "Deconvolution";
      case DROPOUT -> "Dropout";
      case DUMMY_DATA -> "DummyData";
      case EUCLIDEAN_LOSS -> "EuclideanLoss";
      case ELTWISE -> "Eltwise";
      case EXP -> "Exp";
      case FLATTEN -> "Flatten";
      case HDF5_DATA -> "HDF5Data";
      case HDF5_OUTPUT -> "HDF5Output";
      case HINGE_LOSS -> "HingeLoss";
      case IM2COL -> "Im2col";
      case IMAGE_DATA -> "ImageData";
      case INFOGAIN_LOSS -> "InfogainLoss";
      case INNER_PRODUCT -> "InnerProduct";
      case LRN -> "LRN";
      case MEMORY_DATA -> "MemoryData";
      case MULTINOMIAL_LOGISTIC_LOSS -> "MultinomialLogisticLoss";
      case MVN -> "MVN";
      case POOLING -> "Pooling";
      case POWER -> "Power";
      case RELU -> "ReLU";
      case SIGMOID -> "Sigmoid";
      case SIGMOID_CROSS_ENTROPY_LOSS -> "SigmoidCrossEntropyLoss";
      case SILENCE -> "Silence";
      case SOFTMAX -> "Softmax";
      case SOFTMAX_LOSS -> "SoftmaxWithLoss";
      case SPLIT -> "Split";
      case SLICE -> "Slice";
      case TANH -> "TanH";
      case WINDOW_DATA -> "WindowData";
      case THRESHOLD -> "Threshold";
    };
  }
}
