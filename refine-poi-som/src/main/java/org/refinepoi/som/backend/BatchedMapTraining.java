package org.refinepoi.som.backend;

import java.util.List;
import org.refinepoi.core.math.FloatMatrix;
import org.refinepoi.core.sid.LatticeSpec;

/**
 * A capability of a {@link SomBackend}: training many maps of one lattice together, each on its own
 * group of samples, with the same per-epoch neighbourhoods (the child maps of one level of a
 * hierarchical SOM in TREE mode). A GPU backend does this in one launch sequence for all maps
 * instead of one context, module and set of buffers per map. {@code HierarchicalSom} uses it when
 * its backend has it.
 */
public interface BatchedMapTraining {

  /**
   * Whether this backend can train maps of this lattice over samples of this width together (a
   * device may lack the memory per map).
   */
  boolean canTrainMaps(LatticeSpec lattice, int dims);

  /**
   * Trains {@code maps} batch maps, map {@code g} on the samples {@code i} with {@code groupOf[i]
   * == g}, for {@code neighbourhoods.size()} epochs: {@code w'_j = sum_k h(j,k) S_k / sum_k h(j,k)
   * c_k} with the epoch's weights (a unit without weight, and a map without samples, keeps its
   * prototypes).
   *
   * @param data all samples, N × D
   * @param groupOf the map of each sample, in {@code [0, maps)}
   * @param maps number of maps
   * @param lattice the lattice every map shares (M units)
   * @param initial the maps' initial codebooks stacked: map g's unit j is row {@code g * M + j}
   * @param neighbourhoods per epoch, M × M row-major weights as {@link
   *     org.refinepoi.som.train.NeighbourhoodMatrix#weights} gives them
   * @return the trained codebooks, stacked like {@code initial}
   */
  FloatMatrix trainMaps(
      FloatMatrix data,
      int[] groupOf,
      int maps,
      LatticeSpec lattice,
      FloatMatrix initial,
      List<float[]> neighbourhoods);
}
