package org.mlmspark.preprocess;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.mlmspark.preprocess.RowIndexPlan.Rank;
import org.mlmspark.preprocess.RowIndexPlan.Unit;
import org.mlmspark.preprocess.RowIndexPlan.UnitTally;

/**
 * What the one pass over the input keeps of each record ({@link Selector}), encoded as compact bytes: the pass is
 * persisted to local disk and read again by the per-split grouping stages, and bytes go through any Spark
 * serializer unchanged (Kryo 4 cannot rebuild records). The first byte tells the kind, and for a question its
 * split, so a stage skips the other split's questions without decoding them.
 */
public sealed interface Selected {
  byte TRAIN = 0;
  byte TEST = 1;
  byte REJECT = 2;
  byte SUMMARY = 3;

  /** A selected question: where it came from, its rank there, its split and its joined answer text. */
  record Question(Unit unit, Rank rank, boolean test, String text) implements Selected {}

  /** A record that could not be used, with everything {@code _rejects/} shows. */
  record Reject(String reason, String detail, String file, byte[] raw) implements Selected {}

  /**
   * A partition's counts, emitted after its last record.
   *
   * @param read records read, rejects included
   * @param rejectedByReason reject counts by reason code (reasons without rejects left out)
   * @param units selected rows per file split
   */
  record Summary(long read, Map<String, Long> rejectedByReason, List<UnitTally> units)
      implements Selected, Serializable {}

  /** The kind byte of an encoded record: {@link #TRAIN}, {@link #TEST}, {@link #REJECT} or {@link #SUMMARY}. */
  static byte kind(byte[] encoded) {
    return encoded[0];
  }

  static byte[] encode(Selected record) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(record instanceof Question q ? q.text().length() + 96 : 256);
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      if (record instanceof Question q) {
        out.writeByte(q.test() ? TEST : TRAIN);
        writeString(out, q.unit().file());
        out.writeLong(q.unit().start());
        out.writeLong(q.rank().row());
        out.writeLong(q.rank().inSplit());
        writeString(out, q.text());
      } else if (record instanceof Reject r) {
        out.writeByte(REJECT);
        writeString(out, r.reason());
        writeString(out, r.detail());
        writeString(out, r.file());
        out.writeInt(r.raw().length);
        out.write(r.raw());
      } else {
        // One per partition and small: plain Java serialization is simplest.
        out.writeByte(SUMMARY);
        ObjectOutputStream object = new ObjectOutputStream(out);
        object.writeObject(record);
        object.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e); // writing to memory
    }
    return bytes.toByteArray();
  }

  static Selected decode(byte[] encoded) {
    try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(encoded))) {
      byte kind = in.readByte();
      return switch (kind) {
        case TRAIN, TEST -> {
          Unit unit = new Unit(readString(in), in.readLong());
          Rank rank = new Rank(in.readLong(), in.readLong());
          yield new Question(unit, rank, kind == TEST, readString(in));
        }
        case REJECT -> new Reject(readString(in), readString(in), readString(in), in.readNBytes(in.readInt()));
        case SUMMARY -> (Summary) new ObjectInputStream(in).readObject();
        default -> throw new IllegalArgumentException("not an encoded record: kind " + kind);
      };
    } catch (IOException | ClassNotFoundException e) {
      throw new IllegalArgumentException("not an encoded record", e);
    }
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }

  private static String readString(DataInputStream in) throws IOException {
    return new String(in.readNBytes(in.readInt()), StandardCharsets.UTF_8);
  }
}
