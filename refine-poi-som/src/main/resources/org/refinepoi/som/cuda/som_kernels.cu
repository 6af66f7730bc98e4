// Refine-POI batch-SOM kernels, compiled at run time by NVRTC for the device found
// (SomKernels.java compiles this file with --gpu-architecture=sm_XX -default-device and
// without --use_fast_math). Self-contained: no toolkit headers, so NVRTC needs no include path.
//
// Conventions shared with the Java side (SomKernels, CudaSomSession, LaunchPlanner):
//  * samples X are row-major n x d floats; the codebook W is row-major m x d; w2[u] = |W_u|^2.
//  * BMU = argmin_u (w2[u] - 2 <x, W_u>), the squared distance minus the per-sample constant |x|^2.
//    Ties go to the LOWEST unit index, as in the pure-Java backend: each thread scans its units in
//    increasing order with a strict '<', and partial results from different threads are merged by
//    comparing (distance, index) lexicographically (better()).
//  * Per-unit sums are accumulated in 64-bit fixed point (value * 2^scaleBits rounded to an
//    integer): integer addition is associative, so the sums are bit-identical whatever the order
//    the atomics land in (deterministic), and finer than float when scaleBits >= 24.
//  * No kernel writes the n x m distance matrix.

#define BMU_TS 128       // samples per block tile (SIMT and tensor-core kernels)
#define BMU_TU 128       // units per tile
#define BMU_KC 16        // feature chunk of the SIMT kernel
#define BMU_THREADS 256  // threads per block of both BMU kernels
#define MMA_KC 32        // feature chunk of the tensor-core kernel (W tile)

// Minimum resident blocks per SM asked of the compiler (register cap 65536 / (256 * blocks)).
// The epoch kernels of the tensor-core path fit 128 registers without spills, so two blocks can
// overlap one block's tile loads with the other's mma; the FP32 kernel would spill at 128.
// Override with -DBMU_MIN_BLOCKS_MMA=1 (system property refinepoi.cuda.nvrtcOptions) to compare.
#ifndef BMU_MIN_BLOCKS_MMA
#define BMU_MIN_BLOCKS_MMA 2
#endif
#ifndef BMU_MIN_BLOCKS_FP32
#define BMU_MIN_BLOCKS_FP32 1
#endif
// The 3xTF32 epoch kernel fits 128 registers without spills on sm_90 only (ptxas 13.0: 208 bytes
// of spill stores on sm_80, 100 on sm_100); the host compiles it with one block per SM elsewhere
// (KernelSource.nvrtcOptions) and refuses the mode if the loaded kernel still uses local memory.
#ifndef BMU_MIN_BLOCKS_3XTF32
#define BMU_MIN_BLOCKS_3XTF32 BMU_MIN_BLOCKS_MMA
#endif
// Candidates per sample that the TF32 kernel re-ranks in FP32 (the top of each thread's own two,
// merged): the chosen unit is the FP32 kernel's whenever the FP32 best is among them, i.e. away
// from near-ties of three or more units within TF32 error of each other.
#define RR_K 4

typedef unsigned long long u64;

// (d, i) strictly better than (bd, bi): smaller distance, or equal distance and lower index.
// An empty slot has index -1, which as unsigned is the largest, so anything real beats it.
__device__ __forceinline__ bool better(float d, int i, float bd, int bi) {
  return d < bd || (d == bd && (unsigned)i < (unsigned)bi);
}

// Merges the sorted pair (b1,i1) <= (b2,i2) with the sorted pair (o1,j1) <= (o2,j2) from a thread
// covering disjoint units, keeping the two best in lexicographic order.
__device__ __forceinline__ void merge2(float& b1, int& i1, float& b2, int& i2,
                                       float o1, int j1, float o2, int j2) {
  if (better(o1, j1, b1, i1)) {
    if (better(b1, i1, o2, j2)) { b2 = b1; i2 = i1; } else { b2 = o2; i2 = j2; }
    b1 = o1; i1 = j1;
  } else if (better(o1, j1, b2, i2)) {
    b2 = o1; i2 = j1;
  }
}

// One candidate seen in increasing unit order by the same thread (strict '<' keeps lowest index).
template <bool TOP2>
__device__ __forceinline__ void offer(float d, int u, float& b1, int& i1, float& b2, int& i2) {
  if (d < b1) {
    if (TOP2) { b2 = b1; i2 = i1; }
    b1 = d; i1 = u;
  } else if (TOP2 && d < b2) {
    b2 = d; i2 = u;
  }
}

