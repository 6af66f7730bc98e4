/**
 * The CUDA SOM backend, through the JDK's foreign function API ({@code java.lang.foreign}) and no
 * extra jars.
 *
 * <h2>Layers</h2>
 *
 * <ul>
 *   <li><b>Bindings</b>: {@link org.refinepoi.som.cuda.CudaDriver} ({@code libcuda.so.1}), {@link
 *       org.refinepoi.som.cuda.Nvrtc} ({@code libnvrtc.so.13|12}), {@link
 *       org.refinepoi.som.cuda.Cublas} ({@code libcublas.so.13|12}). Each {@code load()} never
 *       throws: a missing library, symbol, driver or device becomes an "unavailable" reason. Every
 *       native status is checked; a failure is a {@link org.refinepoi.som.cuda.CudaException}
 *       naming the call and the library's name and description of the error. Libraries are found by
 *       soname, then in {@code refinepoi.cuda.libdir} / {@code REFINEPOI_CUDA_LIBDIR}, {@code
 *       $CUDA_HOME/lib64} and {@code /usr/local/cuda/lib64}.
 *   <li><b>Resources</b>: {@link org.refinepoi.som.cuda.CudaContext} (retained primary context),
 *       {@link org.refinepoi.som.cuda.DeviceBuffer}, {@link
 *       org.refinepoi.som.cuda.PinnedHostBuffer}, {@link org.refinepoi.som.cuda.CudaStream}, {@link
 *       org.refinepoi.som.cuda.CudaEvent}, {@link org.refinepoi.som.cuda.CudaModule}: all {@code
 *       AutoCloseable}.
 *   <li><b>Kernels</b>: {@code som_kernels.cu} (a resource), compiled by NVRTC at run time for the
 *       device's {@code sm_XX}, without fast-math: fused distance + argmin (FP32 on the CUDA cores;
 *       TF32 with an FP32 re-rank of each sample's best candidates, or 3xTF32, on the tensor cores
 *       via {@code mma.sync.m16n8k8}), 64-bit fixed-point per-unit sums (deterministic), the
 *       neighbourhood matrix from distance classes, the divide-update after the cuBLAS product,
 *       QE/TE, and the batched tree trainer.
 *   <li><b>Backend</b>: {@link org.refinepoi.som.cuda.CudaSomBackend} and its providers ({@code
 *       cuda} = TF32 re-ranked, {@code cuda-3xtf32}, {@code cuda-fp32}) for {@link
 *       org.refinepoi.som.backend.SomBackends}; {@link org.refinepoi.som.cuda.CudaTreeSession} for
 *       the child maps of a hierarchical SOM (through {@link
 *       org.refinepoi.som.backend.BatchedMapTraining}).
 * </ul>
 *
 * <h2>Tie rule and determinism</h2>
 *
 * Each thread scans its units in increasing index order with a strict {@code <}; partial results of
 * different threads are merged by comparing (distance, index) lexicographically, so among units at
 * exactly the same computed distance the lowest index wins, as in the pure-Java backend; the TF32
 * re-rank orders its candidates by (FP32 score, index) the same way. The FP32 scores are the Java
 * backend's bit for bit (same fma chains, {@code |w|^2} per unit in feature order). Sums use
 * integer atomics on values scaled by {@code 2^bits} (chosen so no sum can overflow), so their
 * value does not depend on the order the atomics land in. QE/TE partial sums have a fixed grid and
 * order.
 */
package org.refinepoi.som.cuda;
