package org.refinepoi.rl.policy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Test helper: every ordered selection of k of n positions (all rankings of length k). */
public final class Rankings {

  private Rankings() {}

  /** All rankings of {@code k} distinct positions out of {@code n}. */
  public static List<int[]> all(int n, int k) {
    List<int[]> out = new ArrayList<>();
    extend(new int[0], n, k, out);
    return out;
  }

  private static void extend(int[] prefix, int n, int k, List<int[]> out) {
    if (prefix.length == k) {
      out.add(prefix);
      return;
    }
    for (int i = 0; i < n; i++) {
      final int candidate = i;
      if (Arrays.stream(prefix).noneMatch(p -> p == candidate)) {
        int[] next = Arrays.copyOf(prefix, prefix.length + 1);
        next[prefix.length] = i;
        extend(next, n, k, out);
      }
    }
  }
}
