package org.npuc.target.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import org.npuc.diag.UserError;

/** Reads YAML text into {@link SpecNode}s with Jackson's streaming parser, keeping line and column. */
final class YamlTree {
  private static final YAMLFactory FACTORY = new YAMLFactory();

  private YamlTree() {}

  static SpecNode parse(String text, String file) {
    try (JsonParser p = FACTORY.createParser(text)) {
      JsonToken t = p.nextToken();
      if (t == null) throw new UserError(file + ": the spec is empty");
      SpecNode root = value(p, t, file);
      if (root.kind != SpecNode.Kind.MAP) throw new UserError(root.where() + ": a target spec is a map of keys (name:, backend:, ...), got " + root.describe());
      return root;
    } catch (JsonProcessingException e) {
      JsonLocation l = e.getLocation();
      String at = l == null ? file : file + ":" + l.getLineNr() + ":" + l.getColumnNr();
      throw new UserError(at + ": not valid YAML: " + e.getOriginalMessage(), e);
    } catch (IOException e) {
      throw new UserError(file + ": " + e.getMessage(), e);
    }
  }

  private static SpecNode value(JsonParser p, JsonToken t, String file) throws IOException {
    JsonLocation l = p.currentTokenLocation();
    int line = l.getLineNr();
    int col = l.getColumnNr();
    switch (t) {
      case START_OBJECT -> {
        SpecNode m = new SpecNode(SpecNode.Kind.MAP, null, file, line, col);
        while ((t = p.nextToken()) != JsonToken.END_OBJECT) {
          String key = p.currentName();
          JsonLocation kl = p.currentTokenLocation();
          if (m.map.containsKey(key)) throw new UserError(file + ":" + kl.getLineNr() + ":" + kl.getColumnNr() + ": key '" + key + "' is given twice");
          SpecNode v = value(p, p.nextToken(), file);
          m.map.put(key, v);
          m.keyPositions.put(key, new int[] {kl.getLineNr(), kl.getColumnNr()});
        }
        return m;
      }
      case START_ARRAY -> {
        SpecNode a = new SpecNode(SpecNode.Kind.LIST, null, file, line, col);
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) a.list.add(value(p, t, file));
        return a;
      }
      case VALUE_STRING -> {
        return new SpecNode(SpecNode.Kind.STRING, p.getText(), file, line, col);
      }
      case VALUE_NUMBER_INT -> {
        return new SpecNode(SpecNode.Kind.INT, p.getText(), file, line, col);
      }
      case VALUE_NUMBER_FLOAT -> {
        return new SpecNode(SpecNode.Kind.FLOAT, p.getText(), file, line, col);
      }
      case VALUE_TRUE, VALUE_FALSE -> {
        return new SpecNode(SpecNode.Kind.BOOL, p.getText(), file, line, col);
      }
      case VALUE_NULL -> {
        return new SpecNode(SpecNode.Kind.NULL, null, file, line, col);
      }
      default -> throw new UserError(file + ":" + line + ":" + col + ": unexpected YAML " + t);
    }
  }
}
