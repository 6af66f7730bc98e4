package org.refinepoi.spark;

import java.util.ArrayList;
import java.util.List;

/** Array values for external rows: Spark's row encoders take Scala sequences, not Java lists. */
final class Seqs {

  private Seqs() {}

  static scala.collection.immutable.Seq<Object> of(List<?> values) {
    List<Object> copy = new ArrayList<>(values);
    return scala.jdk.javaapi.CollectionConverters.asScala(copy).toSeq();
  }

  static scala.collection.immutable.Seq<Object> of(int[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (int v : values) {
      out.add(v);
    }
    return of(out);
  }

  static scala.collection.immutable.Seq<Object> of(float[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (float v : values) {
      out.add(v);
    }
    return of(out);
  }

  static scala.collection.immutable.Seq<Object> of(double[] values) {
    List<Object> out = new ArrayList<>(values.length);
    for (double v : values) {
      out.add(v);
    }
    return of(out);
  }
}
