package org.mlmspark.train.report;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;

/**
 * TensorBoard's event-file records, byte for byte as PyTorch's {@code SummaryWriter} writes them: TFRecord
 * framing (little-endian uint64 length, masked CRC32C of the length, the data, masked CRC32C of the data) around
 * a serialized {@code tensorboard.Event} protobuf. Proto3 fields at their default value are left out, as
 * protobuf's own serializer leaves them out.
 *
 * <p>The messages written (field numbers of tensorboard/compat/proto): {@code Event} (wall_time 1, step 2,
 * file_version 3, summary 5, session_log 7, source_metadata 10), {@code Summary.Value} (tag 1, simple_value 2, tensor 8, metadata 9),
 * {@code SummaryMetadata.PluginData} (plugin_name 1), {@code TensorProto} (dtype 1, tensor_shape 2, string_val
 * 8), {@code SessionLog} (status 1), {@code SourceMetadata} (writer 1).
 */
public final class TensorBoardEvents {
  /** The first record of every event file: the format version TensorBoard expects. */
  public static final String FILE_VERSION = "brain.Event:2";

  /** Who wrote the file, in the first record (TensorBoard's own writer puts its module name there). */
  public static final String WRITER = "mlm-spark";

  private static final int DT_STRING = 7;
  private static final int SESSION_START = 1;
  private static final int MASK_DELTA = 0xa282ead8;

  private TensorBoardEvents() {}

  /** The record that opens an event file. */
  public static byte[] fileVersion(double wallTime) {
    byte[] source = message(out -> out.writeString(1, WRITER));
    return record(message(out -> {
      out.writeDouble(1, wallTime);
      out.writeString(3, FILE_VERSION);
      out.writeByteArray(10, source);
    }));
  }

  /** {@code add_scalar(tag, value, step)}: one {@code simple_value}, a float32 as TensorBoard stores it. */
  public static byte[] scalar(double wallTime, long step, String tag, double value) {
    byte[] summaryValue = message(out -> {
      out.writeString(1, tag);
      out.writeFloat(2, (float) value);
    });
    return record(event(wallTime, step, 5, message(out -> out.writeByteArray(1, summaryValue))));
  }

  /** {@code add_text(tag, text, step)}: a one-element string tensor for the text plugin, tag + "/text_summary". */
  public static byte[] text(double wallTime, long step, String tag, String text) {
    byte[] pluginData = message(out -> out.writeString(1, "text")); // TextPluginData(version=0) is empty
    byte[] metadata = message(out -> out.writeByteArray(1, pluginData));
    byte[] dim = message(out -> out.writeInt64(1, 1));
    byte[] shape = message(out -> out.writeByteArray(2, dim));
    byte[] tensor = message(out -> {
      out.writeEnum(1, DT_STRING);
      out.writeByteArray(2, shape);
      out.writeByteArray(8, text.getBytes(StandardCharsets.UTF_8));
    });
    byte[] summaryValue = message(out -> {
      out.writeString(1, tag + "/text_summary");
      out.writeByteArray(8, tensor);
      out.writeByteArray(9, metadata);
    });
    return record(event(wallTime, step, 5, message(out -> out.writeByteArray(1, summaryValue))));
  }

  /**
   * A session (re)start at {@code step}: TensorBoard then drops every point at this step or later that earlier
   * files of the run hold (PyTorch's {@code SummaryWriter(purge_step=step)}), so a resumed run's points replace
   * those its crashed predecessor logged after its last checkpoint.
   */
  public static byte[] sessionStart(double wallTime, long step) {
    return record(event(wallTime, step, 7, message(out -> out.writeEnum(1, SESSION_START))));
  }

  /** TFRecord framing of one serialized record. */
  public static byte[] record(byte[] data) {
    ByteBuffer framed = ByteBuffer.allocate(8 + 4 + data.length + 4).order(ByteOrder.LITTLE_ENDIAN);
    framed.putLong(data.length);
    framed.putInt(maskedCrc32c(framed.array(), 0, 8));
    framed.put(data);
    framed.putInt(maskedCrc32c(data, 0, data.length));
    return framed.array();
  }

  /** TFRecord's masked CRC32C: rotated right by 15 bits plus a constant, so CRCs of CRCs stay well-mixed. */
  static int maskedCrc32c(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    int value = (int) crc.getValue();
    return ((value >>> 15) | (value << 17)) + MASK_DELTA;
  }

  /** An Event with one member of its {@code what} oneof (field {@code whatField}, a message or string). */
  private static byte[] event(double wallTime, long step, int whatField, byte[] what) {
    return message(out -> {
      if (wallTime != 0) {
        out.writeDouble(1, wallTime);
      }
      if (step != 0) {
        out.writeInt64(2, step);
      }
      out.writeByteArray(whatField, what);
    });
  }

  private interface Fields {
    void write(CodedOutputStream out) throws IOException;
  }

  private static byte[] message(Fields fields) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    CodedOutputStream out = CodedOutputStream.newInstance(bytes);
    try {
      fields.write(out);
      out.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }
}
