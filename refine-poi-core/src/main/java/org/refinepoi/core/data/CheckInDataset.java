package org.refinepoi.core.data;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkElementIndex;
import static com.google.common.base.Preconditions.checkNotNull;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A check-in log: the POI catalogue, the users, and the check-ins in time order. Check-ins refer to
 * users and POIs by dense index into {@link #userIds()} and {@link #pois()}. Immutable and safe to
 * share across threads.
 */
public final class CheckInDataset {

  private final String name;
  private final ImmutableList<Poi> pois;
  private final ImmutableList<String> userIds;
  private final ImmutableList<CheckIn> checkIns;
  private final ImmutableMap<String, Integer> poiIndexById;
  private final ImmutableMap<String, Integer> userIndexById;

  private CheckInDataset(
      String name, List<Poi> pois, List<String> userIds, List<CheckIn> checkIns) {
    this.name = checkNotNull(name, "name");
    this.pois = ImmutableList.copyOf(pois);
    this.userIds = ImmutableList.copyOf(userIds);
    ImmutableMap.Builder<String, Integer> byPoi = ImmutableMap.builderWithExpectedSize(pois.size());
    for (int i = 0; i < this.pois.size(); i++) {
      byPoi.put(this.pois.get(i).id(), i);
    }
    this.poiIndexById = byPoi.buildOrThrow();
    ImmutableMap.Builder<String, Integer> byUser =
        ImmutableMap.builderWithExpectedSize(userIds.size());
    for (int i = 0; i < this.userIds.size(); i++) {
      byUser.put(this.userIds.get(i), i);
    }
    this.userIndexById = byUser.buildOrThrow();
    for (CheckIn c : checkIns) {
      checkElementIndex(c.user(), this.userIds.size(), "user index of a check-in");
      checkElementIndex(c.poi(), this.pois.size(), "POI index of a check-in");
    }
    // Stable sort: equal times keep their order in the source file.
    this.checkIns =
        ImmutableList.sortedCopyOf(Comparator.comparingLong(CheckIn::utcEpochSecond), checkIns);
  }

  /**
   * Builds a dataset. Check-ins are sorted by time (stably); indices are validated.
   *
   * @param name a label for logs and reports, for example the file name
   * @param pois the POI catalogue; ids must be unique
   * @param userIds the users' source ids; must be unique
   * @param checkIns check-ins referring to indices of {@code userIds} and {@code pois}
   * @throws IllegalArgumentException on a duplicate id or an index out of range
   */
  public static CheckInDataset of(
      String name, List<Poi> pois, List<String> userIds, List<CheckIn> checkIns) {
    checkNotNull(pois, "pois");
    checkNotNull(userIds, "userIds");
    checkNotNull(checkIns, "checkIns");
    checkArgument(!checkIns.isEmpty(), "dataset %s has no check-ins", name);
    return new CheckInDataset(name, pois, userIds, checkIns);
  }

  /** The label given at construction (usually the source file name). */
  public String name() {
    return name;
  }

  /** The POI catalogue; a check-in's {@code poi} indexes this list. */
  public ImmutableList<Poi> pois() {
    return pois;
  }

  /** The users' source ids; a check-in's {@code user} indexes this list. */
  public ImmutableList<String> userIds() {
    return userIds;
  }

  /** All check-ins, sorted by UTC time (ties keep source order). */
  public ImmutableList<CheckIn> checkIns() {
    return checkIns;
  }

  /**
   * The check-ins equal in user, POI, time and UTC offset to an earlier one (the same file loaded
   * twice, say), as positions in {@link #checkIns()}; the first of equal check-ins is not marked.
   * Computed on each call, in one pass: equal check-ins lie in one run of equal times.
   *
   * @return a new set of positions, empty when there is no duplicate
   */
  public BitSet duplicateCheckIns() {
    BitSet duplicates = new BitSet();
    Set<CheckIn> run = new HashSet<>();
    int i = 0;
    while (i < checkIns.size()) {
      long time = checkIns.get(i).utcEpochSecond();
      int j = i + 1;
      while (j < checkIns.size() && checkIns.get(j).utcEpochSecond() == time) {
        j++;
      }
      if (j - i > 1) {
        run.clear();
        for (int k = i; k < j; k++) {
          if (!run.add(checkIns.get(k))) {
            duplicates.set(k);
          }
        }
      }
      i = j;
    }
    return duplicates;
  }

  /** Number of POIs in the catalogue. */
  public int poiCount() {
    return pois.size();
  }

  /** Number of users. */
  public int userCount() {
    return userIds.size();
  }

  /** The POI at a dense index. */
  public Poi poi(int index) {
    return pois.get(index);
  }

  /** The dense index of a POI by its source id, if present. */
  public Optional<Integer> poiIndex(String poiId) {
    return Optional.ofNullable(poiIndexById.get(poiId));
  }

  /** The dense index of a user by its source id, if present. */
  public Optional<Integer> userIndex(String userId) {
    return Optional.ofNullable(userIndexById.get(userId));
  }

  @Override
  public String toString() {
    return "CheckInDataset[%s: %d users, %d POIs, %d check-ins]"
        .formatted(name, userIds.size(), pois.size(), checkIns.size());
  }
}
