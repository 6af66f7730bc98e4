package org.refinepoi.som.backend;

import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.refinepoi.core.math.FloatMatrix;

/**
 * The units of a codebook whose prototypes are equal (value for value, {@code -0.0 == 0.0}): the
 * exact ties of the BMU search. Every sample is exactly as far from each unit of such a group, so
 * the tie rule of {@link SomBackend} decides: the BMU is the group's lowest index, and when the BMU
 * has duplicates the second-best unit is the next index of its group. A backend whose arithmetic
 * might not give equal prototypes bit-identical scores (a BLAS that orders a product's terms by
 * column position, say) searches the {@linkplain #isCanonical canonical} units only and takes the
 * second from {@link #next}, so exact ties follow the rule whatever its rounding.
 */
public final class DuplicatePrototypes {

  private final int[] canonical;
  private final int[] next;
  private final boolean any;

  private DuplicatePrototypes(int[] canonical, int[] next, boolean any) {
    this.canonical = canonical;
    this.next = next;
    this.any = any;
  }

  /** Finds the groups of equal prototypes of a codebook (one hash pass over its rows). */
  public static DuplicatePrototypes of(FloatMatrix codebook) {
    checkNotNull(codebook, "codebook");
    int m = codebook.rows();
    int d = codebook.cols();
    float[] w = codebook.unsafeData();
    int[] canonical = new int[m];
    int[] next = new int[m];
    int[] last = new int[m];
    Arrays.fill(next, -1);
    Map<Row, Integer> first = new HashMap<>();
    boolean any = false;
    for (int j = 0; j < m; j++) {
      Integer c = first.putIfAbsent(new Row(w, j * d, d), j);
      if (c == null) {
        canonical[j] = j;
        last[j] = j;
      } else {
        any = true;
        canonical[j] = c;
        next[last[c]] = j;
        last[c] = j;
      }
    }
    return new DuplicatePrototypes(canonical, next, any);
  }

  /** Whether any two units have equal prototypes. */
  public boolean any() {
    return any;
  }

  /** Whether unit {@code j} is the lowest index of its group (the only one a search must see). */
  public boolean isCanonical(int j) {
    return canonical[j] == j;
  }

  /** The lowest index whose prototype equals unit {@code j}'s ({@code j} itself when none). */
  public int canonical(int j) {
    return canonical[j];
  }

  /** The next higher index whose prototype equals unit {@code j}'s, or -1. */
  public int next(int j) {
    return next[j];
  }

  /**
   * Applies the rule to a search over the canonical units: where the best unit has a duplicate, the
   * second-best unit becomes that duplicate (same distance, next index). Changes {@code second} in
   * place.
   */
  public void fixSeconds(int[] best, int[] second) {
    if (!any) {
      return;
    }
    for (int i = 0; i < best.length; i++) {
      int dup = next[best[i]];
      if (dup >= 0) {
        second[i] = dup;
      }
    }
  }

  /** One codebook row as a hash key; -0.0 and 0.0 are equal, as the distances they give. */
  private record Row(float[] w, int offset, int length) {

    private static int bits(float v) {
      return v == 0f ? 0 : Float.floatToIntBits(v);
    }

    @Override
    public boolean equals(Object o) {
      if (!(o instanceof Row r) || r.length != length) {
        return false;
      }
      for (int c = 0; c < length; c++) {
        if (bits(w[offset + c]) != bits(r.w[r.offset + c])) {
          return false;
        }
      }
      return true;
    }

    @Override
    public int hashCode() {
      int h = 1;
      for (int c = 0; c < length; c++) {
        h = 31 * h + bits(w[offset + c]);
      }
      return h;
    }
  }
}
