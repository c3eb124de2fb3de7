package org.mlmspark.train;

import ai.djl.ndarray.BaseNDManager;
import ai.djl.ndarray.NDManager;
import java.lang.reflect.Field;
import java.util.Map;

/** Counts what DJL keeps alive: NDArrays and managers under the engine's root manager. */
public final class LiveResources {
  /** What is alive at one moment. */
  public record Count(int arrays, int managers) {}

  private LiveResources() {}

  public static Count now() {
    try (NDManager probe = NDManager.newBaseManager()) {
      NDManager root = probe.getParentManager();
      return new Count(root.getManagedArrays().size() , managers(root) - 1); // less the probe
    }
  }

  private static int managers(NDManager manager) {
    int count = 1;
    for (Object resource : resources(manager).values()) {
      if (resource instanceof NDManager child) {
        count += managers(child);
      }
    }
    return count;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, AutoCloseable> resources(NDManager manager) {
    try {
      Field field = BaseNDManager.class.getDeclaredField("resources");
      field.setAccessible(true);
      return (Map<String, AutoCloseable>) field.get(manager);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("DJL's BaseNDManager has no resources map", e);
    }
  }
}