// ---------------------------------------------------------------------------------------------
// Fused distance + argmin, FP32 on the CUDA cores (the exact reference mode).
// Block: 256 threads = 16 (units, tx) x 16 (samples, ty); a block owns 128 samples and scans all
// units in tiles of 128 through shared memory; each thread keeps an 8 x 8 register tile of dot
// products and its per-sample best (and second best) in registers. The 16 threads that share
// samples are the two halves of one warp, merged with shuffles at the end.
// ---------------------------------------------------------------------------------------------
template <bool TOP2>
__device__ __forceinline__ void bmu_fp32_body(const float* __restrict__ X,
                                              const float* __restrict__ W,
                                              const float* __restrict__ w2, int n, int m, int d,
                                              int* __restrict__ bmu1, float* __restrict__ dist1,
                                              int* __restrict__ bmu2) {
  __shared__ __align__(16) float Xs[BMU_KC][BMU_TS + 4];
  __shared__ __align__(16) float Ws[BMU_KC][BMU_TU + 4];
  __shared__ float W2s[BMU_TU];

  const int tid = threadIdx.x;
  const int tx = tid & 15;
  const int ty = tid >> 4;
  const long long s0 = (long long)blockIdx.x * BMU_TS;

  float b1[8], b2[8];
  int i1[8], i2[8];
#pragma unroll
  for (int i = 0; i < 8; ++i) { b1[i] = 3.402823466e38f; b2[i] = 3.402823466e38f; i1[i] = -1; i2[i] = -1; }

  for (int u0 = 0; u0 < m; u0 += BMU_TU) {
    float acc[8][8];
#pragma unroll
    for (int i = 0; i < 8; ++i)
#pragma unroll
      for (int j = 0; j < 8; ++j) acc[i][j] = 0.f;

    if (tid < BMU_TU) W2s[tid] = (u0 + tid < m) ? w2[u0 + tid] : 0.f;

    for (int k0 = 0; k0 < d; k0 += BMU_KC) {
      // Cooperative, transposed loads: 16 consecutive threads read 16 consecutive features.
#pragma unroll
      for (int r = 0; r < (BMU_TS * BMU_KC) / BMU_THREADS; ++r) {
        int e = tid + r * BMU_THREADS;
        int k = e & (BMU_KC - 1);
        int s = e / BMU_KC;
        long long row = s0 + s;
        int col = k0 + k;
        Xs[k][s] = (row < n && col < d) ? X[row * d + col] : 0.f;
        int u = u0 + s;
        Ws[k][s] = (u < m && col < d) ? W[(long long)u * d + col] : 0.f;
      }
      __syncthreads();
#pragma unroll
      for (int k = 0; k < BMU_KC; ++k) {
        float4 a0 = *reinterpret_cast<const float4*>(&Xs[k][ty * 4]);
        float4 a1 = *reinterpret_cast<const float4*>(&Xs[k][64 + ty * 4]);
        float4 c0 = *reinterpret_cast<const float4*>(&Ws[k][tx * 4]);
        float4 c1 = *reinterpret_cast<const float4*>(&Ws[k][64 + tx * 4]);
        float a[8] = {a0.x, a0.y, a0.z, a0.w, a1.x, a1.y, a1.z, a1.w};
        float b[8] = {c0.x, c0.y, c0.z, c0.w, c1.x, c1.y, c1.z, c1.w};
#pragma unroll
        for (int i = 0; i < 8; ++i)
#pragma unroll
          for (int j = 0; j < 8; ++j) acc[i][j] = fmaf(a[i], b[j], acc[i][j]);
      }
      __syncthreads();
    }
    // Units of this thread in increasing order: tx*4 + 0..3, then 64 + tx*4 + 0..3.
#pragma unroll
    for (int j = 0; j < 8; ++j) {
      int local = (j < 4) ? (tx * 4 + j) : (64 + tx * 4 + (j - 4));
      int u = u0 + local;
      if (u < m) {
        float wn = W2s[local];
#pragma unroll
        for (int i = 0; i < 8; ++i) {
          float dist = fmaf(-2.f, acc[i][j], wn);
          offer<TOP2>(dist, u, b1[i], i1[i], b2[i], i2[i]);
        }
      }
    }
    __syncthreads();  // W2s is rewritten by the next tile
  }

  // Merge across the 16 threads (lanes of one half-warp) that share these samples.
#pragma unroll
  for (int i = 0; i < 8; ++i) {
#pragma unroll
    for (int off = 8; off >= 1; off >>= 1) {
      float o1 = __shfl_xor_sync(0xffffffffu, b1[i], off);
      int j1 = __shfl_xor_sync(0xffffffffu, i1[i], off);
      float o2 = __shfl_xor_sync(0xffffffffu, b2[i], off);
      int j2 = __shfl_xor_sync(0xffffffffu, i2[i], off);
      if (TOP2) {
        merge2(b1[i], i1[i], b2[i], i2[i], o1, j1, o2, j2);
      } else if (better(o1, j1, b1[i], i1[i])) {
        b1[i] = o1; i1[i] = j1;
      }
    }
  }
  if (tx == 0) {
#pragma unroll
    for (int i = 0; i < 8; ++i) {
      long long s = s0 + ((i < 4) ? (ty * 4 + i) : (64 + ty * 4 + (i - 4)));
      if (s < n) {
        bmu1[s] = i1[i];
        if (dist1 != nullptr) dist1[s] = b1[i];
        if (TOP2) bmu2[s] = i2[i];
      }
    }
  }
}

extern "C" __global__ void __launch_bounds__(BMU_THREADS, BMU_MIN_BLOCKS_FP32)
som_bmu_fp32(const float* __restrict__ X, const float* __restrict__ W, const float* __restrict__ w2,
             int n, int m, int d, int* __restrict__ bmu, float* __restrict__ dist) {
  bmu_fp32_body<false>(X, W, w2, n, m, d, bmu, dist, nullptr);
}

extern "C" __global__ void __launch_bounds__(BMU_THREADS)
som_bmu2_fp32(const float* __restrict__ X, const float* __restrict__ W, const float* __restrict__ w2,
              int n, int m, int d, int* __restrict__ bmu, float* __restrict__ dist,
              int* __restrict__ second) {
  bmu_fp32_body<true>(X, W, w2, n, m, d, bmu, dist, second);
}

