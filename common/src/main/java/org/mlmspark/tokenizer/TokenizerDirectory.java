package org.mlmspark.tokenizer;

import org.apache.hadoop.fs.Path;

/**
 * A directory of HF tokenizer files resolved from what the user named.
 *
 * @param id        the hub id or path as given
 * @param directory where the files are (any Hadoop file system), qualified
 * @param source    which copy was used, in a few words: a hub commit, the HF cache, the bundled copy, or a path
 */
public record TokenizerDirectory(String id, Path directory, String source) {
  /** One short line for the log. */
  public String describe() {
    return "tokenizer " + id + " (" + source + ")";
  }
}
