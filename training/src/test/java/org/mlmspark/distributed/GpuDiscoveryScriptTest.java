package org.mlmspark.distributed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.apache.spark.resource.ResourceInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** conf/gpu-discovery.sh against a stand-in nvidia-smi; its output must parse as Spark parses it. */
class GpuDiscoveryScriptTest {
  private static final Path SCRIPT = Path.of(System.getProperty("project.root"), "conf", "gpu-discovery.sh");

  @TempDir
  Path bin;

  private record Run(int exitCode, String stdout) {}

  private Run discover(String fakeNvidiaSmiOutput, Map<String, String> env) throws Exception {
    if (fakeNvidiaSmiOutput != null) {
      Path fake = bin.resolve("nvidia-smi");
      Files.writeString(fake, "#!/bin/sh\nprintf '" + fakeNvidiaSmiOutput + "'\n");
      Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwxr-xr-x"));
    }
    ProcessBuilder builder = new ProcessBuilder("/bin/bash", SCRIPT.toString());
    builder.environment().put("PATH", bin.toString()); // no real nvidia-smi, even on a GPU host
    builder.environment().remove("CUDA_VISIBLE_DEVICES");
    builder.environment().putAll(env);
    Process process = builder.redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    return new Run(process.waitFor(), out);
  }

  private static List<String> addresses(Run run) {
    ResourceInformation gpu = ResourceInformation.parseJson(run.stdout());
    assertEquals("gpu", gpu.name());
    return List.of(gpu.addresses());
  }

  @Test
  void listsTheIndicesNvidiaSmiReports() throws Exception {
    Run run = discover("0\\n1\\n", Map.of());
    assertEquals(0, run.exitCode());
    assertEquals("{\"name\":\"gpu\",\"addresses\":[\"0\",\"1\"]}", run.stdout());
    assertEquals(List.of("0", "1"), addresses(run));
  }

  @Test
  void aHostWithoutGpusOffersNone() throws Exception {
    assertEquals(List.of(), addresses(discover("", Map.of())));
  }

  @Test
  void underCudaVisibleDevicesTheVisibleGpusAreNumberedFromZero() throws Exception {
    assertArrayEquals(new String[] {"0", "1"},
        addresses(discover("0\\n1\\n2\\n3\\n4\\n5\\n", Map.of("CUDA_VISIBLE_DEVICES", "3,5"))).toArray());
  }

  @Test
  void withoutNvidiaSmiTheScriptFails() throws Exception {
    assertNotEquals(0, discover(null, Map.of()).exitCode());
  }
}