// ---------------------------------------------------------------------------------------------
// Fused distance + argmin on the tensor cores: mma.sync m16n8k8 TF32 (sm_80+).
//  SPLIT = false: TF32 with an exact FP32 re-rank (the default `cuda` mode). X comes pre-rounded
//                 to TF32 (som_round_tf32, once per session), W is rounded once per block as it
//                 enters shared memory, so no fragment is converted in the inner loop. Each
//                 thread keeps its two best units by TF32 score; the per-sample union's best RR_K
//                 are re-scored with the FP32 kernel's arithmetic (fma chain over the features
//                 in order, then fmaf(-2, dot, |w|^2)) from the FP32 rows Xr, and the best by
//                 (FP32 score, index) wins: the FP32 BMU away from near-ties of 3+ units.
//  SPLIT = true : "3xTF32": a = hi + lo with hi = tf32(a), lo = tf32(a - hi); the product is
//                 hi*hi + hi*lo + lo*hi, close to FP32 accuracy at tensor-core rate / 3.
// Block: 256 threads = 8 warps as 4 (samples) x 2 (units); block tile 128 samples x 128 units;
// each warp 32 x 64 (2 x 8 mma tiles). The block's 128 x d sample tile stays in dynamic shared
// memory for the whole scan (stride roundup(d,32)+4: conflict-free fragment loads); W streams
// through in 128 x 32 chunks. Fragment layouts (PTX ISA, mma.m16n8k8 .tf32), g = lane/4, t = lane%4:
//  A (row-major 16x8): a0=(g,t) a1=(g+8,t) a2=(g,t+4) a3=(g+8,t+4)
//  B (col-major 8x8) : b0=(k=t,n=g) b1=(k=t+4,n=g)
//  C (16x8)          : c0=(g,2t) c1=(g,2t+1) c2=(g+8,2t) c3=(g+8,2t+1)
// ---------------------------------------------------------------------------------------------
__device__ __forceinline__ unsigned to_tf32(float x) {
  unsigned r;
  asm("cvt.rna.tf32.f32 %0, %1;" : "=r"(r) : "f"(x));
  return r;
}

__device__ __forceinline__ void mma_tf32(float* c, const unsigned* a, const unsigned* b) {
#if __CUDA_ARCH__ >= 800
  asm volatile(
      "mma.sync.aligned.m16n8k8.row.col.f32.tf32.tf32.f32 {%0,%1,%2,%3}, {%4,%5,%6,%7}, {%8,%9}, "
      "{%0,%1,%2,%3};\n"
      : "+f"(c[0]), "+f"(c[1]), "+f"(c[2]), "+f"(c[3])
      : "r"(a[0]), "r"(a[1]), "r"(a[2]), "r"(a[3]), "r"(b[0]), "r"(b[1]));
#else
  __trap();  // the host never selects this kernel below sm_80
#endif
}

// Inserts (d, i) into a list kept sorted by (distance, index), K slots, dropping the last.
template <int K>
__device__ __forceinline__ void insert_sorted(float* cd, int* ci, float d, int i) {
#pragma unroll
  for (int q = K - 1; q >= 0; --q) {
    if (better(d, i, cd[q], ci[q])) {
      if (q + 1 < K) { cd[q + 1] = cd[q]; ci[q + 1] = ci[q]; }
      if (q == 0 || !better(d, i, cd[q > 0 ? q - 1 : 0], ci[q > 0 ? q - 1 : 0])) {
        cd[q] = d; ci[q] = i;
      }
    }
  }
}

// The FP32 kernel's score of unit u for the row x: the same fma chain, so the same bits.
__device__ __forceinline__ float fp32_score(const float* __restrict__ x,
                                            const float* __restrict__ W,
                                            const float* __restrict__ w2, int u, int d) {
  const float* w = W + (long long)u * d;
  float dot = 0.f;
  for (int k = 0; k < d; ++k) dot = fmaf(x[k], w[k], dot);
  return fmaf(-2.f, dot, w2[u]);
}

