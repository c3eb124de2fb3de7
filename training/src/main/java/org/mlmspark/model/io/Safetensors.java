package org.mlmspark.model.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict reader of the safetensors format with the rules of the reference implementation (the
 * {@code safetensors} Rust crate): an 8-byte little-endian header length of at most 100 MB that fits the file; a
 * UTF-8 JSON object of tensors plus an optional string map {@code __metadata__}; known dtypes; every tensor's
 * {@code shape × dtype size} equal to its byte span, computed without overflow; spans sorted, contiguous and
 * non-overlapping, from 0 to exactly the end of the file. Duplicate names are refused too (the JSON would be
 * ambiguous). Every violation is an {@link InvalidSafetensorsException} naming the file.
 *
 * <p>Data is read tensor by tensor from a stream in file order: the largest allocation is one tensor whose span
 * the file really holds (off the heap), never a size taken from the header alone.
 */
public final class Safetensors {
  /** The reference implementation's {@code MAX_HEADER_SIZE}. */
  public static final long MAX_HEADER_BYTES = 100_000_000L;
  /** One tensor's bytes go into one Java array. */
  static final long MAX_TENSOR_BYTES = Integer.MAX_VALUE - 8;
  private static final int CHUNK_BYTES = 1 << 16;
  private static final String METADATA = "__metadata__";
  private static final ObjectMapper STRICT_JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Safetensors() {}

  /** The dtypes the format defines, with their size in bits. */
  public enum Dtype {
    BOOL(8), F4(4), F6_E2M3(6), F6_E3M2(6), U8(8), I8(8), F8_E5M2(8), F8_E4M3(8), F8_E8M0(8), F8_E4M3FNUZ(8),
    F8_E5M2FNUZ(8), I16(16), U16(16), F16(16), BF16(16), I32(32), U32(32), F32(32), C64(64), F64(64), I64(64),
    U64(64);

    final int bits;

    Dtype(int bits) {
      this.bits = bits;
    }

    /** Whether {@link #toFloat32} converts it, as torch's {@code tensor.to(float32)} would: losslessly or rounding. */
    public boolean convertsToFloat32() {
      return this == F32 || this == F16 || this == BF16 || this == F64;
    }
  }

  /** One tensor's entry in the header; {@code begin}/{@code end} are relative to the end of the header. */
  public record TensorInfo(String name, Dtype dtype, long[] shape, long begin, long end) {
    public long bytes() {
      return end - begin;
    }

    public long elements() {
      return Arrays.stream(shape).reduce(1L, Math::multiplyExact); // cannot overflow: validated on parsing
    }
  }

  /** A validated header: tensors in file order, and the metadata strings. */
  public record Header(long headerBytes, List<TensorInfo> tensors, Map<String, String> metadata) {
    /** Offset of the first data byte in the file. */
    public long dataStart() {
      return 8 + headerBytes;
    }
  }

  /** What {@link #read} does with each tensor: skip it, or take its bytes. */
  public interface TensorSink {
    /** Whether the data of {@code tensor} is wanted; unwanted tensors are skipped without being buffered. */
    boolean wants(TensorInfo tensor);

    /** The bytes of a wanted tensor, little-endian, positioned at 0. */
    void accept(TensorInfo tensor, ByteBuffer data) throws IOException;
  }

