// The GEMM driver: GotoBLAS/BLIS loops around a micro-kernel, for row-major C.
//
//   for jc in n, by nc:                 B block (kc x nc), packed once per (jc, pc)
//     for pc in k, by kc:
//       pack B[pc.., jc..] into nr-wide micro-panels
//       for ic in m, by mc:             A block (mc x kc), packed, stays in L2
//         pack A[ic.., pc..] into mr-tall micro-panels
//         for jr in nc, by nr:          one B micro-panel (kc x nr) stays in L1 ...
//           for ir in mc, by mr:        ... while A micro-panels stream past it from L2
//             micro-kernel: C[ir.., jr..] (mr x nr) = alpha * A_panel * B_panel + beta * C
//
// Packing reads A and B once per block whatever their transposes and leading dimensions, and
// pads the edges with zeros, so the micro-kernels only ever see full tiles; edge tiles of C
// are computed into a small buffer and merged. Blocks come from the cache sizes: the B
// micro-panel takes half of L1, the A block half of L2.
#include "fathom_gemm.h"
#include "gemm_kernels.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { MAX_MR = 16, MAX_NR = 32 };

static long min_long(long a, long b) { return a < b ? a : b; }
static long max_long(long a, long b) { return a > b ? a : b; }
static long clamp_long(long x, long lo, long hi) { return min_long(max_long(x, lo), hi); }

static const fathom_kernel_set *kernel_set(fathom_isa isa) {
    switch (isa) {
#if defined(__x86_64__)
    case FATHOM_ISA_AVX512: return &fathom_kernels_avx512;
    case FATHOM_ISA_AVX2: return &fathom_kernels_avx2;
#endif
    default: return &fathom_kernels_generic;
    }
}

void fathom_gemm_tile(fathom_isa isa, long *mr, long *nr) {
    const fathom_kernel_set *set = kernel_set(isa);
    *mr = set->mr;
    *nr = set->nr;
}

// MARK: - Cache blocking

/// A cache's size from the C library, or `fallback` where it does not say (0 or -1).
static long cache_size(int name, long fallback) {
    long size = name >= 0 ? sysconf(name) : -1;
    return size > 0 ? size : fallback;
}

typedef struct blocking { long kc, mc, nc; } blocking;

static blocking blocking_for(const fathom_kernel_set *set) {
#if defined(_SC_LEVEL1_DCACHE_SIZE)
    const long l1 = cache_size(_SC_LEVEL1_DCACHE_SIZE, 32 << 10), l2 = cache_size(_SC_LEVEL2_CACHE_SIZE, 1 << 20);
#else
    const long l1 = 32 << 10, l2 = 1 << 20;
#endif
    blocking b;
    // The B micro-panel (kc x nr) the kernel sweeps mc/mr times may fill L1: with the A
    // micro-panels prefetched from L2, the whole of L1 measured faster than half of it (fewer
    // passes over C: 2048^3 on one core of an Intel Xeon family 6 model 207, AVX-512, 150 ->
    // 156 GFLOP/s, 4096^3 146 -> 157).
    b.kc = clamp_long(l1 / (set->nr * (long)sizeof(float)) / 16 * 16, 128, 512);
    // Half of L2 for the A block.
    b.mc = clamp_long(l2 / 2 / (b.kc * set->a_copies * (long)sizeof(float)) / set->mr * set->mr, set->mr,
                      960 / set->mr * set->mr);
    // B blocks of a few MiB: wide enough that packing A is amortized over many columns.
    b.nc = 4096 / set->nr * set->nr;
    return b;
}

static blocking cached_blocking(fathom_isa isa) {
    static blocking table[FATHOM_ISA_COUNT];
    static int ready[FATHOM_ISA_COUNT];
    if (!__atomic_load_n(&ready[isa], __ATOMIC_ACQUIRE)) {
        table[isa] = blocking_for(kernel_set(isa));  // racing first calls write the same values
        __atomic_store_n(&ready[isa], 1, __ATOMIC_RELEASE);
    }
    return table[isa];
}

void fathom_gemm_blocking(fathom_isa isa, long *kc, long *mc, long *nc) {
    const blocking b = cached_blocking(isa);
    *kc = b.kc;
    *mc = b.mc;
    *nc = b.nc;
}

// MARK: - Per-thread packing buffers

typedef struct workspace {
    float *a, *b;
    size_t a_capacity, b_capacity;  // floats
} workspace;

static pthread_key_t workspace_key;
static pthread_once_t workspace_once = PTHREAD_ONCE_INIT;

static void free_workspace(void *pointer) {
    workspace *w = pointer;
    free(w->a);
    free(w->b);
    free(w);
}

static void make_workspace_key(void) {
    if (pthread_key_create(&workspace_key, free_workspace) != 0) {
        fputs("fathom_sgemm: pthread_key_create failed\n", stderr);
        abort();
    }
}