template <bool SPLIT, bool TOP2>
__device__ __forceinline__ void bmu_mma_body(const float* __restrict__ X,
                                             const float* __restrict__ Xr,
                                             const float* __restrict__ W,
                                             const float* __restrict__ w2, int n, int m, int d,
                                             int* __restrict__ bmu1, float* __restrict__ dist1,
                                             int* __restrict__ bmu2) {
  // The TF32 mode keeps two per thread for its candidate list whatever the output.
  constexpr bool KEEP2 = TOP2 || !SPLIT;
  extern __shared__ __align__(16) float smem[];
  const int dpad = ((d + 31) / 32) * 32;  // k range covered by the mma loop (zero padded)
  const int xstride = dpad + 4;
  float* Xs = smem;                               // [BMU_TS][xstride]
  float* Ws = Xs + BMU_TS * xstride;              // [BMU_TU][MMA_KC + 4]
  float* W2s = Ws + BMU_TU * (MMA_KC + 4);        // [BMU_TU]
  float* redD = W2s + BMU_TU;                     // [2][BMU_TS][RR_K] cross-warp merge
  int* redI = reinterpret_cast<int*>(redD + 2 * BMU_TS * RR_K);

  const int tid = threadIdx.x;
  const int lane = tid & 31;
  const int warp = tid >> 5;
  const int wm = warp & 3;   // sample quarter of the block tile
  const int wn = warp >> 2;  // unit half of the block tile
  const int g = lane >> 2;
  const int t = lane & 3;
  const long long s0 = (long long)blockIdx.x * BMU_TS;

  // Resident sample tile, zero padded to dpad columns and past n.
  for (int e = tid; e < BMU_TS * dpad; e += BMU_THREADS) {
    int s = e / dpad, k = e - s * dpad;
    long long row = s0 + s;
    Xs[s * xstride + k] = (row < n && k < d) ? X[row * d + k] : 0.f;
  }

  // This thread's 4 sample rows (local to the block): wm*32 + mt*16 + g (+8).
  float b1[4], b2[4];
  int i1[4], i2[4];
#pragma unroll
  for (int r = 0; r < 4; ++r) { b1[r] = 3.402823466e38f; b2[r] = 3.402823466e38f; i1[r] = -1; i2[r] = -1; }

  for (int u0 = 0; u0 < m; u0 += BMU_TU) {
    float acc[2][8][4];
#pragma unroll
    for (int mt = 0; mt < 2; ++mt)
#pragma unroll
      for (int nt = 0; nt < 8; ++nt)
#pragma unroll
        for (int c = 0; c < 4; ++c) acc[mt][nt][c] = 0.f;

    __syncthreads();  // previous tile's readers of Ws/W2s are done (and Xs is loaded)
    if (tid < BMU_TU) W2s[tid] = (u0 + tid < m) ? w2[u0 + tid] : 0.f;

    for (int k0 = 0; k0 < dpad; k0 += MMA_KC) {
      for (int e = tid; e < BMU_TU * MMA_KC; e += BMU_THREADS) {
        int u = e / MMA_KC, k = e - u * MMA_KC;
        int gu = u0 + u, gk = k0 + k;
        float v = (gu < m && gk < d) ? W[(long long)gu * d + gk] : 0.f;
        Ws[u * (MMA_KC + 4) + k] = SPLIT ? v : __uint_as_float(to_tf32(v));
      }
      __syncthreads();
#pragma unroll
      for (int kk = 0; kk < MMA_KC; kk += 8) {
        unsigned ahi[2][4], alo[2][4];
#pragma unroll
        for (int mt = 0; mt < 2; ++mt) {
          const float* base = Xs + (wm * 32 + mt * 16 + g) * xstride + k0 + kk + t;
          float av[4] = {base[0], base[8 * xstride], base[4], base[8 * xstride + 4]};
#pragma unroll
          for (int q = 0; q < 4; ++q) {
            // TF32 mode: X is already rounded (som_round_tf32), its bits are the operand.
            ahi[mt][q] = SPLIT ? to_tf32(av[q]) : __float_as_uint(av[q]);
            if (SPLIT) alo[mt][q] = to_tf32(av[q] - __uint_as_float(ahi[mt][q]));
          }
        }
#pragma unroll
        for (int nt = 0; nt < 8; ++nt) {
          const float* wb = Ws + (wn * 64 + nt * 8 + g) * (MMA_KC + 4) + kk + t;
          float bv[2] = {wb[0], wb[4]};
          unsigned bhi[2], blo[2];
#pragma unroll
          for (int q = 0; q < 2; ++q) {
            bhi[q] = SPLIT ? to_tf32(bv[q]) : __float_as_uint(bv[q]);
            if (SPLIT) blo[q] = to_tf32(bv[q] - __uint_as_float(bhi[q]));
          }
#pragma unroll
          for (int mt = 0; mt < 2; ++mt) {
            if (SPLIT) {
              mma_tf32(acc[mt][nt], alo[mt], bhi);
              mma_tf32(acc[mt][nt], ahi[mt], blo);
            }
            mma_tf32(acc[mt][nt], ahi[mt], bhi);
          }
        }
      }
      __syncthreads();
    }
    // Scan this thread's units in increasing order: nt, then columns 2t, 2t+1.
#pragma unroll
    for (int nt = 0; nt < 8; ++nt) {
#pragma unroll
      for (int c = 0; c < 2; ++c) {
        int local = wn * 64 + nt * 8 + 2 * t + c;
        int u = u0 + local;
        if (u < m) {
          float wnorm = W2s[local];
#pragma unroll
          for (int mt = 0; mt < 2; ++mt) {
#pragma unroll
            for (int h = 0; h < 2; ++h) {
              float dist = fmaf(-2.f, acc[mt][nt][h * 2 + c], wnorm);
              int r = mt * 2 + h;
              offer<KEEP2>(dist, u, b1[r], i1[r], b2[r], i2[r]);
            }
          }
        }
      }
    }
  }

  if (!SPLIT) {
    // TF32: merge the 4 lanes' candidate lists (t = 0..3 share rows), then the two unit-half
    // warps' through shared memory, then re-rank the sample's best RR_K in FP32.
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      float cd[RR_K];
      int ci[RR_K];
#pragma unroll
      for (int q = 0; q < RR_K; ++q) { cd[q] = 3.402823466e38f; ci[q] = -1; }
      insert_sorted<RR_K>(cd, ci, b1[r], i1[r]);
      insert_sorted<RR_K>(cd, ci, b2[r], i2[r]);
#pragma unroll
      for (int off = 1; off <= 2; off <<= 1) {
        float od[RR_K];
        int oi[RR_K];
#pragma unroll
        for (int q = 0; q < RR_K; ++q) {
          od[q] = __shfl_xor_sync(0xffffffffu, cd[q], off);
          oi[q] = __shfl_xor_sync(0xffffffffu, ci[q], off);
        }
#pragma unroll
        for (int q = 0; q < RR_K; ++q) insert_sorted<RR_K>(cd, ci, od[q], oi[q]);
      }
      if (t == 0) {
        int row = wm * 32 + (r >> 1) * 16 + (r & 1) * 8 + g;
        int slot = (wn * BMU_TS + row) * RR_K;
#pragma unroll
        for (int q = 0; q < RR_K; ++q) { redD[slot + q] = cd[q]; redI[slot + q] = ci[q]; }
      }
    }
    __syncthreads();
    if (tid < BMU_TS) {
      long long s = s0 + tid;
      if (s < n) {
        float cd[RR_K];
        int ci[RR_K];
#pragma unroll
        for (int q = 0; q < RR_K; ++q) { cd[q] = redD[tid * RR_K + q]; ci[q] = redI[tid * RR_K + q]; }
        int o = (BMU_TS + tid) * RR_K;
#pragma unroll
        for (int q = 0; q < RR_K; ++q) insert_sorted<RR_K>(cd, ci, redD[o + q], redI[o + q]);
        const float* x = Xr + s * d;
        float f1 = 3.402823466e38f, f2 = 3.402823466e38f;
        int j1 = -1, j2 = -1;
#pragma unroll
        for (int q = 0; q < RR_K; ++q) {
          int u = ci[q];
          if (u < 0) continue;
          float f = fp32_score(x, W, w2, u, d);
          if (better(f, u, f1, j1)) {
            f2 = f1; j2 = j1; f1 = f; j1 = u;
          } else if (better(f, u, f2, j2)) {
            f2 = f; j2 = u;
          }
        }
        bmu1[s] = j1;
        if (dist1 != nullptr) dist1[s] = f1;
        if (TOP2) bmu2[s] = j2;
      }
    }
  } else {
  // 3xTF32: merge the 4 lanes (t = 0..3) that share rows, then the two unit-half warps via shared
  // memory.
#pragma unroll
  for (int r = 0; r < 4; ++r) {
#pragma unroll
    for (int off = 1; off <= 2; off <<= 1) {
      float o1 = __shfl_xor_sync(0xffffffffu, b1[r], off);
      int j1 = __shfl_xor_sync(0xffffffffu, i1[r], off);
      float o2 = __shfl_xor_sync(0xffffffffu, b2[r], off);
      int j2 = __shfl_xor_sync(0xffffffffu, i2[r], off);
      if (TOP2) {
        merge2(b1[r], i1[r], b2[r], i2[r], o1, j1, o2, j2);
      } else if (better(o1, j1, b1[r], i1[r])) {
        b1[r] = o1; i1[r] = j1;
      }
    }
  }
  __syncthreads();
  if (t == 0) {
#pragma unroll
    for (int r = 0; r < 4; ++r) {
      int row = wm * 32 + (r >> 1) * 16 + (r & 1) * 8 + g;
      int slot = (wn * BMU_TS + row) * RR_K;
      redD[slot] = b1[r]; redI[slot] = i1[r];
      redD[slot + 1] = b2[r]; redI[slot + 1] = i2[r];
    }
  }
  __syncthreads();
  if (tid < BMU_TS) {
    long long s = s0 + tid;
    if (s < n) {
      float c1 = redD[tid * RR_K], c2 = redD[tid * RR_K + 1];
      int k1 = redI[tid * RR_K], k2 = redI[tid * RR_K + 1];
      int o = (BMU_TS + tid) * RR_K;
      if (TOP2) {
        merge2(c1, k1, c2, k2, redD[o], redI[o], redD[o + 1], redI[o + 1]);
      } else if (better(redD[o], redI[o], c1, k1)) {
        c1 = redD[o]; k1 = redI[o];
      }
      bmu1[s] = k1;
      if (dist1 != nullptr) dist1[s] = c1;
      if (TOP2) bmu2[s] = k2;
    }
  }
  }  // 3xTF32
}

