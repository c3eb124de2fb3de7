package org.mlmspark.preprocess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.apache.parquet.schema.Type;
import org.mlmspark.cli.UserError;
import org.mlmspark.eli5.Eli5Schema;
import org.mlmspark.storage.BoundedLineReader;
import org.mlmspark.storage.InputFiles.InputFile;
import org.mlmspark.storage.InputFiles;
import org.mlmspark.support.Json;

/** Tells the ELI5 layout from the first input file, on the driver, before Spark starts. */
final class Eli5SchemaDetector {
  private static final int LINES_TO_TRY = 1000;
  /** Longer lines are not looked at: the layout shows in any ordinary record. */
  private static final int MAX_LINE_BYTES = 1 << 20;
  private static final ObjectMapper JSON = Json.mapper();

  private Eli5SchemaDetector() {}

  static Eli5Schema detect(InputFile file, Configuration conf) throws IOException {
    Path path = new Path(file.uri());
    if (file.format() == InputFiles.Format.PARQUET) {
      try (ParquetFileReader reader = ParquetFileReader.open(HadoopInputFile.fromPath(path, conf))) {
        return Eli5Schema.detect(
            reader.getFooter().getFileMetaData().getSchema().getFields().stream().map(Type::getName).iterator());
      }
    }
    CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(path);
    try (InputStream raw = path.getFileSystem(conf).open(path);
        BoundedLineReader lines =
            new BoundedLineReader(codec == null ? raw : codec.createInputStream(raw), 0, MAX_LINE_BYTES)) {
      for (int i = 0; i < LINES_TO_TRY; i++) {
        BoundedLineReader.Line line = lines.next();
        if (line == null) {
          break;
        }
        JsonNode record = line.tooLong() ? null : parseOrNull(new String(line.bytes(), StandardCharsets.UTF_8));
        if (record != null && record.isObject()) {
          return Eli5Schema.detect(record);
        }
      }
    }
    throw new UserError(
        "cannot tell the ELI5 schema of " + file.uri() + ": no JSON object in its first " + LINES_TO_TRY
            + " lines; pass --schema eli5 or --schema eli5_category");
  }

  private static JsonNode parseOrNull(String line) {
    try {
      return JSON.readTree(line);
    } catch (IOException e) {
      return null;
    }
  }
}
