package org.refinepoi.core.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.collect.ImmutableList;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.refinepoi.core.data.CheckIn;

/** Sample's list handling: immutable views are shared, other lists are copied. */
class SampleTest {

  private static ImmutableList<CheckIn> history(int user, int size) {
    ImmutableList.Builder<CheckIn> b = ImmutableList.builder();
    for (int i = 0; i < size; i++) {
      b.add(new CheckIn(user, i, 100L * i, 0));
    }
    return b.build();
  }

  @Test
  void keepsImmutableSubListViewsAsIs() {
    ImmutableList<CheckIn> history = history(3, 10);
    ImmutableList<CheckIn> longTerm = history.subList(0, 6);
    ImmutableList<CheckIn> shortTerm = history.subList(6, 9);
    Sample s = new Sample(3, 1, shortTerm, longTerm, history.get(9), false, Split.TRAIN);
    assertThat(s.longTerm()).isSameAs(longTerm);
    assertThat(s.shortTerm()).isSameAs(shortTerm);
    assertThat(s.lastCheckIn()).isEqualTo(history.get(8));
  }

  @Test
  void copiesMutableLists() {
    ImmutableList<CheckIn> history = history(3, 4);
    List<CheckIn> shortTerm = new ArrayList<>(history.subList(1, 3));
    List<CheckIn> longTerm = new ArrayList<>(history.subList(0, 1));
    Sample s = new Sample(3, 1, shortTerm, longTerm, history.get(3), false, Split.TEST);
    shortTerm.clear();
    longTerm.clear();
    assertThat(s.shortTerm()).containsExactly(history.get(1), history.get(2));
    assertThat(s.longTerm()).containsExactly(history.get(0));
    assertThat(s.shortTerm()).isInstanceOf(ImmutableList.class);
  }

  @Test
  void rejectsEmptyContextAndForeignTarget() {
    ImmutableList<CheckIn> history = history(3, 3);
    assertThatThrownBy(
            () -> new Sample(3, 0, List.of(), List.of(), history.get(0), false, Split.TRAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least one check-in");
    CheckIn foreign = new CheckIn(4, 0, 500, 0);
    assertThatThrownBy(
            () -> new Sample(3, 0, history.subList(0, 1), List.of(), foreign, false, Split.TRAIN))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("target of user 4");
  }
}
