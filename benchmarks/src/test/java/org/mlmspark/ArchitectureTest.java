package org.mlmspark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the production code (the class directories of common, spark-jobs and training), read from the
 * bytecode with the JDK's {@code jdeps}: packages depend on each other without cycles, only command packages
 * ({@code *.cli}) use picocli, and no benchmark code or Python baseline ships in them.
 */
class ArchitectureTest {
  private static final List<String> MODULES = List.of("common", "spark-jobs", "training");
  private static final String PROJECT_PACKAGE = "org.mlmspark";
  /** {@code   org.mlmspark.model   -> org.mlmspark.model.blocks   classes} (package) or the same with class names. */
  private static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.*$");

  private static List<Path> classDirs;
  /** package → the packages it uses (project and third-party), from {@code jdeps -verbose:package}. */
  private static Map<String, Set<String>> uses;

  @BeforeAll
  static void readDependencies() {
    String rootProperty = System.getProperty("project.root");
    assertTrue(rootProperty != null, "system property project.root is not set (surefire sets it)");
    Path root = Path.of(rootProperty);
    classDirs = MODULES.stream().map(m -> root.resolve(m).resolve("target/classes")).toList();
    for (Path dir : classDirs) {
      assertTrue(Files.isDirectory(dir), dir + " does not exist: build the production modules first");
    }
    uses = edges(jdeps("-verbose:package"));
    assertTrue(uses.keySet().containsAll(List.of("org.mlmspark.cli", "org.mlmspark.preprocess",
        "org.mlmspark.model", "org.mlmspark.train")), "jdeps output not understood: " + uses.keySet());
  }

  @Test
  void packagesDependOnEachOtherWithoutCycles() {
    Map<String, Set<String>> project = new TreeMap<>();
    uses.forEach((from, targets) -> {
      if (isProject(from)) {
        project.put(from, targets.stream().filter(ArchitectureTest::isProject)
            .filter(to -> !to.equals(from)).collect(Collectors.toCollection(TreeSet::new)));
      }
    });
    List<List<String>> cycles = new ArrayList<>();
    for (Set<String> component : stronglyConnectedComponents(project)) {
      if (component.size() > 1) {
        cycles.add(cycleWithin(component, project));
      }
    }
    assertTrue(cycles.isEmpty(), () -> describe(cycles));
  }

  @Test
  void onlyCommandPackagesUsePicocli() {
    Set<String> offenders = new TreeSet<>();
    uses.forEach((from, targets) -> {
      if (isProject(from) && !from.endsWith(".cli")
          && targets.stream().anyMatch(to -> to.equals("picocli") || to.startsWith("picocli."))) {
        offenders.add(from);
      }
    });
    assertEquals(Set.of(), offenders, "packages outside *.cli that use picocli (commands live in *.cli)");
  }

  @Test
  void noBenchmarkCodeOrPythonShipsInProductionJars() {
    List<String> found = new ArrayList<>();
    for (Path dir : classDirs) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.filter(Files::isRegularFile).forEach(file -> {
          String name = file.getFileName().toString();
          if ((name.endsWith(".class") && name.contains("Benchmark")) || name.endsWith(".py")) {
            found.add(dir.relativize(file).toString() + " (" + dir + ")");
          }
        });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    assertEquals(List.of(), found, "benchmark classes and Python files belong in benchmarks/");
  }

  private static boolean isProject(String pkg) {
    return pkg.equals(PROJECT_PACKAGE) || pkg.startsWith(PROJECT_PACKAGE + ".");
  }

  /** jdeps over the production class directories; dependencies outside them show as "not found", by name. */
  private static String jdeps(String verbosity) {
    ToolProvider tool = ToolProvider.findFirst("jdeps")
        .orElseThrow(() -> new IllegalStateException("this JDK has no jdeps tool (module jdk.jdeps)"));
    List<String> args = new ArrayList<>(List.of(verbosity));
    classDirs.forEach(dir -> args.add(dir.toString()));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = tool.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
    assertEquals(0, exit, () -> "jdeps " + String.join(" ", args) + " failed:\n" + err + out);
    return out.toString();
  }

