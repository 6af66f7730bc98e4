/**
 * SOM compute backends: {@link org.refinepoi.som.backend.SomBackend} opens a {@link
 * org.refinepoi.som.backend.SomSession} over the training data (kept resident, on a device if the
 * backend has one), which finds BMUs and per-unit sums for each codebook. Backends are discovered
 * by {@link java.util.ServiceLoader} through {@link org.refinepoi.som.backend.SomBackendProvider}
 * and chosen by name or {@code auto} with {@link org.refinepoi.som.backend.SomBackends}. The
 * pure-Java backend ({@link org.refinepoi.som.backend.JavaSomBackend}) is the reference: a fused,
 * register-blocked distance + argmin kernel on the JDK Vector API (run with {@code --add-modules
 * jdk.incubator.vector}; a scalar kernel with identical arithmetic otherwise).
 */
package org.refinepoi.som.backend;
