package org.mlmspark.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * The project's Jackson mapper, with Jackson's default settings, shared by every class that reads or writes plain
 * JSON. An {@link ObjectMapper} is thread-safe once configured, so this one is never reconfigured: a caller that
 * needs other settings derives an {@link ObjectWriter} or {@code ObjectReader} from it ({@link #pretty}) or keeps
 * a mapper of its own.
 */
public final class Json {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final ObjectWriter PRETTY = MAPPER.writer(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  /** The shared mapper: trees, reading, writing compact JSON. Not to be reconfigured. */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /** Writes indented JSON (Jackson's default pretty printer), as a mapper with {@code INDENT_OUTPUT} does. */
  public static ObjectWriter pretty() {
    return PRETTY;
  }
}
