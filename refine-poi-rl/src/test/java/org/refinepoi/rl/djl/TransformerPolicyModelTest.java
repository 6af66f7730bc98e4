package org.refinepoi.rl.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransformerPolicyModelTest {

  static {
    DjlTestThreads.pin();
  }

  /** Float tolerance for logits computed along different but equivalent paths. */
  private static final float TOL = 1e-4f;

  static TransformerConfig tiny(int vocab, long seed) {
    return TransformerConfig.builder(vocab, 32).dModel(16).layers(1).heads(2).seed(seed).build();
  }

  @Test
  void changingALaterTokenNeverChangesEarlierLogits() {
    try (TransformerPolicyModel model =
        TransformerPolicyModel.create(
            TransformerConfig.builder(20, 16).dModel(16).layers(2).heads(4).seed(3).build())) {
      int[] a = {1, 5, 7, 9, 11, 13, 2};
      int[] b = a.clone();
      b[4] = 17;
      float[][] la = model.nextTokenLogProbs(a);
      float[][] lb = model.nextTokenLogProbs(b);
      for (int t = 0; t < 4; t++) {
        for (int v = 0; v < 20; v++) {
          assertThat(lb[t][v]).isCloseTo(la[t][v], within(TOL));
        }
      }
      // The positions at and after the change do see it (the test could not pass vacuously).
      assertThat(maxAbsDiff(la[4], lb[4])).isGreaterThan(1e-4f);
      assertThat(maxAbsDiff(la[6], lb[6])).isGreaterThan(1e-4f);
    }
  }

  @Test
  void paddingAndIncrementalDecodingGiveTheSameLogits() {
    try (TransformerPolicyModel model = TransformerPolicyModel.create(tiny(12, 5));
        NDScope scope = new NDScope()) {
      scope.suppressNotUsedWarning();
      int[][] seqs = {{1, 3, 4, 5, 6}, {1, 7, 8}};
      float[][] solo0 = model.nextTokenLogProbs(seqs[0]);
      float[][] solo1 = model.nextTokenLogProbs(seqs[1]);
      NDManager m = model.manager();
      for (boolean left : new boolean[] {false, true}) {
        PaddedBatch batch = PaddedBatch.of(seqs, left, 32);
        float[] logp = model.forward(batch, m).logSoftmax(-1).toFloatArray();
        for (int r = 0; r < 2; r++) {
          float[][] solo = r == 0 ? solo0 : solo1;
          for (int i = 0; i < seqs[r].length; i++) {
            int col = batch.column(r, i);
            for (int v = 0; v < 12; v++) {
              assertThat(logp[(r * batch.width() + col) * 12 + v])
                  .isCloseTo(solo[i][v], within(TOL));
            }
          }
        }
      }
      // Incremental: prefill the first 3 tokens of row 0, then feed one token at a time.
      KvCache cache = model.newCache();
      PaddedBatch prefix = PaddedBatch.of(new int[][] {{1, 3, 4}}, true, 32);
      model.forward(prefix.tokenArray(m), prefix.positionArray(m), prefix.maskArray(m), cache);
      for (int t = 3; t < 5; t++) {
        NDArray token = m.create(new long[] {seqs[0][t]}, new Shape(1, 1));
        NDArray pos = m.create(new long[] {t}, new Shape(1, 1));
        NDArray mask = m.ones(new Shape(1, t + 1));
        float[] step = model.forward(token, pos, mask, cache).logSoftmax(-1).toFloatArray();
        for (int v = 0; v < 12; v++) {
          assertThat(step[v]).isCloseTo(solo0[t][v], within(TOL));
        }
      }
    }
  }

  @Test
  void sameSeedSameModelAndSaveLoadRoundTrips(@TempDir Path dir) throws IOException {
    int[] seq = {1, 2, 3, 4};
    try (TransformerPolicyModel a = TransformerPolicyModel.create(tiny(10, 9));
        TransformerPolicyModel b = TransformerPolicyModel.create(tiny(10, 9));
        TransformerPolicyModel c = TransformerPolicyModel.create(tiny(10, 10))) {
      assertThat(a.nextTokenLogProbs(seq)[3]).containsExactly(b.nextTokenLogProbs(seq)[3]);
      assertThat(maxAbsDiff(a.nextTokenLogProbs(seq)[3], c.nextTokenLogProbs(seq)[3]))
          .isGreaterThan(1e-5f);
      Path file = dir.resolve("model.bin");
      a.save(file);
      try (TransformerPolicyModel loaded = TransformerPolicyModel.load(file);
          TransformerPolicyModel copy = c.copy(false)) {
        assertThat(loaded.config()).isEqualTo(a.config());
        assertThat(loaded.nextTokenLogProbs(seq)[3]).containsExactly(a.nextTokenLogProbs(seq)[3]);
        assertThat(copy.nextTokenLogProbs(seq)[3]).containsExactly(c.nextTokenLogProbs(seq)[3]);
        copy.copyParametersFrom(a);
        assertThat(copy.nextTokenLogProbs(seq)[3]).containsExactly(a.nextTokenLogProbs(seq)[3]);
      }
      byte[] bytes = Files.readAllBytes(file);
      bytes[bytes.length - 20] ^= 0x5a;
      Path corrupt = dir.resolve("corrupt.bin");
      Files.write(corrupt, bytes);
      assertThatThrownBy(() -> TransformerPolicyModel.load(corrupt))
          .hasMessageContaining("checksum mismatch");
      Path foreign = dir.resolve("foreign.bin");
      Files.writeString(foreign, "hello, world");
      assertThatThrownBy(() -> TransformerPolicyModel.load(foreign))
          .hasMessageContaining("not a Refine-POI DJL model file");
    }
  }

  @Test
  void rejectsSequencesLongerThanThePositions() {
    try (TransformerPolicyModel model = TransformerPolicyModel.create(tiny(10, 1))) {
      assertThatThrownBy(() -> model.nextTokenLogProbs(new int[33]))
          .hasMessageContaining("the model has 32 positions");
    }
  }

  static float maxAbsDiff(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