// TF32 entry points take Xt (X rounded to TF32, for the tensor cores) and Xr (the FP32 rows, for
// the re-rank); the 3xTF32 ones split the FP32 rows themselves.
extern "C" __global__ void __launch_bounds__(BMU_THREADS, BMU_MIN_BLOCKS_MMA)
som_bmu_tf32(const float* __restrict__ Xt, const float* __restrict__ Xr,
             const float* __restrict__ W, const float* __restrict__ w2, int n, int m, int d,
             int* __restrict__ bmu, float* __restrict__ dist) {
  bmu_mma_body<false, false>(Xt, Xr, W, w2, n, m, d, bmu, dist, nullptr);
}

extern "C" __global__ void __launch_bounds__(BMU_THREADS, BMU_MIN_BLOCKS_3XTF32)
som_bmu_3xtf32(const float* __restrict__ X, const float* __restrict__ W, const float* __restrict__ w2,
               int n, int m, int d, int* __restrict__ bmu, float* __restrict__ dist) {
  bmu_mma_body<true, false>(X, nullptr, W, w2, n, m, d, bmu, dist, nullptr);
}

extern "C" __global__ void __launch_bounds__(BMU_THREADS)
som_bmu2_tf32(const float* __restrict__ Xt, const float* __restrict__ Xr,
              const float* __restrict__ W, const float* __restrict__ w2, int n, int m, int d,
              int* __restrict__ bmu, float* __restrict__ dist, int* __restrict__ second) {
  bmu_mma_body<false, true>(Xt, Xr, W, w2, n, m, d, bmu, dist, second);
}

