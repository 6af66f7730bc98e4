/**
 * The ND4J SOM backend ({@code nd4j}): the whole batch-map epoch in ND4J ops, on {@code
 * nd4j-native} (CPU) or, through the module's {@code nd4j-cuda} Maven profile, on CUDA 11.6 for
 * users on CUDA 11.x stacks (GPUs of compute capability 3.7 to 8.9; not Hopper or newer). ND4J is
 * an optional dependency of this module: the application adds {@code nd4j-native} and its platform
 * jar to enable this backend (docs/dependencies.md); without them the provider reports itself
 * unavailable with that advice.
 */
package org.refinepoi.som.backend.nd4j;
