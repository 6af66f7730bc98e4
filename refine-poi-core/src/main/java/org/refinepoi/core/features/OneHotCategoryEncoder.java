package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.HashSet;
import java.util.List;
import org.refinepoi.core.math.FloatMatrix;

/**
 * One-hot category vectors: name {@code i} of the list becomes the unit vector {@code e_i}. The
 * dependency-free default of {@link PoiFeatureBuilder}; the width is the number of categories.
 */
public final class OneHotCategoryEncoder implements CategoryEncoder {

  /** Creates the encoder (it has no settings). */
  public OneHotCategoryEncoder() {}

  @Override
  public FloatMatrix encode(List<String> categoryNames) {
    checkNotNull(categoryNames, "categoryNames");
    checkArgument(!categoryNames.isEmpty(), "no category names to encode");
    checkArgument(
        new HashSet<>(categoryNames).size() == categoryNames.size(),
        "category names must be distinct");
    int n = categoryNames.size();
    float[] data = new float[Math.multiplyExact(n, n)];
    for (int i = 0; i < n; i++) {
      data[i * n + i] = 1f;
    }
    return FloatMatrix.wrap(n, n, data);
  }

  @Override
  public String description() {
    return "one-hot";
  }
}
