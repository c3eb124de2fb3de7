package org.mlmspark.model.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded mutations of a valid safetensors file (its length field, header bytes, numbers in the header, dtypes,
 * the file's length): every outcome must be a clean {@link InvalidSafetensorsException} or a load whose tensors
 * are consistent with the file. Bounded by the iteration count; the seed makes a failure reproducible.
 */
class SafetensorsFuzzTest {
  private static final long SEED = 20_260_117L;
  private static final int ITERATIONS = 4_000;
  private static final Pattern NUMBER = Pattern.compile("\\d+");
  private static final List<String> DTYPES = Arrays.stream(Safetensors.Dtype.values()).map(Enum::name).toList();
  private static final long[] INTERESTING = {0, 1, 2, 3, 4, 7, 8, 255, 256, 65_535, Integer.MAX_VALUE,
      Integer.MAX_VALUE + 1L, 4_294_967_295L, Long.MAX_VALUE, 100_000_000, 100_000_001};

  /** F32, F16, BF16, F64, I64 and BOOL tensors, with the metadata Python writes. */
  private static final String HEADER = "{\"__metadata__\":{\"format\":\"pt\"},"
      + "\"a\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[0,24]},"
      + "\"b\":{\"dtype\":\"F16\",\"shape\":[4],\"data_offsets\":[24,32]},"
      + "\"c\":{\"dtype\":\"BF16\",\"shape\":[2],\"data_offsets\":[32,36]},"
      + "\"d\":{\"dtype\":\"F64\",\"shape\":[1],\"data_offsets\":[36,44]},"
      + "\"e\":{\"dtype\":\"I64\",\"shape\":[2],\"data_offsets\":[44,60]},"
      + "\"f\":{\"dtype\":\"BOOL\",\"shape\":[5],\"data_offsets\":[60,65]}}";

  @Test
  void everyMutationIsACleanRefusalOrAConsistentLoad() throws IOException {
    Random random = new Random(SEED);
    byte[] data = new byte[65];
    random.nextBytes(data);
    byte[] valid = SafetensorsFiles.of(HEADER, data);
    Map<String, float[]> expected = load(valid);
    assertEquals(4, expected.size()); // the float tensors; I64 and BOOL are refused only when converted
    int loaded = 0;
    int refused = 0;
    for (int i = 0; i < ITERATIONS; i++) {
      byte[] mutated = mutate(valid, random);
      try {
        Map<String, float[]> tensors = load(mutated);
        loaded++;
        if (Arrays.equals(mutated, valid)) {
          assertEquals(expected.keySet(), tensors.keySet());
          expected.forEach((name, values) -> assertArrayEquals(values, tensors.get(name), name));
        }
      } catch (InvalidSafetensorsException e) {
        refused++;
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().startsWith("fuzz.safetensors is not a valid safetensors file: "), e.getMessage());
      } catch (RuntimeException | IOException | Error e) {
        throw new AssertionError("iteration " + i + " (seed " + SEED + ") failed uncleanly on "
            + Arrays.toString(Arrays.copyOf(mutated, Math.min(mutated.length, 400))), e);
      }
    }
    // Both outcomes occur: the mutations reach past the first check, and some keep the file valid.
    assertTrue(loaded > 0 && refused > ITERATIONS / 2, loaded + " loaded, " + refused + " refused");
  }

  /**
   * Reads every tensor and converts the floating-point ones; a load must cover the file exactly, each tensor's
   * span equal to its shape's size.
   */
  private static Map<String, float[]> load(byte[] file) throws IOException {
    Map<String, float[]> floats = new LinkedHashMap<>();
    List<Safetensors.TensorInfo> seen = new ArrayList<>();
    Safetensors.Header header = Safetensors.read(new ByteArrayInputStream(file), file.length, "fuzz.safetensors",
        new Safetensors.TensorSink() {
          @Override
          public boolean wants(Safetensors.TensorInfo tensor) {
            return true;
          }

          @Override
          public void accept(Safetensors.TensorInfo tensor, ByteBuffer bytes) {
            seen.add(tensor);
            assertEquals(tensor.bytes(), bytes.remaining());
            if (tensor.dtype().convertsToFloat32()) {
              ByteBuffer float32 = Safetensors.toFloat32(tensor, bytes, "fuzz.safetensors");
              float[] values = new float[float32.remaining() / 4];
              float32.duplicate().order(ByteOrder.nativeOrder()).asFloatBuffer().get(values);
              assertEquals(tensor.elements(), values.length);
              floats.put(tensor.name(), values);
            }
          }
        });
    long covered = 0;
    for (Safetensors.TensorInfo tensor : seen) {
      assertEquals(covered, tensor.begin());
      assertEquals(tensor.elements() * tensor.dtype().bits, 8 * tensor.bytes());
      covered = tensor.end();
    }
    assertEquals(file.length, header.dataStart() + covered);
    return floats;
  }

  private static byte[] mutate(byte[] valid, Random random) {
    long headerLength = ByteBuffer.wrap(valid, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    String header = new String(valid, 8, (int) headerLength, StandardCharsets.UTF_8);
    byte[] data = Arrays.copyOfRange(valid, 8 + (int) headerLength, valid.length);
    switch (random.nextInt(7)) {
      case 0 -> { // the length field
        byte[] copy = valid.clone();
        long value = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : random.nextLong();
        ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN).putLong(0, value);
        return copy;
      }
      case 1 -> { // one header byte
        byte[] copy = valid.clone();
        copy[8 + random.nextInt((int) headerLength)] = (byte) random.nextInt(256);
        return copy;
      }
      case 2 -> { // a number in the header: a shape or an offset
        return SafetensorsFiles.of(replaceNumber(header, random), data);
      }
      case 3 -> { // a dtype
        String from = "\"" + DTYPES.get(random.nextInt(DTYPES.size())) + "\"";
        String to = random.nextInt(8) == 0 ? "\"F128\"" : "\"" + DTYPES.get(random.nextInt(DTYPES.size())) + "\"";
        return SafetensorsFiles.of(header.replaceFirst(Pattern.quote(from), to), data);
      }
      case 4 -> { // the file's length
        int length = Math.max(0, valid.length + random.nextInt(41) - 20);
        return Arrays.copyOf(valid, length);
      }
      case 5 -> { // a header span cut out, length field kept consistent
        int from = random.nextInt(header.length());
        int to = Math.min(header.length(), from + 1 + random.nextInt(12));
        return SafetensorsFiles.of(header.substring(0, from) + header.substring(to), data);
      }
      default -> { // two numbers at once, so that sizes and spans can agree again
        return SafetensorsFiles.of(replaceNumber(replaceNumber(header, random), random), data);
      }
    }
  }

  private static String replaceNumber(String header, Random random) {
    List<int[]> numbers = new ArrayList<>();
    Matcher matcher = NUMBER.matcher(header);
    while (matcher.find()) {
      numbers.add(new int[] {matcher.start(), matcher.end()});
    }
    int[] span = numbers.get(random.nextInt(numbers.size()));
    java.math.BigInteger old = new java.math.BigInteger(header.substring(span[0], span[1]));
    String value = switch (random.nextInt(4)) {
      case 0 -> Long.toString(INTERESTING[random.nextInt(INTERESTING.length)]);
      case 1 -> old.add(java.math.BigInteger.valueOf(random.nextInt(9) - 4L)).toString();
      case 2 -> "-" + old;
      default -> "99999999999999999999";
    };
    return header.substring(0, span[0]) + value + header.substring(span[1]);
  }
}
