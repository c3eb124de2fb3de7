package org.mlmspark.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.mlmspark.support.Json;

/**
 * Reads the chrome trace torch's profiler writes ({@code JniUtils.stopProfile}) and totals each operator's self
 * time: its duration less that of the operators it called (events of one thread nest by time). Autograd's
 * backward nodes call the ATen kernels that do the work, so self time is where the time went.
 */
public final class TorchProfile {
  /** One operator name's totals. */
  public record Operator(String name, long calls, double selfMillis) {}

  private record Event(String name, double start, double end) {}

  private TorchProfile() {}

  public static List<Operator> operators(Path trace) throws IOException {
    JsonNode root = Json.mapper().readTree(trace.toFile());
    JsonNode events = root.isArray() ? root : root.path("traceEvents");
    Map<String, List<Event>> byThread = new HashMap<>();
    for (JsonNode e : events) {
      if ("X".equals(e.path("ph").asText())) {
        double start = e.path("ts").asDouble();
        byThread.computeIfAbsent(e.path("tid").asText(), t -> new ArrayList<>())
            .add(new Event(e.path("name").asText(), start, start + e.path("dur").asDouble()));
      }
    }
    Map<String, double[]> totals = new HashMap<>(); // name → {calls, self µs}
    for (List<Event> thread : byThread.values()) {
      thread.sort(Comparator.comparingDouble(Event::start).thenComparing(Comparator.comparingDouble(Event::end)
          .reversed()));
      Deque<Event> open = new ArrayDeque<>();
      for (Event event : thread) {
        while (!open.isEmpty() && open.peek().end() <= event.start()) {
          open.pop();
        }
        if (!open.isEmpty()) {
          totals.get(open.peek().name())[1] -= event.end() - event.start();
        }
        double[] total = totals.computeIfAbsent(event.name(), n -> new double[2]);
        total[0]++;
        total[1] += event.end() - event.start();
        open.push(event);
      }
    }
    List<Operator> operators = new ArrayList<>();
    totals.forEach((name, t) -> operators.add(new Operator(name, (long) t[0], t[1] / 1000)));
    operators.sort(Comparator.comparingDouble(Operator::selfMillis).reversed());
    return operators;
  }

  public static void printTopOperators(Path trace, int top, PrintStream out) throws IOException {
    List<Operator> operators = operators(trace);
    double total = operators.stream().mapToDouble(Operator::selfMillis).sum();
    out.printf(Locale.ROOT, "  torch operators of the profiled step (self time, %.0f ms in all; trace: %s)%n", total,
        trace);
    for (Operator op : operators.subList(0, Math.min(top, operators.size()))) {
      out.printf(Locale.ROOT, "    %9.1f ms %5.1f%% %5d x  %s%n", op.selfMillis(), 100 * op.selfMillis() / total,
          op.calls(), op.name());
    }
  }
}