extern "C" __global__ void __launch_bounds__(BMU_THREADS)
som_bmu2_3xtf32(const float* __restrict__ X, const float* __restrict__ W, const float* __restrict__ w2,
                int n, int m, int d, int* __restrict__ bmu, float* __restrict__ dist,
                int* __restrict__ second) {
  bmu_mma_body<true, true>(X, nullptr, W, w2, n, m, d, bmu, dist, second);
}

// X rounded to TF32 (round to nearest, ties away, as cvt.rna), stored as floats: run once per
// session over the resident samples (once per chunk when they stream), so the TF32 kernel never
// converts a sample fragment.
extern "C" __global__ void som_round_tf32(const float* __restrict__ X, long long count,
                                          float* __restrict__ out) {
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < count;
       e += (long long)gridDim.x * blockDim.x) {
    out[e] = __uint_as_float(to_tf32(X[e]));
  }
}

// ---------------------------------------------------------------------------------------------
// Squared norms of the codebook rows: one thread per unit, an fma chain over the features in
// order, so |w|^2 has the bits the pure-Java backend computes (PackedCodebook) and the FP32
// kernel's scores equal the Java kernels' score for score.
// ---------------------------------------------------------------------------------------------
__device__ __forceinline__ float row_norm(const float* __restrict__ row, int d) {
  float s = 0.f;
  for (int k = 0; k < d; ++k) s = fmaf(row[k], row[k], s);
  return s;
}

extern "C" __global__ void som_row_norms(const float* __restrict__ W, int m, int d,
                                         float* __restrict__ w2) {
  int u = blockIdx.x * blockDim.x + threadIdx.x;
  if (u < m) w2[u] = row_norm(W + (long long)u * d, d);
}

// ---------------------------------------------------------------------------------------------
// Per-unit sums and counts in 64-bit fixed point: sums[u*d + k] += round(x[k] * 2^scaleBits).
// One thread per (sample, feature) element, so the loads of X are coalesced. Deterministic.
// ---------------------------------------------------------------------------------------------
// A BMU outside [0, m) (a sample whose every score was non-finite; the host refuses such data
// before any launch) is never used as an index: the lowest such row (rowBase + s) goes to *bad.
extern "C" __global__ void som_accumulate(const float* __restrict__ X, const int* __restrict__ bmu,
                                          long long n, int d, int m, float scale,
                                          u64* __restrict__ sums, unsigned* __restrict__ counts,
                                          long long rowBase, int* __restrict__ bad) {
  long long total = n * (long long)d;
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total;
       e += (long long)gridDim.x * blockDim.x) {
    long long s = e / d;
    int k = (int)(e - s * d);
    int u = bmu[s];
    if ((unsigned)u >= (unsigned)m) {
      if (k == 0) atomicMin(bad, (int)(rowBase + s));
      continue;
    }
    long long v = __float2ll_rn(X[e] * scale);
    atomicAdd(&sums[(long long)u * d + k], (u64)v);
    if (k == 0) atomicAdd(&counts[u], 1u);
  }
}

// Fixed-point sums -> the float matrix [S | c] (m x (d+1)) that the neighbourhood GEMM takes.
extern "C" __global__ void som_sums_to_float(const u64* __restrict__ sums,
                                             const unsigned* __restrict__ counts, int m, int d,
                                             double invScale, float* __restrict__ sc) {
  long long total = (long long)m * (d + 1);
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < total;
       e += (long long)gridDim.x * blockDim.x) {
    long long u = e / (d + 1);
    int k = (int)(e - u * (d + 1));
    sc[e] = (k < d) ? (float)((double)(long long)sums[u * d + k] * invScale) : (float)counts[u];
  }
}

// ---------------------------------------------------------------------------------------------
// Lattice geometry, mirroring org.refinepoi.core.sid.LatticeSpec (row-major cells; hexagonal =
// pointy-top odd-r offset rows, sqrt(3)/2 apart; a torus wraps both ways).
// ---------------------------------------------------------------------------------------------
#define HEX_ROW_HEIGHT 0.8660254037844386

__device__ __forceinline__ double lattice_sqdist(int a, int b, int rows, int cols, int hex,
                                                 int torus) {
  int ra = a / cols, ca = a - ra * cols, rb = b / cols, cb = b - rb * cols;
  double xa = ca + ((hex && (ra & 1)) ? 0.5 : 0.0);
  double xb = cb + ((hex && (rb & 1)) ? 0.5 : 0.0);
  double ya = hex ? ra * HEX_ROW_HEIGHT : (double)ra;
  double yb = hex ? rb * HEX_ROW_HEIGHT : (double)rb;
  double dx = fabs(xa - xb), dy = fabs(ya - yb);
  if (torus) {
    double width = cols, height = hex ? rows * HEX_ROW_HEIGHT : (double)rows;
    dx = fmin(dx, width - dx);
    dy = fmin(dy, height - dy);
  }
  return dx * dx + dy * dy;
}

