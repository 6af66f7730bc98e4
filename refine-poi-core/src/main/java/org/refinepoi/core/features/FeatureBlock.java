package org.refinepoi.core.features;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

/**
 * One block of columns of a {@link PoiFeatures} matrix.
 *
 * @param name the block's name: {@code category}, {@code location}, {@code time}, {@code
 *     popularity} or {@code collaborative}
 * @param offset the first column of the block
 * @param width the number of columns
 * @param weight the L2 norm of the block in every POI row that has data for it (0 for rows without,
 *     see {@link PoiFeatureBuilder})
 * @param detail how the block was computed, for {@link PoiFeatures#describe()}
 */
public record FeatureBlock(String name, int offset, int width, double weight, String detail) {

  /** Validates the layout values. */
  public FeatureBlock {
    checkNotNull(name, "name");
    checkNotNull(detail, "detail");
    checkArgument(offset >= 0, "offset must be >= 0, got %s", offset);
    checkArgument(width >= 1, "width must be >= 1, got %s", width);
    checkArgument(weight > 0 && Double.isFinite(weight), "weight must be > 0, got %s", weight);
  }

  /** One past the last column of the block. */
  public int end() {
    return offset + width;
  }
}
