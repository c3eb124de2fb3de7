package org.mlmspark.tokenizer;

import org.apache.hadoop.fs.Path;

/**
 * A directory of HF tokenizer files resolved from what the user named.
 *
 * @param id        the hub id or path as given, or the built-in tokenizer's id when it stood in
 * @param directory where the files are (any Hadoop file system), qualified
 * @param reason    one line for the log: why this tokenizer was chosen (e.g. an offline fallback)
 */
public record TokenizerDirectory(String id, Path directory, String reason) {}
