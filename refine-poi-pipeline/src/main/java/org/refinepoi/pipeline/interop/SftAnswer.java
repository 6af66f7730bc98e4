package org.refinepoi.pipeline.interop;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.CheckInDataset;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.sid.IdSpace;
import org.refinepoi.core.sid.SemanticId;
import org.refinepoi.core.sid.SemanticIdIndex;

/**
 * What the SFT file's completion lists (the answer a model is fine-tuned to write, {@code
 * sft-<split>.jsonl} of {@link TrainingDataExporter}). The target always comes first; only it is
 * ground truth, so the rest of the list is a documented, reproducible fill that needs nothing
 * beyond the prompt and the ID space.
 */
public enum SftAnswer {
  /**
   * The default: k distinct POIs, the target first, then the other POIs the prompt shows (its
   * current trajectory and the long-term check-ins it renders), most visited first, ties broken by
   * the most recent visit, then the POIs nearest the target by ID distance ({@link
   * IdSpace#distance}; ties by POI order) until the list has k entries (or every POI). It has the
   * length the prompt asks for, so the length term is 1; the fill teaches the two priors the
   * rewards pay for: revisits (RR, NDCG) and closeness on the ID lattices (soft accuracy).
   */
  RANKED_LIST,
  /**
   * The target alone (the top-1 teacher forcing of METHOD section 5): well formed (format 1, RR 1),
   * but one entry where k are asked for, so the length term is {@code 1/k} for a linear shape.
   */
  TARGET_ONLY;

  /** The lower-case name used on the command line and in the manifest. */
  public String cliName() {
    return this == RANKED_LIST ? "list" : "target";
  }

  /**
   * Parses {@code list} or {@code target}.
   *
   * @throws IllegalArgumentException naming the accepted values
   */
  public static SftAnswer parse(String value) {
    checkNotNull(value, "value");
    return switch (value) {
      case "list" -> RANKED_LIST;
      case "target" -> TARGET_ONLY;
      default ->
          throw new IllegalArgumentException(
              "the SFT answer must be 'list' or 'target', got '" + value + "'");
    };
  }

  /**
   * Builds the ranked lists of one dataset's samples. Not thread-safe (it caches each target's
   * nearest POIs).
   */
  static final class Lists {
    private final SftAnswer kind;
    private final int k;
    private final int longTermCheckIns;
    private final IdSpace space;
    private final SemanticId[] ids;
    private final Map<Integer, int[]> nearest = new HashMap<>();

    Lists(
        SftAnswer kind,
        CheckInDataset dataset,
        SemanticIdIndex index,
        int k,
        int longTermCheckIns) {
      checkArgument(k >= 1, "k must be >= 1, got %s", k);
      this.kind = checkNotNull(kind, "kind");
      this.k = k;
      this.longTermCheckIns = longTermCheckIns;
      this.space = index.space();
      this.ids = new SemanticId[dataset.poiCount()];
      for (int p = 0; p < ids.length; p++) {
        ids[p] = index.idOf(dataset.poi(p).id());
      }
    }

    /** The POI indices of a sample's answer, best first, distinct, the target first. */
    List<Integer> of(Sample sample) {
      int target = sample.targetPoi();
      Set<Integer> list = new LinkedHashSet<>();
      list.add(target);
      int size = Math.min(k, ids.length);
      if (kind == TARGET_ONLY || size == 1) {
        return List.copyOf(list);
      }
      for (int poi : historyByVisits(sample)) {
        if (list.size() == size) {
          break;
        }
        list.add(poi);
      }
      if (list.size() < size) {
        // The k nearest always hold the k - |list| missing ones: at most |list| of them are taken.
        for (int poi : nearest.computeIfAbsent(target, this::nearestTo)) {
          if (list.size() == size) {
            break;
          }
          list.add(poi);
        }
      }
      return List.copyOf(list);
    }

    /** The IDs of the answer. */
    List<SemanticId> idsOf(Sample sample) {
      List<SemanticId> out = new ArrayList<>();
      for (int poi : of(sample)) {
        out.add(ids[poi]);
      }
      return out;
    }

    /** The POIs the prompt shows, most visited first, then the most recent visit first. */
    private List<Integer> historyByVisits(Sample sample) {
      List<CheckIn> shown = new ArrayList<>();
      List<CheckIn> longTerm = sample.longTerm();
      if (longTermCheckIns > 0) {
        shown.addAll(
            longTerm.subList(Math.max(0, longTerm.size() - longTermCheckIns), longTerm.size()));
      }
      shown.addAll(sample.shortTerm());
      Map<Integer, int[]> stats = new HashMap<>(); // poi -> {visits, last position}
      for (int i = 0; i < shown.size(); i++) {
        int[] s = stats.computeIfAbsent(shown.get(i).poi(), p -> new int[2]);
        s[0]++;
        s[1] = i;
      }
      List<Integer> pois = new ArrayList<>(stats.keySet());
      pois.sort(
          (a, b) -> {
            int[] sa = stats.get(a);
            int[] sb = stats.get(b);
            return sa[0] != sb[0] ? Integer.compare(sb[0], sa[0]) : Integer.compare(sb[1], sa[1]);
          });
      return pois;
    }

    /** The k POIs nearest a target's ID (itself first), by ID distance, then POI order. */
    private int[] nearestTo(int target) {
      int n = ids.length;
      double[] d = new double[n];
      Integer[] order = new Integer[n];
      for (int p = 0; p < n; p++) {
        d[p] = p == target ? -1 : space.distance(ids[target], ids[p]);
        order[p] = p;
      }
      Arrays.sort(order, (a, b) -> d[a] != d[b] ? Double.compare(d[a], d[b]) : a - b);
      int[] out = new int[Math.min(k, n)];
      for (int i = 0; i < out.length; i++) {
        out[i] = order[i];
      }
      return out;
    }
  }
}
