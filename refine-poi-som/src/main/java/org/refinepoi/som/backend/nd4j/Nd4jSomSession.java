package org.refinepoi.som.backend.nd4j;

import static com.google.common.base.Preconditions.checkState;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.som.backend.BmuResult;
import org.refinepoi.som.backend.SomSession;
import org.refinepoi.som.backend.UnitSums;

/** A {@link Nd4jSomBackend} session: the samples live in one ND4J array. */
final class Nd4jSomSession implements SomSession {

  private final FloatMatrix data;
  private INDArray x;

  Nd4jSomSession(FloatMatrix data) {
    this.data = data;
    this.x = Nd4j.create(data.unsafeData(), new long[] {data.rows(), data.cols()}, 'c');
  }

  @Override
  public int samples() {
    return data.rows();
  }

  @Override
  public int dims() {
    return data.cols();
  }

  private void check(FloatMatrix codebook, boolean withSecond) {
    checkState(x != null, "session is closed");
    SomSession.checkCodebook(codebook, data.cols(), withSecond);
  }

  @Override
  public BmuResult bmu(FloatMatrix codebook, boolean withSecond) {
    check(codebook, withSecond);
    int n = data.rows();
    int m = codebook.rows();
    int d = data.cols();
    int[] best = new int[n];
    int[] second = withSecond ? new int[n] : null;
    INDArray w = Nd4j.create(codebook.unsafeData(), new long[] {m, d}, 'c');
    INDArray wt = w.transpose();
    INDArray norms = w.mul(w).sum(1).reshape(1, m);
    for (int from = 0; from < n; from += Nd4jSomBackend.CHUNK) {
      int to = Math.min(n, from + Nd4jSomBackend.CHUNK);
      INDArray xc = x.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
      INDArray scores = xc.mmul(wt).muli(-2f).addiRowVector(norms);
      if (!withSecond) {
        INDArray arg = Nd4j.argMin(scores, 1);
        long[] idx = arg.toLongVector();
        for (int i = 0; i < idx.length; i++) {
          best[from + i] = (int) idx[i];
        }
      } else {
        // Top two on the host (a quality pass, not the training hot path).
        float[] s = scores.castTo(DataType.FLOAT).dup('c').data().asFloat();
        for (int i = 0; i < to - from; i++) {
          float b1 = Float.POSITIVE_INFINITY;
          float b2 = Float.POSITIVE_INFINITY;
          int j1 = 0;
          int j2 = 1;
          for (int j = 0; j < m; j++) {
            float v = s[i * m + j];
            if (v < b1) {
              b2 = b1;
              j2 = j1;
              b1 = v;
              j1 = j;
            } else if (v < b2) {
              b2 = v;
              j2 = j;
            }
          }
          best[from + i] = j1;
          second[from + i] = j2;
        }
      }
    }
    float[] dist = new float[n];
    float[] xs = data.unsafeData();
    float[] ws = codebook.unsafeData();
    for (int i = 0; i < n; i++) {
      double sq = 0;
      for (int c = 0; c < d; c++) {
        double diff = (double) xs[i * d + c] - ws[best[i] * d + c];
        sq += diff * diff;
      }
      dist[i] = (float) Math.sqrt(sq);
    }
    return new BmuResult(best, dist, second);
  }

  @Override
  public UnitSums accumulate(FloatMatrix codebook) {
    BmuResult r = bmu(codebook, false);
    int m = codebook.rows();
    int d = data.cols();
    double[] sums = new double[m * d];
    long[] counts = new long[m];
    float[] xs = data.unsafeData();
    double sq = 0;
    for (int i = 0; i < r.size(); i++) {
      int k = r.best()[i];
      counts[k]++;
      for (int c = 0; c < d; c++) {
        sums[k * d + c] += xs[i * d + c];
      }
      sq += (double) r.bestDistance()[i] * r.bestDistance()[i];
    }
    return new UnitSums(m, d, sums, counts, sq);
  }

  @Override
  public void close() {
    if (x != null) {
      x.close();
      x = null;
    }
  }
}