__device__ __forceinline__ bool lattice_adjacent(int a, int b, int rows, int cols, int hex,
                                                 int torus) {
  if (a == b) return false;
  if (hex) return lattice_sqdist(a, b, rows, cols, hex, torus) <= 1.0 + 1e-9;
  int ra = a / cols, ca = a - ra * cols, rb = b / cols, cb = b - rb * cols;
  int dr = abs(ra - rb), dc = abs(ca - cb);
  if (torus) { dr = min(dr, rows - dr); dc = min(dc, cols - dc); }
  return max(dr, dc) <= 1;
}

// Neighbourhood matrix from distance classes: H[e] = weightOfClass[cls[e]]. The class of each unit
// pair (its distinct squared lattice distance) is uploaded once per lattice; each epoch only the
// few per-class weights change, so any host-side neighbourhood function is reproduced exactly.
extern "C" __global__ void som_gather_weights(const int* __restrict__ cls,
                                              const float* __restrict__ weightOfClass,
                                              long long count, float* __restrict__ H) {
  for (long long e = (long long)blockIdx.x * blockDim.x + threadIdx.x; e < count;
       e += (long long)gridDim.x * blockDim.x) {
    H[e] = weightOfClass[cls[e]];
  }
}

// W[u] = R[u, 0:d] / R[u, d] where R = H [S | c]; a unit with zero neighbourhood weight keeps its
// prototype. Also refreshes w2. One warp per unit.
extern "C" __global__ void som_divide_update(const float* __restrict__ R, int m, int d,
                                             float* __restrict__ W, float* __restrict__ w2) {
  int warpId = (blockIdx.x * blockDim.x + threadIdx.x) >> 5;
  int lane = threadIdx.x & 31;
  if (warpId >= m) return;
  const float* r = R + (long long)warpId * (d + 1);
  float den = r[d];
  float* w = W + (long long)warpId * d;
  for (int k = lane; k < d; k += 32) {
    w[k] = (den > 0.f) ? r[k] / den : w[k];
  }
  __syncwarp();
  if (lane == 0) w2[warpId] = row_norm(w, d);
}

// ---------------------------------------------------------------------------------------------
// Quantization and topographic error on the device. One warp per sample (coalesced row reads):
// the exact squared Euclidean distance to the BMU, recomputed directly as sum (x - w)^2 (no
// cancellation), optionally written per sample as its square root; and, when second != nullptr
// and rows > 0, whether BMU and second BMU are lattice neighbours. Block b ADDS its sums to
// partials[3b] (sum of distances), partials[3b+1] (sum of squared distances) and partials[3b+2]
// (non-adjacent count), so a pass over several chunks on one stream accumulates in a fixed order:
// the result is deterministic for a given grid. A BMU outside [0, m) is reported through *bad
// (the lowest row) and skipped, as in som_accumulate.
// ---------------------------------------------------------------------------------------------
extern "C" __global__ void som_qe_te(const float* __restrict__ X, const float* __restrict__ W,
                                     const int* __restrict__ bmu, const int* __restrict__ second,
                                     long long n, int d, int m, int rows, int cols, int hex,
                                     int torus, float* __restrict__ distOut,
                                     double* __restrict__ partials, long long rowBase,
                                     int* __restrict__ bad) {
  __shared__ double qeWarp[32];
  __shared__ double sqWarp[32];
  __shared__ double teWarp[32];
  int lane = threadIdx.x & 31;
  int warpInBlock = threadIdx.x >> 5;
  int warpsPerBlock = blockDim.x >> 5;
  long long warpId = (long long)blockIdx.x * warpsPerBlock + warpInBlock;
  long long totalWarps = (long long)gridDim.x * warpsPerBlock;
  double qe = 0.0, sq = 0.0, te = 0.0;
  for (long long s = warpId; s < n; s += totalWarps) {
    int b = bmu[s];
    if ((unsigned)b >= (unsigned)m) {  // warp-uniform: every lane reads the same b
      if (lane == 0) atomicMin(bad, (int)(rowBase + s));
      continue;
    }
    const float* x = X + s * d;
    const float* w = W + (long long)b * d;
    float acc = 0.f;
    for (int k = lane; k < d; k += 32) {
      float diff = x[k] - w[k];
      acc = fmaf(diff, diff, acc);
    }
    for (int off = 16; off >= 1; off >>= 1) acc += __shfl_xor_sync(0xffffffffu, acc, off);
    if (lane == 0) {
      double dist = sqrt((double)acc);
      qe += dist;
      sq += (double)acc;
      if (distOut != nullptr) distOut[s] = (float)dist;
      if (second != nullptr && rows > 0) {
        int b2 = second[s];
        if (b2 >= 0 && !lattice_adjacent(b, b2, rows, cols, hex, torus)) te += 1.0;
      }
    }
  }
  if (lane == 0) { qeWarp[warpInBlock] = qe; sqWarp[warpInBlock] = sq; teWarp[warpInBlock] = te; }
  __syncthreads();
  if (threadIdx.x == 0) {
    double q = 0.0, s2 = 0.0, t = 0.0;
    for (int i = 0; i < warpsPerBlock; ++i) { q += qeWarp[i]; s2 += sqWarp[i]; t += teWarp[i]; }
    partials[3 * blockIdx.x] += q;
    partials[3 * blockIdx.x + 1] += s2;
    partials[3 * blockIdx.x + 2] += t;
  }
}

