package org.mlmspark.hub;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The fake hub as a process, for recording what another client sends it ({@code tools/hub/record_upload.py}
 * drives it with {@code huggingface_hub}): prints its endpoint, serves until stdin closes, then writes the
 * {@link FakeHub#recording recording} of the requests made for {@code REPO}.
 *
 * <p>Usage: {@code FakeHubServer USER TOKEN REPO RECORDING.json [MULTIPART_ABOVE CHUNK_SIZE]}
 */
public final class FakeHubServer {
  private FakeHubServer() {}

  public static void main(String[] args) throws IOException {
    try (FakeHub hub = new FakeHub().user(args[0], args[1])) {
      if (args.length > 5) {
        hub.multipart(Long.parseLong(args[4]), Long.parseLong(args[5]));
      }
      System.out.println(hub.endpoint());
      System.out.flush();
      System.in.transferTo(java.io.OutputStream.nullOutputStream());
      Files.write(Path.of(args[3]), new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValueAsBytes(hub.recording(args[2])));
    }
  }
}
