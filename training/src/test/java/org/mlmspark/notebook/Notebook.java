package org.mlmspark.notebook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Jupyter notebook (nbformat 4) as far as running it needs: its kernelspec and its cells in order. */
record Notebook(JsonNode kernelspec, List<Cell> cells) {

  /**
   * @param number  the cell's position in the notebook, from 1, as a reader counts them
   * @param outputs the outputs stored in the file (none in a committed notebook)
   */
  record Cell(int number, String type, String source, JsonNode outputs) {
    boolean isCode() {
      return "code".equals(type);
    }
  }

  static Notebook read(Path file) throws IOException {
    JsonNode root = new ObjectMapper().readTree(Files.readAllBytes(file));
    if (root.path("nbformat").asInt() != 4) {
      throw new IOException(file + " is not an nbformat 4 notebook");
    }
    List<Cell> cells = new ArrayList<>();
    for (JsonNode cell : root.path("cells")) {
      cells.add(new Cell(cells.size() + 1, cell.path("cell_type").asText(), source(cell.path("source")),
          cell.path("outputs")));
    }
    return new Notebook(root.path("metadata").path("kernelspec"), cells);
  }

  List<Cell> codeCells() {
    return cells.stream().filter(Cell::isCode).toList();
  }

  /** nbformat stores a cell's source as one string or as a list of lines that keep their newlines. */
  private static String source(JsonNode source) {
    if (source.isTextual()) {
      return source.asText();
    }
    StringBuilder text = new StringBuilder();
    source.forEach(line -> text.append(line.asText()));
    return text.toString();
  }
}
