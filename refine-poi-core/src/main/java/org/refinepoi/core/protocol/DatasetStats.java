package org.refinepoi.core.protocol;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.Maps;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;

/**
 * Counts of a dataset as loaded and after the protocol: what the {@code stats} command prints.
 *
 * @param name the dataset's name
 * @param sampleMode the sample mode the sample counts refer to
 * @param rawUsers users as loaded
 * @param rawPois POIs as loaded
 * @param rawCategories distinct category ids of the loaded POIs
 * @param rawCheckIns check-ins as loaded
 * @param users users after filtering
 * @param pois POIs after filtering
 * @param categories distinct category ids of the kept POIs
 * @param checkIns check-ins after filtering
 * @param filterRounds passes of the user/POI filter until it stopped changing (1 when run once)
 * @param usersPerSplit distinct users with a check-in in each split
 * @param poisPerSplit distinct POIs with a check-in in each split
 * @param checkInsPerSplit check-ins in each split
 * @param trajectoriesPerSplit trajectories in each split (by their last check-in), all lengths
 * @param samplesPerSplit samples kept in each split
 * @param droppedSamplesPerSplit validation/test samples dropped because their user or target POI
 *     has no training check-in (always 0 for the training split)
 * @param coldStartUsers users flagged cold-start
 */
public record DatasetStats(
    String name,
    SampleMode sampleMode,
    int rawUsers,
    int rawPois,
    int rawCategories,
    int rawCheckIns,
    int users,
    int pois,
    int categories,
    int checkIns,
    int filterRounds,
    Map<Split, Integer> usersPerSplit,
    Map<Split, Integer> poisPerSplit,
    Map<Split, Integer> checkInsPerSplit,
    Map<Split, Integer> trajectoriesPerSplit,
    Map<Split, Integer> samplesPerSplit,
    Map<Split, Integer> droppedSamplesPerSplit,
    int coldStartUsers) {

  /** Copies the maps and checks that each has every split and that the counts add up. */
  public DatasetStats {
    checkNotNull(name, "name");
    checkNotNull(sampleMode, "sampleMode");
    usersPerSplit = complete(usersPerSplit, "usersPerSplit");
    poisPerSplit = complete(poisPerSplit, "poisPerSplit");
    checkInsPerSplit = complete(checkInsPerSplit, "checkInsPerSplit");
    trajectoriesPerSplit = complete(trajectoriesPerSplit, "trajectoriesPerSplit");
    samplesPerSplit = complete(samplesPerSplit, "samplesPerSplit");
    droppedSamplesPerSplit = complete(droppedSamplesPerSplit, "droppedSamplesPerSplit");
    checkArgument(
        sum(checkInsPerSplit) == checkIns,
        "check-ins per split sum to %s, not %s",
        sum(checkInsPerSplit),
        checkIns);
    checkArgument(users <= rawUsers && pois <= rawPois && checkIns <= rawCheckIns, "kept > raw");
  }

  private static Map<Split, Integer> complete(Map<Split, Integer> map, String what) {
    checkNotNull(map, what);
    checkArgument(
        map.keySet().equals(EnumSet.allOf(Split.class)), "%s must have every split", what);
    for (Integer v : map.values()) {
      checkArgument(v != null && v >= 0, "%s has a negative count", what);
    }
    return Maps.immutableEnumMap(map);
  }

  private static int sum(Map<Split, Integer> map) {
    return map.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Trajectories over all splits. */
  public int trajectories() {
    return sum(trajectoriesPerSplit);
  }

  /** Samples kept over all splits. */
  public int samples() {
    return sum(samplesPerSplit);
  }

  /** The counts as a Markdown table, with a line on filtering and cold-start users. */
  public String toTable() {
    String nl = System.lineSeparator();
    StringBuilder sb = new StringBuilder();
    sb.append("Dataset ")
        .append(name)
        .append(", samples: ")
        .append(sampleMode)
        .append(nl)
        .append(nl);
    sb.append("| set | users | POIs | categories | check-ins | trajectories | samples |")
        .append(" dropped samples |")
        .append(nl);
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|").append(nl);
    row(sb, "raw (as loaded)", rawUsers, rawPois, rawCategories, rawCheckIns, -1, -1, -1);
    row(
        sb,
        "filtered",
        users,
        pois,
        categories,
        checkIns,
        trajectories(),
        samples(),
        sum(droppedSamplesPerSplit));
    for (Split s : Split.values()) {
      row(
          sb,
          s.name().toLowerCase(Locale.ROOT),
          usersPerSplit.get(s),
          poisPerSplit.get(s),
          -1,
          checkInsPerSplit.get(s),
          trajectoriesPerSplit.get(s),
          samplesPerSplit.get(s),
          droppedSamplesPerSplit.get(s));
    }
    sb.append(nl)
        .append("Filter passes: ")
        .append(filterRounds)
        .append("; cold-start users: ")
        .append(coldStartUsers)
        .append(" of ")
        .append(users)
        .append('.')
        .append(nl);
    return sb.toString();
  }

  private static void row(StringBuilder sb, String label, int... values) {
    sb.append("| ").append(label).append(" |");
    for (int v : values) {
      sb.append(' ').append(v < 0 ? "" : String.format(Locale.ROOT, "%,d", v)).append(" |");
    }
    sb.append(System.lineSeparator());
  }
}
