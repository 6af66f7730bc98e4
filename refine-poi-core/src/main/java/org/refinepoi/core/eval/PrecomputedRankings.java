package org.refinepoi.core.eval;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.refinepoi.core.protocol.Sample;

/**
 * A {@link Recommender} that answers with lists computed beforehand for a fixed list of samples (a
 * model's batched test rankings), so that the {@link Evaluator} scores a batched model the way it
 * scores a baseline. Samples are matched by identity: the evaluator is handed the very sample
 * objects the lists were computed for. Immutable.
 */
public final class PrecomputedRankings implements Recommender {

  private final String name;
  private final Map<Sample, int[]> bySample;

  private PrecomputedRankings(String name, Map<Sample, int[]> bySample) {
    this.name = name;
    this.bySample = bySample;
  }

  /**
   * The lists of {@code samples}, in order (copied).
   *
   * @param name the method's name in tables
   * @param samples the samples the lists were computed for
   * @param lists one ranked list of dense POI indices per sample, best first
   * @throws IllegalArgumentException when the sizes differ
   */
  public static PrecomputedRankings of(String name, List<Sample> samples, List<int[]> lists) {
    checkNotNull(name, "name");
    checkArgument(
        samples.size() == lists.size(), "%s samples but %s lists", samples.size(), lists.size());
    Map<Sample, int[]> bySample = new IdentityHashMap<>();
    for (int i = 0; i < samples.size(); i++) {
      bySample.put(samples.get(i), lists.get(i).clone());
    }
    return new PrecomputedRankings(name, bySample);
  }

  @Override
  public String name() {
    return name;
  }

  /**
   * The precomputed list's first {@code k} items.
   *
   * @throws IllegalArgumentException for a sample the lists were not computed for
   */
  @Override
  public int[] recommend(Sample sample, int k) {
    int[] ranked = bySample.get(sample);
    checkArgument(ranked != null, "%s: a sample outside the ranked samples", name);
    return Arrays.copyOf(ranked, Math.min(k, ranked.length));
  }
}
