package org.refinepoi.som.backend;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The SIMD kernel (JDK Vector API, {@link FloatVector#SPECIES_PREFERRED}): units are the vector
 * lanes, four samples × four unit vectors are register-blocked (16 accumulators, one feature per
 * step: four codebook loads, four broadcasts, sixteen fused multiply-adds), and a block of samples
 * reuses one codebook tile while it sits in L1. Each lane keeps its own running minimum in unit
 * order with a strict comparison, so the lowest index wins exact ties; the lanes are merged at the
 * end by (score, index). Loaded only when {@code jdk.incubator.vector} is enabled (see {@link
 * KernelSupport}).
 */
final class VectorBmuKernel implements BmuKernel {

  private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
  private static final VectorSpecies<Integer> IS = VectorSpecies.of(int.class, FS.vectorShape());
  private static final int L = FS.length();
  private static final int TILE = 4 * L;
  private static final FloatVector MINUS_TWO = FloatVector.broadcast(FS, -2f);

  /** Samples per block: with a 64-feature tile of 4*16 units (16 KB) both fit in a 32 KB L1. */
  private static final int SAMPLE_BLOCK = 32;

  @Override
  public int tile() {
    return TILE;
  }

  @Override
  public String description() {
    return "vector(" + FS.vectorBitSize() + "-bit, " + L + " lanes)";
  }

  @Override
  public void bmu(
      float[] x, int from, int to, PackedCodebook cb, int[] best, float[] bestScore, int[] second) {
    int dims = cb.dims();
    float[] w = cb.packed();
    float[] norms = cb.norms();
    boolean two = second != null;
    int stateLen = SAMPLE_BLOCK * L;
    float[] m1 = new float[stateLen];
    int[] i1 = new int[stateLen];
    float[] m2 = two ? new float[stateLen] : null;
    int[] i2 = two ? new int[stateLen] : null;
    IntVector iota = IntVector.zero(IS).addIndex(1);
    float[] tail = new float[4 * dims];
    float[] scratch = new float[4 * TILE];

    for (int b0 = from; b0 < to; b0 += SAMPLE_BLOCK) {
      int b1 = Math.min(to, b0 + SAMPLE_BLOCK);
      java.util.Arrays.fill(m1, Float.POSITIVE_INFINITY);
      java.util.Arrays.fill(i1, Integer.MAX_VALUE);
      if (two) {
        java.util.Arrays.fill(m2, Float.POSITIVE_INFINITY);
        java.util.Arrays.fill(i2, Integer.MAX_VALUE);
      }
      for (int t = 0; t < cb.tiles(); t++) {
        int wBase = t * TILE * dims;
        IntVector idx0 = iota.add(t * TILE);
        for (int s = b0; s < b1; s += 4) {
          float[] xs = x;
          int r0;
          int live = Math.min(4, b1 - s);
          if (live == 4) {
            r0 = s * dims;
          } else {
            // Fewer than four samples left: copy them into a zero-padded buffer.
            java.util.Arrays.fill(tail, 0f);
            System.arraycopy(x, s * dims, tail, 0, live * dims);
            xs = tail;
            r0 = 0;
          }
          dot4x4(xs, r0, dims, w, wBase, scratch);
          int st = (s - b0) * L;
          for (int q = 0; q < live; q++) {
            if (two) {
              updateTwo(m1, i1, m2, i2, st + q * L, scratch, q * TILE, norms, t * TILE, idx0);
            } else {
              updateOne(m1, i1, st + q * L, scratch, q * TILE, norms, t * TILE, idx0);
            }
          }
        }
      }
      for (int s = b0; s < b1; s++) {
        finish(s, (s - b0) * L, m1, i1, m2, i2, best, bestScore, second);
      }
    }
  }

  /**
   * The register-blocked inner loop: dot products of four samples (rows starting at {@code r0},
   * {@code r0 + dims}, ...) with the {@code TILE} units of one tile, written to {@code out} (sample
   * q's scores at {@code q * TILE}). Kept small so the JIT compiles it with every vector operation
   * intrinsified and all sixteen accumulators in registers.
   */
  private static void dot4x4(float[] xs, int r0, int dims, float[] w, int wBase, float[] out) {
    FloatVector a00 = FloatVector.zero(FS);
    FloatVector a01 = a00;
    FloatVector a02 = a00;
    FloatVector a03 = a00;
    FloatVector a10 = a00;
    FloatVector a11 = a00;
    FloatVector a12 = a00;
    FloatVector a13 = a00;
    FloatVector a20 = a00;
    FloatVector a21 = a00;
    FloatVector a22 = a00;
    FloatVector a23 = a00;
    FloatVector a30 = a00;
    FloatVector a31 = a00;
    FloatVector a32 = a00;
    FloatVector a33 = a00;
    int r1 = r0 + dims;
    int r2 = r1 + dims;
    int r3 = r2 + dims;
    for (int d = 0, wo = wBase; d < dims; d++, wo += TILE) {
      FloatVector w0 = FloatVector.fromArray(FS, w, wo);
      FloatVector w1 = FloatVector.fromArray(FS, w, wo + L);
      FloatVector w2 = FloatVector.fromArray(FS, w, wo + 2 * L);
      FloatVector w3 = FloatVector.fromArray(FS, w, wo + 3 * L);
      FloatVector xb = FloatVector.broadcast(FS, xs[r0 + d]);
      a00 = w0.fma(xb, a00);
      a01 = w1.fma(xb, a01);
      a02 = w2.fma(xb, a02);
      a03 = w3.fma(xb, a03);
      xb = FloatVector.broadcast(FS, xs[r1 + d]);
      a10 = w0.fma(xb, a10);
      a11 = w1.fma(xb, a11);
      a12 = w2.fma(xb, a12);
      a13 = w3.fma(xb, a13);
      xb = FloatVector.broadcast(FS, xs[r2 + d]);
      a20 = w0.fma(xb, a20);
      a21 = w1.fma(xb, a21);
      a22 = w2.fma(xb, a22);
      a23 = w3.fma(xb, a23);
      xb = FloatVector.broadcast(FS, xs[r3 + d]);
      a30 = w0.fma(xb, a30);
      a31 = w1.fma(xb, a31);
      a32 = w2.fma(xb, a32);
      a33 = w3.fma(xb, a33);
    }
    a00.intoArray(out, 0);
    a01.intoArray(out, L);
    a02.intoArray(out, 2 * L);
    a03.intoArray(out, 3 * L);
    a10.intoArray(out, TILE);
    a11.intoArray(out, TILE + L);
    a12.intoArray(out, TILE + 2 * L);
    a13.intoArray(out, TILE + 3 * L);
    a20.intoArray(out, 2 * TILE);
    a21.intoArray(out, 2 * TILE + L);
    a22.intoArray(out, 2 * TILE + 2 * L);
    a23.intoArray(out, 2 * TILE + 3 * L);
    a30.intoArray(out, 3 * TILE);
    a31.intoArray(out, 3 * TILE + L);
    a32.intoArray(out, 3 * TILE + 2 * L);
    a33.intoArray(out, 3 * TILE + 3 * L);
  }

  /** Folds one sample's dot products with a tile into its per-lane running minimum. */
  private static void updateOne(
      float[] m1,
      int[] i1,
      int off,
      float[] dots,
      int dotOff,
      float[] norms,
      int nOff,
      IntVector idx0) {
    FloatVector best = FloatVector.fromArray(FS, m1, off);
    IntVector bestIdx = IntVector.fromArray(IS, i1, off);
    for (int v = 0; v < 4; v++) {
      FloatVector s =
          FloatVector.fromArray(FS, dots, dotOff + v * L)
              .fma(MINUS_TWO, FloatVector.fromArray(FS, norms, nOff + v * L));
      VectorMask<Float> k = s.compare(VectorOperators.LT, best);
      best = best.blend(s, k);
      bestIdx = bestIdx.blend(idx0.add(v * L), k.cast(IS));
    }
    best.intoArray(m1, off);
    bestIdx.intoArray(i1, off);
  }

  /** Folds one sample's dot products with a tile into its per-lane best and second best. */
  private static void updateTwo(
      float[] m1,
      int[] i1,
      float[] m2,
      int[] i2,
      int off,
      float[] dots,
      int dotOff,
      float[] norms,
      int nOff,
      IntVector idx0) {
    FloatVector best = FloatVector.fromArray(FS, m1, off);
    IntVector bestIdx = IntVector.fromArray(IS, i1, off);
    FloatVector sec = FloatVector.fromArray(FS, m2, off);
    IntVector secIdx = IntVector.fromArray(IS, i2, off);
    for (int v = 0; v < 4; v++) {
      FloatVector sv =
          FloatVector.fromArray(FS, dots, dotOff + v * L)
              .fma(MINUS_TWO, FloatVector.fromArray(FS, norms, nOff + v * L));
      IntVector iv = idx0.add(v * L);
      VectorMask<Float> lt1 = sv.compare(VectorOperators.LT, best);
      VectorMask<Float> lt2 = sv.compare(VectorOperators.LT, sec);
      VectorMask<Integer> lt1i = lt1.cast(IS);
      sec = sec.blend(sv, lt2).blend(best, lt1);
      secIdx = secIdx.blend(iv, lt2.cast(IS)).blend(bestIdx, lt1i);
      best = best.blend(sv, lt1);
      bestIdx = bestIdx.blend(iv, lt1i);
    }
    best.intoArray(m1, off);
    bestIdx.intoArray(i1, off);
    sec.intoArray(m2, off);
    secIdx.intoArray(i2, off);
  }

  /** Merges a sample's lanes by (score, index): the lowest index wins equal scores. */
  private static void finish(
      int sample,
      int off,
      float[] m1,
      int[] i1,
      float[] m2,
      int[] i2,
      int[] best,
      float[] bestScore,
      int[] second) {
    float b1 = Float.POSITIVE_INFINITY;
    float b2 = Float.POSITIVE_INFINITY;
    int j1 = Integer.MAX_VALUE;
    int j2 = Integer.MAX_VALUE;
    int lists = second == null ? 1 : 2;
    for (int list = 0; list < lists; list++) {
      float[] mv = list == 0 ? m1 : m2;
      int[] iv = list == 0 ? i1 : i2;
      for (int l = 0; l < L; l++) {
        float v = mv[off + l];
        int j = iv[off + l];
        if (j == Integer.MAX_VALUE) {
          continue;
        }
        if (v < b1 || (v == b1 && j < j1)) {
          b2 = b1;
          j2 = j1;
          b1 = v;
          j1 = j;
        } else if (v < b2 || (v == b2 && j < j2)) {
          b2 = v;
          j2 = j;
        }
      }
    }
    if (j1 == Integer.MAX_VALUE) {
      throw KernelSupport.overflow(sample);
    }
    best[sample] = j1;
    if (bestScore != null) {
      bestScore[sample] = b1;
    }
    if (second != null) {
      second[sample] = j2;
    }
  }
}