  private static Map<String, Set<String>> edges(String jdepsOutput) {
    Map<String, Set<String>> edges = new TreeMap<>();
    for (String line : jdepsOutput.split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (m.matches()) {
        edges.computeIfAbsent(m.group(1), k -> new TreeSet<>()).add(m.group(2));
      }
    }
    return edges;
  }

  /** Tarjan's algorithm; every node of {@code graph} (keys and targets) lies in exactly one component. */
  private static List<Set<String>> stronglyConnectedComponents(Map<String, Set<String>> graph) {
    Map<String, Integer> index = new HashMap<>();
    Map<String, Integer> low = new HashMap<>();
    List<String> stack = new ArrayList<>();
    Set<String> onStack = new HashSet<>();
    List<Set<String>> components = new ArrayList<>();
    for (String node : graph.keySet()) {
      if (!index.containsKey(node)) {
        connect(node, graph, index, low, stack, onStack, components);
      }
    }
    return components;
  }

  private static void connect(String node, Map<String, Set<String>> graph, Map<String, Integer> index,
      Map<String, Integer> low, List<String> stack, Set<String> onStack, List<Set<String>> components) {
    index.put(node, index.size());
    low.put(node, index.get(node));
    stack.add(node);
    onStack.add(node);
    for (String next : graph.getOrDefault(node, Set.of())) {
      if (!index.containsKey(next)) {
        connect(next, graph, index, low, stack, onStack, components);
        low.put(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.contains(next)) {
        low.put(node, Math.min(low.get(node), index.get(next)));
      }
    }
    if (low.get(node).equals(index.get(node))) {
      Set<String> component = new TreeSet<>();
      String member;
      do {
        member = stack.remove(stack.size() - 1);
        onStack.remove(member);
        component.add(member);
      } while (!member.equals(node));
      components.add(component);
    }
  }

  /** One cycle through the component's first package: a shortest path back to it, start repeated at the end. */
  private static List<String> cycleWithin(Set<String> component, Map<String, Set<String>> graph) {
    String start = component.iterator().next();
    Map<String, String> parent = new HashMap<>();
    List<String> queue = new ArrayList<>(List.of(start));
    for (int i = 0; i < queue.size(); i++) {
      String node = queue.get(i);
      for (String next : graph.getOrDefault(node, Set.of())) {
        if (next.equals(start)) {
          List<String> cycle = new ArrayList<>(List.of(start));
          for (String n = node; parent.containsKey(n); n = parent.get(n)) {
            cycle.add(1, n);
          }
          cycle.add(start);
          return cycle;
        }
        if (component.contains(next) && !parent.containsKey(next) && !next.equals(start)) {
          parent.put(next, node);
          queue.add(next);
        }
      }
    }
    throw new IllegalStateException("no cycle through " + start + " in " + component);
  }

  /** The cycles, each edge with the class dependencies that make it (from {@code jdeps -verbose:class}). */
  private static String describe(List<List<String>> cycles) {
    Map<String, Set<String>> classUses = edges(jdeps("-verbose:class"));
    StringBuilder text = new StringBuilder("package cycles in the production code:");
    for (List<String> cycle : cycles) {
      text.append("\n  ").append(String.join(" -> ", cycle));
      for (int i = 0; i + 1 < cycle.size(); i++) {
        String from = cycle.get(i);
        String to = cycle.get(i + 1);
        text.append("\n    ").append(from).append(" -> ").append(to).append(':');
        classUses.forEach((fromClass, toClasses) -> {
          if (packageOf(fromClass).equals(from)) {
            toClasses.stream().filter(c -> packageOf(c).equals(to)).forEach(
                c -> text.append("\n      ").append(fromClass).append(" -> ").append(c));
          }
        });
      }
    }
    return text.toString();
  }

  private static String packageOf(String className) {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }
}