// ---------------------------------------------------------------------------------------------
// Hierarchical (TREE) mode: ONE launch trains every child map for all epochs. Block p owns child p:
// the samples segStart[p] .. segStart[p+1] (X uploaded grouped by parent cell, so a child's rows
// are contiguous), its codebook Wc[p] (mc x d, kept in shared memory across epochs) and, per
// epoch e, the neighbourhood Hc[e] (mc x mc; all children share the lattice and the schedule).
// Blocks never communicate, so no grid-wide synchronisation is needed between epochs. BMUs use the
// same lowest-index tie rule as the flat kernels; sums are formed per feature column by fixed
// thread groups in sample order and combined in a fixed order: deterministic. A child without
// samples keeps its codebook. Dynamic shared memory (4-byte words):
//   W (mc*d) + w2 (mc) + H (mc*mc) + S (G*mc*d) + counts (G*mc), G = max(1, blockDim / d).
// bmuScratch holds one int per sample.
// ---------------------------------------------------------------------------------------------
extern "C" __global__ void som_tree_train(const float* __restrict__ X,
                                          const int* __restrict__ segStart, int mc, int d,
                                          int epochs, const float* __restrict__ Hc,
                                          float* __restrict__ Wc, int* __restrict__ bmuScratch) {
  extern __shared__ __align__(16) float sm[];
  const int p = blockIdx.x;
  const int tid = threadIdx.x;
  const int nt = blockDim.x;
  const int G = (nt / d) > 0 ? (nt / d) : 1;
  float* Ws = sm;
  float* w2s = Ws + mc * d;
  float* Hs = w2s + mc;
  float* Ss = Hs + mc * mc;
  float* Cs = Ss + G * mc * d;
  float* Wg = Wc + (long long)p * mc * d;
  const int begin = segStart[p], end = segStart[p + 1];
  if (end <= begin) return;  // no samples: the child keeps its codebook (block-uniform exit)

  for (int e = tid; e < mc * d; e += nt) Ws[e] = Wg[e];

  for (int epoch = 0; epoch < epochs; ++epoch) {
    const float* He = Hc + (long long)epoch * mc * mc;
    for (int e = tid; e < mc * mc; e += nt) Hs[e] = He[e];
    for (int e = tid; e < G * mc * d; e += nt) Ss[e] = 0.f;
    for (int e = tid; e < G * mc; e += nt) Cs[e] = 0.f;
    __syncthreads();
    for (int u = tid; u < mc; u += nt) {
      float s = 0.f;
      for (int k = 0; k < d; ++k) s = fmaf(Ws[u * d + k], Ws[u * d + k], s);
      w2s[u] = s;
    }
    __syncthreads();

    // 1. BMU of every sample of the segment, thread per sample, units in increasing order.
    for (int i = begin + tid; i < end; i += nt) {
      const float* x = X + (long long)i * d;
      float best = 3.402823466e38f;
      int bi = -1;
      for (int u = 0; u < mc; ++u) {
        float dot = 0.f;
        for (int k = 0; k < d; ++k) dot = fmaf(x[k], Ws[u * d + k], dot);
        float dist = fmaf(-2.f, dot, w2s[u]);
        if (dist < best) { best = dist; bi = u; }
      }
      bmuScratch[i] = bi;
    }
    __syncthreads();

    // 2. Sums: group grp takes samples begin+grp, begin+grp+G, ...; each thread owns feature
    //    column(s), so no two threads ever add into the same shared word.
    const int grp = tid / d;
    if (grp < G) {
      for (int k = (G > 1 ? tid - grp * d : tid); k < d; k += (G > 1 ? d : nt)) {
        for (int i = begin + grp; i < end; i += G) {
          int u = bmuScratch[i];
          if (u < 0) continue;  // no BMU (refused on the host before upload): never an index
          Ss[(grp * mc + u) * d + k] += X[(long long)i * d + k];
          if (k == 0) Cs[grp * mc + u] += 1.f;
        }
      }
    }
    __syncthreads();
    for (int e = tid; e < mc * d; e += nt) {
      float s = 0.f;
      for (int q = 0; q < G; ++q) s += Ss[q * mc * d + e];
      Ss[e] = s;
    }
    for (int u = tid; u < mc; u += nt) {
      float c = 0.f;
      for (int q = 0; q < G; ++q) c += Cs[q * mc + u];
      Cs[u] = c;
    }
    __syncthreads();

    // 3. W_j = sum_u H[j][u] S_u / sum_u H[j][u] c_u, kept where the weight is not positive.
    //    Each thread rewrites only the words it reads of Ws: safe in place.
    for (int e = tid; e < mc * d; e += nt) {
      int j = e / d, k = e - j * d;
      float num = 0.f, den = 0.f;
      for (int u = 0; u < mc; ++u) {
        num = fmaf(Hs[j * mc + u], Ss[u * d + k], num);
        den = fmaf(Hs[j * mc + u], Cs[u], den);
      }
      if (den > 0.f) Ws[e] = num / den;
    }
    __syncthreads();
  }
  for (int e = tid; e < mc * d; e += nt) Wg[e] = Ws[e];
}
