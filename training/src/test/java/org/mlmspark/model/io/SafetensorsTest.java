package org.mlmspark.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The reference implementation's rules, one refusal per broken file, and float conversions as torch does them. */
class SafetensorsTest {
  private static final String SOURCE = "dir/model.safetensors";

  private static Safetensors.Header read(byte[] file) throws IOException {
    return Safetensors.readHeader(new ByteArrayInputStream(file), file.length, SOURCE);
  }

  private static void assertRefused(byte[] file, String problem) {
    InvalidSafetensorsException e = assertThrows(InvalidSafetensorsException.class, () -> read(file));
    assertTrue(e.getMessage().startsWith(SOURCE + " is not a valid safetensors file: "), e.getMessage());
    assertTrue(e.getMessage().contains(problem), e.getMessage());
    assertEquals(1, e.getMessage().lines().count(), e.getMessage());
  }

  private static String tensor(String name, String dtype, String shape, long begin, long end) {
    return "\"" + name + "\":{\"dtype\":\"" + dtype + "\",\"shape\":" + shape + ",\"data_offsets\":[" + begin + ","
        + end + "]}";
  }

  @Test
  void readsTensorsInFileOrderWithTheirMetadata() throws IOException {
    // JSON order differs from data order, as in files written by Python.
    String header = "{" + tensor("b", "F32", "[2]", 8, 16) + "," + tensor("a", "F16", "[2,2]", 0, 8)
        + ",\"__metadata__\":{\"format\":\"pt\"}}";
    Safetensors.Header parsed = read(SafetensorsFiles.of(header, new byte[16]));
    assertEquals(List.of("a", "b"), parsed.tensors().stream().map(Safetensors.TensorInfo::name).toList());
    assertEquals(Map.of("format", "pt"), parsed.metadata());
    assertEquals(8 + header.length(), parsed.dataStart());
    assertArrayEquals(new long[] {2, 2}, parsed.tensors().get(0).shape());
  }

  @Test
  void anEmptyHeaderWithNoDataIsAValidFileOfNoTensors() throws IOException {
    assertEquals(List.of(), read(SafetensorsFiles.of("{}", new byte[0])).tensors());
    // Trailing spaces are allowed, as serde_json allows trailing whitespace.
    assertEquals(List.of(), read(SafetensorsFiles.of("{}    ", new byte[0])).tensors());
  }

  @Test
  void headerLengthsThatCannotBeRightAreRefusedBeforeAnyAllocation() {
    byte[] data = new byte[64];
    assertRefused(SafetensorsFiles.raw(1L << 40, "{}", data), "header length 1099511627776 exceeds the format's limit");
    assertRefused(SafetensorsFiles.raw(-1L, "{}", data), "header length 18446744073709551615 exceeds");
    assertRefused(SafetensorsFiles.raw(100_000_001L, "{}", data), "exceeds the format's limit of 100000000 bytes");
    assertRefused(SafetensorsFiles.raw((1L << 31) + 5, "{}", data), "exceeds the format's limit");
    assertRefused(SafetensorsFiles.raw((1L << 31) - 9, "{}", data), "exceeds the format's limit");
    assertRefused(SafetensorsFiles.raw(99_000_000L, "{}", data), "header length 99000000 exceeds the file (74 bytes)");
    assertRefused(SafetensorsFiles.raw(0, "", new byte[0]), "the header is not a JSON object");
    assertRefused(new byte[5], "fewer than the 8 of the header length");
  }

  @Test
  void aHugeHeaderLengthReadsOnlyTheLengthField() {
    byte[] file = SafetensorsFiles.raw(99_999_999L, "{}", new byte[1 << 20]);
    CountingStream in = new CountingStream(file);
    assertThrows(InvalidSafetensorsException.class, () -> Safetensors.readHeader(in, file.length, SOURCE));
    assertEquals(8, in.consumed());
  }

