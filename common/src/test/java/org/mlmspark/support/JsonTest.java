package org.mlmspark.support;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class JsonTest {
  @Test
  void prettyWritesWhatAMapperWithIndentOutputWrites() throws Exception {
    ObjectNode node = Json.mapper().createObjectNode().put("a", 1).put("b", "x");
    node.putArray("c").add(1.5).add(true);
    node.putObject("d").putNull("e");
    assertArrayEquals(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsBytes(node),
        Json.pretty().writeValueAsBytes(node));
    assertArrayEquals(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(node),
        Json.pretty().writeValueAsBytes(node));
    assertArrayEquals(new ObjectMapper().writeValueAsBytes(node), Json.mapper().writeValueAsBytes(node));
  }
}
