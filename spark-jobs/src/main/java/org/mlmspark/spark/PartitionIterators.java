package org.mlmspark.spark;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Lazy, order-keeping transforms of a partition's iterator, for {@code mapPartitions} functions. */
public final class PartitionIterators {
  private PartitionIterators() {}

  /** Maps each element; elements mapped to null are left out. */
  public static <A, B> Iterator<B> map(Iterator<A> in, Function<A, B> f) {
    return stream(in).map(f).filter(Objects::nonNull).iterator();
  }

  /** Maps consecutive chunks of up to {@code size} elements at once (for batch calls such as tokenizing). */
  public static <A, B> Iterator<B> mapChunks(Iterator<A> in, int size, Function<List<A>, List<B>> f) {
    Iterator<List<A>> chunks =
        new Iterator<>() {
          @Override
          public boolean hasNext() {
            return in.hasNext();
          }

          @Override
          public List<A> next() {
            List<A> chunk = new ArrayList<>(size);
            while (chunk.size() < size && in.hasNext()) {
              chunk.add(in.next());
            }
            return chunk;
          }
        };
    return stream(chunks).flatMap(chunk -> f.apply(chunk).stream()).iterator();
  }

  private static <T> Stream<T> stream(Iterator<T> in) {
    return StreamSupport.stream(Spliterators.spliteratorUnknownSize(in, Spliterator.ORDERED), false);
  }
}
