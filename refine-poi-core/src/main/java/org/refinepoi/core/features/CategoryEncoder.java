package org.refinepoi.core.features;

import java.util.List;
import org.refinepoi.core.math.FloatMatrix;

/**
 * Turns category names into vectors for the category block of {@link PoiFeatureBuilder}. An
 * implementation must be deterministic: the same names in the same order give the same matrix.
 */
public interface CategoryEncoder {

  /**
   * Encodes category names.
   *
   * @param categoryNames distinct names, never empty; the builder passes the data set's categories
   *     in sorted order
   * @return one row per name, in the given order, all finite, all of the same width
   */
  FloatMatrix encode(List<String> categoryNames);

  /** A short description for {@link PoiFeatures#describe()}, for example {@code one-hot}. */
  String description();
}
