// Which GEMM paths this CPU can run, decided from CPUID feature bits and the operating
// system's saved register state (XGETBV), never from vendor or model numbers; and the
// FATHOM_ISA override.
#include "fathom_gemm.h"

#include <stdlib.h>
#include <string.h>
#if defined(__x86_64__)
#include <cpuid.h>
#endif

#if defined(__x86_64__)
/// XCR0: which register states the OS saves on a context switch.
static unsigned long long read_xcr0(void) {
    unsigned eax, edx;
    __asm__ volatile("xgetbv" : "=a"(eax), "=d"(edx) : "c"(0));
    return ((unsigned long long)edx << 32) | eax;
}

static int detect(fathom_isa isa) {
    unsigned eax, ebx, ecx, edx;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx)) return 0;
    const int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1;
    if (!(fma && osxsave && avx)) return 0;
    const unsigned long long xcr0 = read_xcr0();
    if ((xcr0 & 0x6) != 0x6) return 0;  // XMM and YMM state
    if (!__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx)) return 0;
    const int avx2 = (ebx >> 5) & 1, avx512f = (ebx >> 16) & 1;
    if (isa == FATHOM_ISA_AVX2) return avx2;
    if (isa == FATHOM_ISA_AVX512) return avx2 && avx512f && (xcr0 & 0xE0) == 0xE0;  // opmask, ZMM0-15 high, ZMM16-31
    return 0;
}
#endif

static int detect_supported(fathom_isa isa) {
    if (isa == FATHOM_ISA_GENERIC) return 1;
#if defined(__x86_64__)
    if (isa == FATHOM_ISA_AVX2 || isa == FATHOM_ISA_AVX512) return detect(isa);
#endif
    return 0;
}

int fathom_isa_is_supported(fathom_isa isa) {
    if ((int)isa < 0 || isa >= FATHOM_ISA_COUNT) return 0;
    // 0 unknown, 1 no, 2 yes; racing first calls store the same answer.
    static int answers[FATHOM_ISA_COUNT];
    int answer = __atomic_load_n(&answers[isa], __ATOMIC_RELAXED);
    if (answer == 0) {
        answer = detect_supported(isa) ? 2 : 1;
        __atomic_store_n(&answers[isa], answer, __ATOMIC_RELAXED);
    }
    return answer == 2;
}

const char *fathom_isa_name(fathom_isa isa) {
    switch (isa) {
    case FATHOM_ISA_AVX512: return "avx512";
    case FATHOM_ISA_AVX2: return "avx2";
    case FATHOM_ISA_GENERIC: return "generic";
    default: return "unknown";
    }
}

static fathom_isa widest_supported(void) {
    for (int isa = FATHOM_ISA_COUNT - 1; isa > FATHOM_ISA_GENERIC; isa--)
        if (fathom_isa_is_supported((fathom_isa)isa)) return (fathom_isa)isa;
    return FATHOM_ISA_GENERIC;
}

static int request_rejected;

/// The path for this process: decided on first use. Racing first calls compute the same value.
static fathom_isa choose(void) {
    const char *requested = getenv("FATHOM_ISA");
    if (requested == NULL || requested[0] == 0) return widest_supported();
    for (int isa = 0; isa < FATHOM_ISA_COUNT; isa++) {
        if (strcmp(requested, fathom_isa_name((fathom_isa)isa)) == 0) {
            if (fathom_isa_is_supported((fathom_isa)isa)) return (fathom_isa)isa;
            break;
        }
    }
    __atomic_store_n(&request_rejected, 1, __ATOMIC_RELAXED);
    return widest_supported();
}

fathom_isa fathom_isa_active(void) {
    static int chosen = -1;
    int isa = __atomic_load_n(&chosen, __ATOMIC_ACQUIRE);
    if (isa < 0) {
        isa = (int)choose();
        __atomic_store_n(&chosen, isa, __ATOMIC_RELEASE);
    }
    return (fathom_isa)isa;
}

int fathom_isa_request_was_rejected(void) {
    (void)fathom_isa_active();
    return __atomic_load_n(&request_rejected, __ATOMIC_RELAXED);
}
