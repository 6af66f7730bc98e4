/**
 * The ND4J SOM backend ({@code nd4j}): matrix products through ND4J on {@code nd4j-native}, or on
 * CUDA 11.x through the module's {@code nd4j-cuda} Maven profile (unverified).
 */
package org.refinepoi.som.backend.nd4j;
