/*
 * lwIP compiler/platform glue for mxprobe (Cortex-M with newlib, and the host
 * for the unit test). Types come from <stdint.h> (lwIP's default), structs are
 * packed by lwIP's GCC default, byte order defaults to little endian.
 *
 * Diagnostics avoid printf: an assertion writes one line to the board console
 * with a hand-rolled line number, then stops. LWIP_PLATFORM_DIAG is only used
 * by LWIP_DEBUG builds, which may afford printf.
 */
#ifndef MXP_LWIP_ARCH_CC_H
#define MXP_LWIP_ARCH_CC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Write "lwip assert: <msg> (<file>:<line>)" to the console, then stop. */
void mxp_lwip_assert_fail(const char *msg, const char *file, int line);
/* Pseudo-random 32-bit value for DNS ids and initial ports (not entropy:
 * seeded from the board's best-effort source, see mxp_lwip_sys.c). */
uint32_t mxp_lwip_rand(void);
void mxp_lwip_rand_seed(uint32_t seed);

#define LWIP_PLATFORM_ASSERT(x) mxp_lwip_assert_fail((x), __FILE__, __LINE__)
#define LWIP_RAND() ((u32_t)mxp_lwip_rand())

#ifdef LWIP_DEBUG
#include <stdio.h>
#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
        printf x;                                                                                  \
    } while (0)
#else
#define LWIP_PLATFORM_DIAG(x)                                                                      \
    do {                                                                                           \
    } while (0)
#endif

#ifdef __cplusplus
}
#endif

#endif /* MXP_LWIP_ARCH_CC_H */
