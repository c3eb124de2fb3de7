package org.mlmspark.cli;

import java.util.Comparator;
import java.util.List;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Finds the first argument that looks like an option the command does not have, and the known flag it was
 * probably meant to be. Checked before parsing, so a typo is named instead of the required option it hid.
 */
final class UnknownOption {
  private UnknownOption() {}

  /** @return {@code unknown option --inptu (did you mean --input?)}, or null when every option is known */
  static String find(CommandSpec spec, String... args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        return null;
      }
      if (!looksLikeOption(arg)) {
        continue;
      }
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      OptionSpec option = spec.findOption(name);
      if (option == null) {
        String closest = closest(name, spec.options().stream().flatMap(o -> List.of(o.names()).stream()).toList());
        return "unknown option " + name + (closest == null ? "" : " (did you mean " + closest + "?)");
      }
      if (!arg.contains("=") && option.arity().max() > 0) {
        i += option.arity().min(); // its value may start with '-' (a negative number)
      }
    }
    return null;
  }

  private static boolean looksLikeOption(String arg) {
    if (arg.length() < 2 || arg.charAt(0) != '-') {
      return false;
    }
    try {
      Double.parseDouble(arg);
      return false;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  /** The known name nearest in edit distance, when near enough to be a typo of it. */
  static String closest(String typo, List<String> known) {
    return known.stream()
        .filter(k -> distance(typo, k) <= Math.max(2, typo.length() / 3))
        .min(Comparator.comparingInt((String k) -> distance(typo, k)).thenComparing(k -> -k.length()))
        .orElse(null);
  }

  /** Optimal string alignment distance: Levenshtein plus transpositions, the commonest typo. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
