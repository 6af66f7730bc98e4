package org.refinepoi.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;
import org.refinepoi.core.data.Poi;
import org.refinepoi.core.data.Trajectory;
import org.refinepoi.core.protocol.Sample;
import org.refinepoi.core.protocol.Split;

/** Hand-worked evidence: counts, recency, hours, transitions, leave-one-out and ordering. */
class HistoryEvidenceTest {

  static final long H = 3600;

  static final List<Poi> POIS =
      List.of(
          new Poi("a", "c", "Cafe", 0, 0),
          new Poi("b", "c", "Cafe", 0, 0.01),
          new Poi("c", "c", "Cafe", 0, 0.02),
          new Poi("d", "c", "Cafe", 0, 1));

  static CheckIn ci(int user, int poi, long hours) {
    return new CheckIn(user, poi, hours * H, 0);
  }

  /** Training: user 0 goes a -> b twice and b -> c once; user 1 goes a -> b once. */
  static final List<Trajectory> TRAINING =
      List.of(
          new Trajectory(0, 0, List.of(ci(0, 0, 8), ci(0, 1, 9), ci(0, 2, 10))),
          new Trajectory(0, 1, List.of(ci(0, 0, 56), ci(0, 1, 57))),
          new Trajectory(1, 0, List.of(ci(1, 0, 8), ci(1, 1, 9))));

  static final HistoryEvidence EVIDENCE = HistoryEvidence.fit(POIS, TRAINING);

  @Test
  void globalCountsComeFromTheTrainingTrajectories() {
    assertThat(EVIDENCE.transitions(0, 1)).isEqualTo(3);
    assertThat(EVIDENCE.transitions(1, 2)).isEqualTo(1);
    assertThat(EVIDENCE.transitions(2, 0)).isZero();
    assertThat(EVIDENCE.popularity(1)).isEqualTo(3);
    assertThat(EVIDENCE.successors(0)).containsExactly(1);
    assertThat(EVIDENCE.popularityOrder()).containsExactly(0, 1, 2, 3);
  }

  @Test
  void aTestSampleReadsItsMemoryAsIs() {
    // memory: a(8h) b(9h) c(10h) | a(56h) b(57h); current trajectory a(100h); target at 101h
    Sample s =
        new Sample(
            0,
            2,
            List.of(ci(0, 0, 100)),
            List.of(ci(0, 0, 8), ci(0, 1, 9), ci(0, 2, 10), ci(0, 0, 56), ci(0, 1, 57)),
            ci(0, 1, 101),
            false,
            Split.TEST);
    HistorySummary h = EVIDENCE.summarize(s);
    assertThat(h.lastPoi()).isZero();
    assertThat(h.targetHour()).isEqualTo(5); // 101 h after the epoch, UTC
    assertThat(h.memoryLength()).isEqualTo(6);
    assertThat(h.candidates()).extracting(HistorySummary.Candidate::poi).containsExactly(0, 1, 2);
    HistorySummary.Candidate a = h.candidates().get(0);
    assertThat(a.visits()).isEqualTo(3);
    assertThat(a.hoursSinceLastVisit()).isCloseTo(1.0, within(1e-9));
    assertThat(a.inCurrentTrajectory()).isTrue();
    HistorySummary.Candidate b = h.candidates().get(1);
    assertThat(b.visits()).isEqualTo(2);
    assertThat(b.hoursSinceLastVisit()).isCloseTo(44.0, within(1e-9));
    assertThat(b.userTransitionsFromLast()).isEqualTo(2); // a -> b twice in the memory
    assertThat(b.transitionsFromLast()).isEqualTo(3); // everyone's a -> b, no leave-one-out
    assertThat(b.popularity()).isEqualTo(3);
    assertThat(b.inCurrentTrajectory()).isFalse();
    // hours 9 and 57 are 9 h (mod 24) vs the target's 5 h: not within +-1
    assertThat(b.visitsAtSimilarHour()).isZero();
    assertThat(b.distanceKmFromLast()).isCloseTo(1.112, within(0.01));
  }

  @Test
  void aTrainingSampleLeavesItsOwnStepOut() {
    // the training step a(56h) -> b(57h) itself
    Sample s =
        new Sample(
            0,
            1,
            List.of(ci(0, 0, 56)),
            List.of(ci(0, 0, 8), ci(0, 1, 9), ci(0, 2, 10)),
            ci(0, 1, 57),
            false,
            Split.TRAIN);
    HistorySummary.Candidate b =
        EVIDENCE.summarize(s).candidates().stream().filter(c -> c.poi() == 1).findFirst().get();
    assertThat(b.transitionsFromLast()).isEqualTo(2); // 3 minus its own
    assertThat(b.popularity()).isEqualTo(2);
    HistorySummary.Candidate c =
        EVIDENCE.summarize(s).candidates().stream().filter(x -> x.poi() == 2).findFirst().get();
    assertThat(c.popularity()).isEqualTo(1); // not the target: unchanged
  }

  @Test
  void candidatesAreOrderedByVisitsThenRecency() {
    Sample s =
        new Sample(
            0,
            1,
            List.of(ci(0, 3, 20)),
            List.of(ci(0, 2, 1), ci(0, 1, 2), ci(0, 1, 3), ci(0, 2, 4)),
            ci(0, 0, 21),
            false,
            Split.TEST);
    // b and c twice each, c more recently; d once
    assertThat(EVIDENCE.summarize(s).candidates())
        .extracting(HistorySummary.Candidate::poi)
        .containsExactly(2, 1, 3);
  }

  @Test
  void aPoiOutsideTheCatalogueIsRefused() {
    Sample s = new Sample(0, 0, List.of(ci(0, 9, 1)), List.of(), ci(0, 0, 2), false, Split.TEST);
    assertThatThrownBy(() -> EVIDENCE.summarize(s)).hasMessageContaining("POI");
  }
}
