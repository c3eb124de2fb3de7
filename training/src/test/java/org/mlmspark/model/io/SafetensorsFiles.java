package org.mlmspark.model.io;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** Safetensors files built byte by byte, valid or deliberately broken, for the reader's tests. */
final class SafetensorsFiles {
  private SafetensorsFiles() {}

  /** The 8-byte little-endian length, the header text as given, then {@code data}. */
  static byte[] raw(long headerLength, String header, byte[] data) {
    byte[] text = header.getBytes(StandardCharsets.UTF_8);
    ByteBuffer out = ByteBuffer.allocate(8 + text.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    out.putLong(headerLength).put(text).put(data);
    return out.array();
  }

  /** A file whose length field matches its header. */
  static byte[] of(String header, byte[] data) {
    return raw(header.getBytes(StandardCharsets.UTF_8).length, header, data);
  }

  /** A valid file of F32 tensors, in the order given, each a shape and its values. */
  static final class Builder {
    private final Map<String, long[]> shapes = new LinkedHashMap<>();
    private final Map<String, float[]> values = new LinkedHashMap<>();

    Builder f32(String name, long[] shape, float... data) {
      shapes.put(name, shape);
      values.put(name, data);
      return this;
    }

    String header() {
      StringBuilder json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
      long offset = 0;
      for (Map.Entry<String, long[]> entry : shapes.entrySet()) {
        long bytes = 4L * values.get(entry.getKey()).length;
        json.append(",\"").append(entry.getKey()).append("\":{\"dtype\":\"F32\",\"shape\":[");
        long[] shape = entry.getValue();
        for (int i = 0; i < shape.length; i++) {
          json.append(i == 0 ? "" : ",").append(shape[i]);
        }
        json.append("],\"data_offsets\":[").append(offset).append(',').append(offset + bytes).append("]}");
        offset += bytes;
      }
      return json.append('}').toString();
    }

    byte[] data() {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (float[] tensor : values.values()) {
        ByteBuffer buffer = ByteBuffer.allocate(4 * tensor.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : tensor) {
          buffer.putFloat(v);
        }
        out.writeBytes(buffer.array());
      }
      return out.toByteArray();
    }

    byte[] build() {
      return of(header(), data());
    }
  }
}
