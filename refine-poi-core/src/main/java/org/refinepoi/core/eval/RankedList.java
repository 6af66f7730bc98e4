package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;

import java.util.Arrays;
import java.util.BitSet;

/**
 * Builds a top-k list without duplicates by offering POIs from successive sources (the primary
 * scores, then the back-offs), and orders POIs by score. Package-private: the baselines' shared
 * machinery. Not thread-safe; one instance per {@code recommend} call.
 */
final class RankedList {

  private final int[] items;
  private final BitSet taken;
  private int size;

  /**
   * An empty list.
   *
   * @param poiCount the catalogue size
   * @param k the number of POIs wanted, at least 1; clamped to the catalogue size
   */
  RankedList(int poiCount, int k) {
    checkArgument(k >= 1, "k must be >= 1, got %s", k);
    this.items = new int[Math.min(k, poiCount)];
    this.taken = new BitSet(poiCount);
  }

  /** Whether the list holds k POIs. */
  boolean isFull() {
    return size == items.length;
  }

  /** Appends a POI unless it is already in the list or the list is full. */
  void offer(int poi) {
    if (size < items.length && !taken.get(poi)) {
      taken.set(poi);
      items[size++] = poi;
    }
  }

  /** Offers POIs in order until the list is full. */
  void offerAll(int[] pois) {
    for (int i = 0; i < pois.length && size < items.length; i++) {
      offer(pois[i]);
    }
  }

  /** The list, best first. */
  int[] toArray() {
    return size == items.length ? items : Arrays.copyOf(items, size);
  }

  /**
   * The indices of the {@code k} highest scores, highest first, ties broken by lower index first. A
   * partial quicksort: O(n + k log k) expected, no boxing (this is the baselines' hot path).
   *
   * @param scores one score per POI, no NaN
   * @param k how many to return; clamped to {@code scores.length}
   */
  static int[] topByScore(double[] scores, int k) {
    int n = scores.length;
    int[] idx = new int[n];
    for (int i = 0; i < n; i++) {
      checkArgument(!Double.isNaN(scores[i]), "score of POI %s is NaN", i);
      idx[i] = i;
    }
    int want = Math.min(k, n);
    if (n > 1 && want > 0) {
      partialSort(scores, idx, 0, n - 1, want);
    }
    return want == n ? idx : Arrays.copyOf(idx, want);
  }

  /** Whether POI a ranks before POI b: higher score, then lower index. */
  private static boolean before(double[] s, int a, int b) {
    return s[a] > s[b] || (s[a] == s[b] && a < b);
  }

  /** Sorts idx[lo..hi] enough that idx[lo..k-1] holds the k best, in order. */
  private static void partialSort(double[] s, int[] idx, int lo, int hi, int k) {
    while (hi - lo > 16) {
      int mid = (lo + hi) >>> 1;
      // Median of three as pivot, moved to hi.
      if (before(s, idx[mid], idx[lo])) {
        swap(idx, mid, lo);
      }
      if (before(s, idx[hi], idx[lo])) {
        swap(idx, hi, lo);
      }
      if (before(s, idx[mid], idx[hi])) {
        swap(idx, mid, hi);
      }
      int pivot = idx[hi];
      int store = lo;
      for (int i = lo; i < hi; i++) {
        if (before(s, idx[i], pivot)) {
          swap(idx, i, store++);
        }
      }
      swap(idx, store, hi);
      // idx[lo..store-1] precede the pivot, idx[store] is final, idx[store+1..hi] follow it.
      boolean rightNeeded = store + 1 < k;
      if (!rightNeeded) {
        hi = store - 1;
      } else if (store - lo < hi - store) {
        partialSort(s, idx, lo, store - 1, k);
        lo = store + 1;
      } else {
        partialSort(s, idx, store + 1, hi, k);
        hi = store - 1;
      }
    }
    for (int i = lo + 1; i <= hi; i++) {
      int v = idx[i];
      int j = i - 1;
      while (j >= lo && before(s, v, idx[j])) {
        idx[j + 1] = idx[j];
        j--;
      }
      idx[j + 1] = v;
    }
  }

  private static void swap(int[] a, int i, int j) {
    int t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
}