  /**
   * Reads the header of a file of {@code fileLength} bytes from {@code in} (positioned at the file's start) and
   * leaves {@code in} at the first data byte.
   */
  public static Header readHeader(InputStream in, long fileLength, String source) throws IOException {
    if (fileLength < 8) {
      throw invalid(source, "the file has " + fileLength + " bytes, fewer than the 8 of the header length");
    }
    byte[] lengthBytes = readFully(in, 8, source);
    long n = ByteBuffer.wrap(lengthBytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    if (n < 0 || n > MAX_HEADER_BYTES) {
      throw invalid(source, "header length " + Long.toUnsignedString(n) + " exceeds the format's limit of "
          + MAX_HEADER_BYTES + " bytes");
    }
    if (n > fileLength - 8) {
      throw invalid(source, "header length " + n + " exceeds the file (" + fileLength + " bytes)");
    }
    String text = utf8(readFully(in, (int) n, source), source);
    if (!text.startsWith("{")) {
      throw invalid(source, "the header is not a JSON object");
    }
    JsonNode root;
    try {
      root = STRICT_JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw invalid(source, "the header is not valid JSON (" + e.getOriginalMessage() + ")");
    }
    Header header = parse(root, n, source);
    long end = header.tensors().isEmpty() ? 0 : header.tensors().get(header.tensors().size() - 1).end();
    if (end != fileLength - 8 - n) {
      throw invalid(source, "the tensors cover " + end + " data bytes but the file holds " + (fileLength - 8 - n));
    }
    return header;
  }

  /**
   * Reads a whole file: the header, then each tensor in file order, handing wanted ones to {@code sink} in a
   * direct buffer (off the Java heap, filled through a 64 KB chunk).
   *
   * @return the header
   */
  public static Header read(InputStream in, long fileLength, String source, TensorSink sink) throws IOException {
    Header header = readHeader(in, fileLength, source);
    byte[] chunk = new byte[CHUNK_BYTES];
    for (TensorInfo tensor : header.tensors()) {
      if (!sink.wants(tensor)) {
        skipFully(in, tensor.bytes(), source);
        continue;
      }
      if (tensor.bytes() > MAX_TENSOR_BYTES) {
        throw invalid(source, "tensor " + tensor.name() + " has " + tensor.bytes()
            + " bytes; tensors over 2 GB are not supported");
      }
      ByteBuffer data = ByteBuffer.allocateDirect((int) tensor.bytes()).order(ByteOrder.LITTLE_ENDIAN);
      while (data.hasRemaining()) {
        int read = in.read(chunk, 0, Math.min(chunk.length, data.remaining()));
        if (read < 0) {
          throw invalid(source, "the file ends early (truncated while reading)");
        }
        data.put(chunk, 0, read);
      }
      sink.accept(tensor, data.flip());
    }
    return header;
  }

  /**
   * The values of a floating-point tensor as float32 in native byte order (what DJL's {@code NDManager.create}
   * takes without another copy), converted as torch converts: {@code F16}/{@code BF16} exactly, {@code F64}
   * rounded to nearest. Other dtypes are refused, never reinterpreted.
   */
  public static ByteBuffer toFloat32(TensorInfo tensor, ByteBuffer data, String source) {
    if (!tensor.dtype().convertsToFloat32()) {
      throw invalid(source, "tensor " + tensor.name() + " has dtype " + tensor.dtype()
          + ", which does not convert to the model's float32 (F32, F16, BF16 and F64 do)");
    }
    ByteBuffer in = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    if (tensor.dtype() == Dtype.F32 && ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN && in.isDirect()) {
      return in;
    }
    int count = Math.toIntExact(tensor.elements());
    ByteBuffer out = ByteBuffer.allocateDirect(4 * count).order(ByteOrder.nativeOrder());
    for (int i = 0; i < count; i++) {
      float value = switch (tensor.dtype()) {
        case F32 -> in.getFloat(i * 4);
        case F64 -> (float) in.getDouble(i * 8);
        case BF16 -> Float.intBitsToFloat((in.getShort(i * 2) & 0xFFFF) << 16);
        default -> halfToFloat(in.getShort(i * 2)); // F16
      };
      out.putFloat(i * 4, value);
    }
    return out;
  }

  /** IEEE 754 binary16 to binary32, exact (every half value is a float value). */
  static float halfToFloat(short half) {
    int bits = half & 0xFFFF;
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1F;
    int mantissa = bits & 0x3FF;
    if (exponent == 0x1F) { // infinity or NaN, payload kept
      return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
    }
    if (exponent == 0) { // zero or subnormal: mantissa × 2^-24
      float magnitude = mantissa * 0x1p-24f;
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  private static Header parse(JsonNode root, long headerBytes, String source) {
    if (!root.isObject()) {
      throw invalid(source, "the header is not a JSON object");
    }
    Map<String, String> metadata = Map.of();
    List<TensorInfo> tensors = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (entry.getKey().equals(METADATA)) {
        metadata = metadata(entry.getValue(), source);
      } else {
        tensors.add(tensor(entry.getKey(), entry.getValue(), source));
      }
    }
    tensors.sort(Comparator.<TensorInfo>comparingLong(TensorInfo::begin).thenComparingLong(TensorInfo::end));
    long expectedBegin = 0;
    for (TensorInfo tensor : tensors) {
      if (tensor.begin() != expectedBegin || tensor.end() < tensor.begin()) {
        throw invalid(source, "tensor " + tensor.name() + " has data_offsets [" + tensor.begin() + ", "
            + tensor.end() + "] where " + expectedBegin + " was expected: spans must be contiguous, not overlapping");
      }
      long bits;
      try {
        bits = Math.multiplyExact(Arrays.stream(tensor.shape()).reduce(1L, Math::multiplyExact), tensor.dtype().bits);
      } catch (ArithmeticException e) {
        throw invalid(source, "tensor " + tensor.name() + " has a shape " + Arrays.toString(tensor.shape())
            + " whose size overflows");
      }
      if (bits % 8 != 0) {
        throw invalid(source, "tensor " + tensor.name() + " does not end on a byte boundary");
      }
      if (bits / 8 != tensor.bytes()) {
        throw invalid(source, "tensor " + tensor.name() + " of shape " + Arrays.toString(tensor.shape()) + " and "
            + "dtype " + tensor.dtype() + " needs " + bits / 8 + " bytes but its data_offsets span " + tensor.bytes());
      }
      expectedBegin = tensor.end();
    }
    return new Header(headerBytes, List.copyOf(tensors), metadata);
  }

  private static TensorInfo tensor(String name, JsonNode node, String source) {
    if (!node.isObject()) {
      throw invalid(source, "tensor " + name + " is not described by a JSON object");
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null || !dtypeNode.isTextual()) {
      throw invalid(source, "tensor " + name + " has no dtype string");
    }
    Dtype dtype;
    try {
      dtype = Dtype.valueOf(dtypeNode.textValue());
    } catch (IllegalArgumentException e) {
      throw invalid(source, "tensor " + name + " has the unknown dtype " + dtypeNode);
    }
    long[] shape = unsignedArray(node.get("shape"), -1, "shape", name, source);
    long[] offsets = unsignedArray(node.get("data_offsets"), 2, "data_offsets", name, source);
    return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
  }

  /** A JSON array of non-negative integers (of {@code length} elements unless it is negative). */
  private static long[] unsignedArray(JsonNode node, int length, String field, String name, String source) {
    if (node == null || !node.isArray() || (length >= 0 && node.size() != length)) {
      throw invalid(source, "tensor " + name + " has no " + field
          + (length >= 0 ? " array of " + length + " integers" : " array"));
    }
    long[] values = new long[node.size()];
    for (int i = 0; i < values.length; i++) {
      JsonNode value = node.get(i);
      if (!value.isIntegralNumber() || !value.canConvertToLong() || value.longValue() < 0) {
        throw invalid(source, "tensor " + name + " has " + field + " " + node
            + " with an element that is not a non-negative 64-bit integer");
      }
      values[i] = value.longValue();
    }
    return values;
  }

  private static Map<String, String> metadata(JsonNode node, String source) {
    if (node.isNull()) {
      return Map.of();
    }
    if (!node.isObject()) {
      throw invalid(source, METADATA + " is not a JSON object of strings");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      if (!entry.getValue().isTextual()) {
        throw invalid(source, METADATA + " entry " + entry.getKey() + " is not a string");
      }
      metadata.put(entry.getKey(), entry.getValue().textValue());
    }
    return Map.copyOf(metadata);
  }

  private static String utf8(byte[] bytes, String source) {
    try {
      CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes));
      return chars.toString();
    } catch (CharacterCodingException e) {
      throw invalid(source, "the header is not UTF-8");
    }
  }

  private static byte[] readFully(InputStream in, int bytes, String source) throws IOException {
    byte[] data = in.readNBytes(bytes);
    if (data.length != bytes) {
      throw invalid(source, "the file ends early (truncated while reading)");
    }
    return data;
  }

  private static void skipFully(InputStream in, long bytes, String source) throws IOException {
    try {
      in.skipNBytes(bytes);
    } catch (EOFException e) {
      throw invalid(source, "the file ends early (truncated while reading)");
    }
  }

  private static InvalidSafetensorsException invalid(String source, String problem) {
    return new InvalidSafetensorsException(source + " is not a valid safetensors file: " + problem);
  }
}
