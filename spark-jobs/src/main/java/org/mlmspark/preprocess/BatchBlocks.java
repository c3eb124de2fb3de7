package org.mlmspark.preprocess;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;

/**
 * Streams {@code group_texts} over one split's rows sorted by (batch, position): each run of rows with the same
 * batch is one batch for a {@link BlockGrouper}. The last block of every batch carries the number of tokens the
 * batch dropped, so totals need no second pass.
 */
public final class BatchBlocks implements Iterator<BatchBlocks.Block> {

  /** One tokenized row with the batch it belongs to; {@code wordStarts} per token, or null. */
  public record Row(long batch, int[] ids, int[] wordStarts) {
    public Row(long batch, int[] ids) {
      this(batch, ids, null);
    }
  }

  /**
   * @param wordStarts    the block's word-start flags, cut as its ids are, or null when the rows carry none
   * @param tokensDropped remainder dropped after this block: non-zero only on a batch's last block
   */
  public record Block(int[] ids, int[] wordStarts, int tokensDropped) {}

  private final Iterator<Row> rows;
  private final BlockGrouper grouper;
  /** Cuts the rows' word starts exactly where {@link #grouper} cuts their ids. */
  private final BlockGrouper wordStartGrouper;
  private final ArrayDeque<Block> ready = new ArrayDeque<>();
  private boolean inBatch;
  private long batch;
  /** The batch's latest block, held back until we know whether it is the batch's last. */
  private int[] latest;
  private int[] latestWordStarts;

  public BatchBlocks(Iterator<Row> rows, int blockSize) {
    this.rows = rows;
    this.grouper = new BlockGrouper(blockSize);
    this.wordStartGrouper = new BlockGrouper(blockSize);
  }

  @Override
  public boolean hasNext() {
    while (ready.isEmpty() && (rows.hasNext() || inBatch)) {
      if (rows.hasNext()) {
        add(rows.next());
      } else {
        endBatch();
      }
    }
    return !ready.isEmpty();
  }

  @Override
  public Block next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    return ready.poll();
  }

  private void add(Row row) {
    if (inBatch && row.batch() != batch) {
      endBatch();
    }
    if (!inBatch) {
      inBatch = true;
      batch = row.batch();
    }
    List<int[]> blocks = grouper.add(row.ids());
    List<int[]> wordStarts = row.wordStarts() == null ? null : wordStartGrouper.add(row.wordStarts());
    for (int i = 0; i < blocks.size(); i++) {
      if (latest != null) {
        ready.add(new Block(latest, latestWordStarts, 0));
      }
      latest = blocks.get(i);
      latestWordStarts = wordStarts == null ? null : wordStarts.get(i);
    }
  }

  private void endBatch() {
    BlockGrouper.BatchEnd end = grouper.finish();
    int[] shortWordStarts = wordStartGrouper.finish().shortBlock();
    if (end.shortBlock() != null) {
      ready.add(new Block(end.shortBlock(), shortWordStarts, 0));
    } else if (latest != null) {
      ready.add(new Block(latest, latestWordStarts, end.tokensDropped()));
    }
    latest = null;
    latestWordStarts = null;
    inBatch = false;
  }
}