static void *allocate_or_die(size_t bytes) {
    void *p = aligned_alloc(64, (bytes + 63) / 64 * 64);
    if (p == NULL) {
        fprintf(stderr, "fathom_sgemm: out of memory for a %zu-byte packing buffer\n", bytes);
        abort();
    }
    return p;
}

static workspace *thread_workspace(void) {
    pthread_once(&workspace_once, make_workspace_key);
    workspace *w = pthread_getspecific(workspace_key);
    if (w == NULL) {
        w = allocate_or_die(sizeof *w);
        memset(w, 0, sizeof *w);
        pthread_setspecific(workspace_key, w);
    }
    return w;
}

/// A buffer of at least `count` floats, 64-byte aligned, kept for the thread's next call.
static float *reserve(float **buffer, size_t *capacity, size_t count) {
    if (count > *capacity) {
        free(*buffer);
        *buffer = allocate_or_die(count * sizeof(float));
        *capacity = count;
    }
    return *buffer;
}

// MARK: - The product

/// C = beta * C on an m x n block (beta == 0 writes zeros without reading).
static void scale(long m, long n, float beta, float *c, long ldc) {
    for (long i = 0; i < m; i++) {
        float *row = c + i * ldc;
        if (beta == 0) memset(row, 0, (size_t)n * sizeof(float));
        else if (beta != 1) for (long j = 0; j < n; j++) row[j] *= beta;
    }
}

void fathom_sgemm_isa(fathom_isa isa, int transpose_a, int transpose_b, long m, long n, long k,
                      float alpha, const float *a, long lda, const float *b, long ldb,
                      float beta, float *c, long ldc) {
    if (!fathom_isa_is_supported(isa)) {
        fprintf(stderr, "fathom_sgemm: the %s path needs instructions this CPU lacks\n", fathom_isa_name(isa));
        abort();
    }
    if (m <= 0 || n <= 0) return;
    if (k <= 0 || alpha == 0) {
        scale(m, n, beta, c, ldc);
        return;
    }
    const fathom_kernel_set *set = kernel_set(isa);
    const long mr = set->mr, nr = set->nr, copies = set->a_copies;
    const blocking blocks = cached_blocking(isa);
    const long kc = blocks.kc, mc = blocks.mc, nc = blocks.nc;

    workspace *w = thread_workspace();
    const long kb_max = min_long(kc, k);
    float *packed_a = reserve(&w->a, &w->a_capacity, (size_t)(kb_max * copies * ((min_long(mc, m) + mr - 1) / mr * mr)));
    float *packed_b = reserve(&w->b, &w->b_capacity, (size_t)(kb_max * ((min_long(nc, n) + nr - 1) / nr * nr)));
    float tile[MAX_MR * MAX_NR] __attribute__((aligned(64)));

    for (long jc = 0; jc < n; jc += nc) {
        const long nb = min_long(nc, n - jc);
        for (long pc = 0; pc < k; pc += kc) {
            const long kb = min_long(kc, k - pc);
            const float beta_block = pc == 0 ? beta : 1;  // later depth blocks add onto the first
            set->pack_b(b, transpose_b, ldb, pc, jc, kb, nb, packed_b);
            for (long ic = 0; ic < m; ic += mc) {
                const long mb = min_long(mc, m - ic);
                set->pack_a(a, transpose_a, lda, ic, pc, mb, kb, packed_a);
                for (long jr = 0; jr < nb; jr += nr) {
                    const long columns = min_long(nr, nb - jr);
                    const float *panel_b = packed_b + jr * kb;
                    for (long ir = 0; ir < mb; ir += mr) {
                        const long rows = min_long(mr, mb - ir);
                        float *target = c + (ic + ir) * ldc + jc + jr;
                        const float *panel_a = packed_a + ir * kb * copies;
                        if (rows == mr && columns == nr) {
                            set->kernel(kb, panel_a, panel_b, target, ldc, alpha, beta_block);
                            continue;
                        }
                        set->kernel(kb, panel_a, panel_b, tile, nr, 1, 0);
                        for (long i = 0; i < rows; i++) {
                            float *row = target + i * ldc;
                            const float *t = tile + i * nr;
                            if (beta_block == 0) for (long j = 0; j < columns; j++) row[j] = alpha * t[j];
                            else for (long j = 0; j < columns; j++) row[j] = alpha * t[j] + beta_block * row[j];
                        }
                    }
                }
            }
        }
    }
}

void fathom_sgemm(int transpose_a, int transpose_b, long m, long n, long k,
                  float alpha, const float *a, long lda, const float *b, long ldb,
                  float beta, float *c, long ldc) {
    fathom_sgemm_isa(fathom_isa_active(), transpose_a, transpose_b, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}
