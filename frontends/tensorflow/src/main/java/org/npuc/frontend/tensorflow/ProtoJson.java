package org.npuc.frontend.tensorflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads a protobuf message from its proto3 JSON form (as TF.js stores the GraphDef in model.json):
 * lowerCamelCase or original field names, 64-bit integers as strings, bytes as base64, enums by
 * name or number, maps as objects. Fields our proto subset does not know are skipped, as protobuf
 * does for binary input.
 */
final class ProtoJson {
  private ProtoJson() {}

  /**
   * Fills {@code b} from {@code json}; IllegalArgumentException names the JSON path on a mismatch.
   */
  static void merge(JsonNode json, Message.Builder b, String path) {
    if (!json.isObject()) throw new IllegalArgumentException(path + ": expected an object");
    Descriptor d = b.getDescriptorForType();
    Iterator<Map.Entry<String, JsonNode>> it = json.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      FieldDescriptor f = d.findFieldByName(e.getKey());
      if (f == null) {
        for (FieldDescriptor c : d.getFields()) if (c.getJsonName().equals(e.getKey())) f = c;
      }
      if (f == null || e.getValue().isNull()) continue;
      String p = path + "." + e.getKey();
      JsonNode v = e.getValue();
      if (f.isMapField()) {
        if (!v.isObject()) throw new IllegalArgumentException(p + ": expected an object");
        Descriptor entry = f.getMessageType();
        FieldDescriptor kf = entry.findFieldByName("key"), vf = entry.findFieldByName("value");
        Iterator<Map.Entry<String, JsonNode>> mi = v.fields();
        while (mi.hasNext()) {
          Map.Entry<String, JsonNode> me = mi.next();
          Message.Builder eb = b.newBuilderForField(f);
          eb.setField(kf, me.getKey());
          eb.setField(vf, scalar(vf, me.getValue(), eb, p + "." + me.getKey()));
          b.addRepeatedField(f, eb.build());
        }
      } else if (f.isRepeated()) {
        if (!v.isArray()) throw new IllegalArgumentException(p + ": expected an array");
        for (int i = 0; i < v.size(); i++)
          b.addRepeatedField(f, scalar(f, v.get(i), b, p + "[" + i + "]"));
      } else {
        b.setField(f, scalar(f, v, b, p));
      }
    }
  }

  private static Object scalar(FieldDescriptor f, JsonNode v, Message.Builder parent, String p) {
    try {
      switch (f.getJavaType()) {
        case MESSAGE:
          {
            Message.Builder sub = parent.newBuilderForField(f);
            merge(v, sub, p);
            return sub.build();
          }
        case STRING:
          return v.asText();
        case BYTE_STRING:
          return ByteString.copyFrom(Base64.getDecoder().decode(v.asText()));
        case BOOLEAN:
          if (v.isBoolean()) return v.booleanValue();
          return Boolean.parseBoolean(v.asText());
        case INT:
          return v.isNumber() ? v.intValue() : Integer.parseInt(v.asText());
        case LONG:
          return v.isNumber() ? v.longValue() : Long.parseLong(v.asText());
        case FLOAT:
          return v.isNumber() ? v.floatValue() : Float.parseFloat(v.asText());
        case DOUBLE:
          return v.isNumber() ? v.doubleValue() : Double.parseDouble(v.asText());
        case ENUM:
          {
            EnumValueDescriptor ev =
                v.isNumber()
                    ? f.getEnumType().findValueByNumber(v.intValue())
                    : f.getEnumType().findValueByName(v.asText());
            if (ev == null)
              throw new IllegalArgumentException(
                  p + ": unknown " + f.getEnumType().getName() + " '" + v.asText() + "'");
            return ev;
          }
        default:
          throw new IllegalArgumentException(p + ": unsupported field type");
      }
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(p + ": bad number '" + v.asText() + "'");
    }
  }
}
