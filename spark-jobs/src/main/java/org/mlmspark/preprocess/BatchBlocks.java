package org.mlmspark.preprocess;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Streams {@code group_texts} over one split's rows sorted by (batch, position): each run of rows with the same
 * batch is one batch for a {@link BlockGrouper}. The last block of every batch carries the number of tokens the
 * batch dropped, so totals need no second pass.
 */
public final class BatchBlocks implements Iterator<BatchBlocks.Block> {

  /** One tokenized row with the batch it belongs to. */
  public record Row(long batch, int[] ids) {}

  /** @param tokensDropped remainder dropped after this block: non-zero only on a batch's last block */
  public record Block(int[] ids, int tokensDropped) {}

  private final Iterator<Row> rows;
  private final BlockGrouper grouper;
  private final ArrayDeque<Block> ready = new ArrayDeque<>();
  private boolean inBatch;
  private long batch;
  /** The batch's latest block, held back until we know whether it is the batch's last. */
  private int[] latest;

  public BatchBlocks(Iterator<Row> rows, int blockSize) {
    this.rows = rows;
    this.grouper = new BlockGrouper(blockSize);
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
    for (int[] block : grouper.add(row.ids())) {
      if (latest != null) {
        ready.add(new Block(latest, 0));
      }
      latest = block;
    }
  }

  private void endBatch() {
    BlockGrouper.BatchEnd end = grouper.finish();
    if (end.shortBlock() != null) {
      ready.add(new Block(end.shortBlock(), 0));
    } else if (latest != null) {
      ready.add(new Block(latest, end.tokensDropped()));
    }
    latest = null;
    inBatch = false;
  }
}