  @Test
  void theHeaderMustBeOneUtf8JsonObject() {
    assertRefused(SafetensorsFiles.of("not json", new byte[0]), "not a JSON object");
    assertRefused(SafetensorsFiles.of("[]", new byte[0]), "not a JSON object");
    assertRefused(SafetensorsFiles.of("{\"a\":", new byte[0]), "not valid JSON");
    assertRefused(SafetensorsFiles.of("{} {}", new byte[0]), "not valid JSON");
    assertRefused(SafetensorsFiles.raw(3, "{\"\u00e9", new byte[0]), "not UTF-8"); // cut inside a character
    assertRefused(SafetensorsFiles.of("{\"a\":1}", new byte[0]), "tensor a is not described by a JSON object");
    assertRefused(SafetensorsFiles.of("{\"__metadata__\":{\"k\":1}}", new byte[0]), "__metadata__ entry k");
    assertRefused(SafetensorsFiles.of("{\"__metadata__\":[]}", new byte[0]), "__metadata__ is not");
  }

  @Test
  void duplicateNamesAreRefused() {
    String header = "{" + tensor("a", "F32", "[1]", 0, 4) + "," + tensor("a", "F32", "[1]", 4, 8) + "}";
    assertRefused(SafetensorsFiles.of(header, new byte[8]), "Duplicate field 'a'");
  }

  @Test
  void dtypesMustBeKnown() {
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F128", "[1]", 0, 16) + "}", new byte[16]),
        "unknown dtype \"F128\"");
    assertRefused(SafetensorsFiles.of("{\"a\":{\"dtype\":7,\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]),
        "has no dtype string");
  }

  @Test
  void spansMustBeContiguousFromZeroToTheEndWithoutOverlap() {
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[4]", 0, 16) + "," + tensor("b", "F32", "[4]", 8, 24)
        + "}", new byte[24]), "tensor b has data_offsets [8, 24] where 16 was expected");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[2]", 0, 8) + "," + tensor("b", "F32", "[2]", 12, 20)
        + "}", new byte[20]), "where 8 was expected");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[2]", 4, 12) + "}", new byte[12]),
        "where 0 was expected");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[4]", 16, 0) + "}", new byte[16]),
        "data_offsets [16, 0]");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[2]", 0, 8) + "}", new byte[16]),
        "the tensors cover 8 data bytes but the file holds 16");
    assertRefused(SafetensorsFiles.of("{}", new byte[16]), "the tensors cover 0 data bytes but the file holds 16");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[4]", 0, 16) + "}", new byte[8]),
        "the tensors cover 16 data bytes but the file holds 8");
  }

  @Test
  void aShapeMustMatchItsSpanWithoutOverflow() {
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "BOOL", "[3]", 0, 4) + "}", new byte[4]),
        "of shape [3] and dtype BOOL needs 3 bytes but its data_offsets span 4");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[2147483648,2147483648]", 0, 4) + "}", new byte[4]),
        "whose size overflows");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[-1]", 0, 4) + "}", new byte[4]),
        "not a non-negative 64-bit integer");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[1.5]", 0, 4) + "}", new byte[4]),
        "not a non-negative 64-bit integer");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F32", "[99999999999999999999]", 0, 4) + "}", new byte[4]),
        "not a non-negative 64-bit integer");
    assertRefused(SafetensorsFiles.of("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]),
        "has no data_offsets array of 2 integers");
    assertRefused(SafetensorsFiles.of("{" + tensor("a", "F4", "[3]", 0, 2) + "}", new byte[2]),
        "does not end on a byte boundary");
  }

  @Test
  void readSkipsUnwantedTensorsAndHandsOverWantedOnes() throws IOException {
    byte[] file = new SafetensorsFiles.Builder()
        .f32("skip", new long[] {3}, 9, 9, 9)
        .f32("keep", new long[] {2, 1}, 1.5f, -2f)
        .build();
    List<float[]> kept = new ArrayList<>();
    Safetensors.read(new ByteArrayInputStream(file), file.length, SOURCE, new Safetensors.TensorSink() {
      @Override
      public boolean wants(Safetensors.TensorInfo tensor) {
        return tensor.name().equals("keep");
      }

      @Override
      public void accept(Safetensors.TensorInfo tensor, ByteBuffer data) {
        kept.add(floats(Safetensors.toFloat32(tensor, data, SOURCE)));
      }
    });
    assertEquals(1, kept.size());
    assertArrayEquals(new float[] {1.5f, -2f}, kept.get(0));
  }

  @Test
  void floatDtypesConvertAsTorchConvertsThem() {
    ByteBuffer half = le(6);
    half.putShort(0, (short) 0x3C00).putShort(2, (short) 0xC000).putShort(4, (short) 0x0001);
    assertArrayEquals(new float[] {1f, -2f, 0x1p-24f}, floats(Safetensors.toFloat32(info("F16", 3), half, SOURCE)));
    ByteBuffer bf16 = le(4);
    bf16.putShort(0, (short) 0x3F80).putShort(2, (short) 0xC0A0); // 1.0, -5.0
    assertArrayEquals(new float[] {1f, -5f}, floats(Safetensors.toFloat32(info("BF16", 2), bf16, SOURCE)));
    ByteBuffer f64 = le(16);
    f64.putDouble(0, 0.1).putDouble(8, 1e300);
    assertArrayEquals(new float[] {0.1f, Float.POSITIVE_INFINITY},
        floats(Safetensors.toFloat32(info("F64", 2), f64, SOURCE)));
  }

  @Test
  void halfPrecisionCoversEveryClassOfValue() {
    assertEquals(65504f, Safetensors.halfToFloat((short) 0x7BFF));
    assertEquals(0x1p-14f, Safetensors.halfToFloat((short) 0x0400));
    assertEquals(0x1.ff8p-15f, Safetensors.halfToFloat((short) 0x03FF)); // largest subnormal
    assertEquals(Float.POSITIVE_INFINITY, Safetensors.halfToFloat((short) 0x7C00));
    assertEquals(Float.NEGATIVE_INFINITY, Safetensors.halfToFloat((short) 0xFC00));
    assertTrue(Float.isNaN(Safetensors.halfToFloat((short) 0x7E00)));
    assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(Safetensors.halfToFloat((short) 0x8000)));
  }

  @Test
  void integerAndBoolTensorsAreRefusedNeverReinterpreted() {
    for (String dtype : List.of("I32", "I64", "BOOL", "U8", "F8_E4M3")) {
      InvalidSafetensorsException e = assertThrows(InvalidSafetensorsException.class,
          () -> Safetensors.toFloat32(info(dtype, 1), le(8), SOURCE));
      assertTrue(e.getMessage().contains("has dtype " + dtype + ", which does not convert"), e.getMessage());
    }
  }

  @Test
  void float32DataIsHandedOverWithoutACopy() throws IOException {
    byte[] file = new SafetensorsFiles.Builder().f32("a", new long[] {2}, 3f, 4f).build();
    List<ByteBuffer> seen = new ArrayList<>();
    Safetensors.read(new ByteArrayInputStream(file), file.length, SOURCE, new Safetensors.TensorSink() {
      @Override
      public boolean wants(Safetensors.TensorInfo tensor) {
        return true;
      }

      @Override
      public void accept(Safetensors.TensorInfo tensor, ByteBuffer data) {
        assertTrue(data.isDirect());
        seen.add(Safetensors.toFloat32(tensor, data, SOURCE));
        if (ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN) {
          assertTrue(seen.get(0).isDirect() && seen.get(0).capacity() == data.capacity());
        }
      }
    });
    assertArrayEquals(new float[] {3f, 4f}, floats(seen.get(0)));
  }

  /** The values of a native-order float32 buffer. */
  private static float[] floats(ByteBuffer float32) {
    float[] values = new float[float32.remaining() / 4];
    float32.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
    return values;
  }

  private static Safetensors.TensorInfo info(String dtype, long elements) {
    Safetensors.Dtype type = Safetensors.Dtype.valueOf(dtype);
    return new Safetensors.TensorInfo("t", type, new long[] {elements}, 0, elements * type.bits / 8);
  }

  private static ByteBuffer le(int bytes) {
    return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  /** An in-memory stream that counts the bytes taken from it. */
  private static final class CountingStream extends ByteArrayInputStream {
    private final int length;

    CountingStream(byte[] data) {
      super(data);
      length = data.length;
    }

    int consumed() {
      return length - available();
    }
  }
}
