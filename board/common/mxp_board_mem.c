/*
 * Memory for bare-metal boards: the bounded heap (malloc and friends for
 * every library, wolfSSL above all), the heap and stack high-water marks,
 * and the few newlib system calls a program without files can meet.
 */
#include <errno.h>
#include <reent.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "mxp_board.h"
#include "mxp_cortexm.h"

/* newlib's system-call and allocator interfaces (declared here: newlib's
 * headers do not declare the system calls; malloc and friends are defined
 * here so that newlib's own allocator is never linked). */
void *_sbrk(ptrdiff_t incr);
int _write(int fd, const char *buf, int len);
int _read(int fd, char *buf, int len);
int _close(int fd);
int _lseek(int fd, int offset, int whence);
int _fstat(int fd, struct stat *st);
int _isatty(int fd);
int _getpid(void);
int _kill(int pid, int sig);
__attribute__((noreturn)) void _exit(int status);
void *_malloc_r(struct _reent *r, size_t n);
void _free_r(struct _reent *r, void *p);
void *_realloc_r(struct _reent *r, void *p, size_t n);
void *_calloc_r(struct _reent *r, size_t n, size_t size);
/* The engine's optional hook (firmware/src/mxp_tls.h): a handshake during
 * which an allocation failed is reported as out of memory. */
uint32_t mxp_heap_failures(void);

/* ---- the heap -------------------------------------------------------------
 * The linker script's [__mxp_heap_start, __mxp_heap_end), carved by best fit
 * from an address-ordered list of free chunks: a chunk is split at its low
 * end, freed chunks merge with free neighbours, and the arena's top only
 * grows when no free chunk fits (a freed chunk at the top lowers it again).
 * Replayed against the allocations of a full probe matrix (wolfSSL, RSA-2048
 * server) the high-water mark is 23.9 KB; newlib-nano's first fit, which
 * splits chunks at their high end, reached 29.2 KB for the same 22.8 KB of
 * live data. At the limit malloc returns NULL (ENOMEM): wolfSSL reports
 * MEMORY_E and the probe records "out of memory", never a verdict.
 *
 * One thread of control and no allocation from interrupts (mxp_board.h).
 * `used`: newlib's own objects (printf) call these after link-time
 * optimisation has run, which must not drop them. */
struct heap_chunk {
    size_t size;             /* bytes, header included; a multiple of 8 */
    struct heap_chunk *next; /* free chunks only: the next one up */
};
#define HEAP_HDR 8u  /* keeps the payload 8-byte aligned, as the AAPCS wants */
#define HEAP_MIN 16u /* the smallest chunk worth keeping free */

static uint32_t heap_failures;       /* allocations refused, since boot */
static struct heap_chunk *heap_free; /* free chunks below heap_top, by address */
static char *heap_top;               /* NULL until the first allocation */
static size_t heap_peak;             /* highest heap_top seen, bytes from __mxp_heap_start */

/* Chunks start at 8-byte boundaries by construction (heap start, sizes). */
static struct heap_chunk *heap_chunk_at(char *p)
{
    return (struct heap_chunk *)(void *)p;
}

/* Every refusal is counted: wolfCrypt does not always report it as such. */
static void *heap_refuse(struct _reent *r)
{
    heap_failures++;
    r->_errno = ENOMEM;
    return NULL;
}

uint32_t mxp_heap_failures(void)
{
    return heap_failures;
}

static size_t heap_chunk_size(size_t n)
{
    size_t arena = (size_t)(__mxp_heap_end - __mxp_heap_start);
    if (n > arena)
        return 0;
    size_t c = (n + HEAP_HDR + 7u) & ~(size_t)7u;
    return c < HEAP_MIN ? HEAP_MIN : c;
}

__attribute__((used)) void *_malloc_r(struct _reent *r, size_t n)
{
    if (heap_top == NULL)
        heap_top = __mxp_heap_start;
    size_t c = heap_chunk_size(n);
    if (c == 0) {
        return heap_refuse(r);
    }
    struct heap_chunk **best = NULL, **last = NULL;
    for (struct heap_chunk **pp = &heap_free; *pp != NULL; pp = &(*pp)->next) {
        last = pp;
        if ((*pp)->size >= c && (best == NULL || (*pp)->size < (*best)->size)) {
            best = pp;
            if ((*pp)->size == c)
                break;
        }
    }
    struct heap_chunk *b;
    if (best != NULL) {
        b = *best;
        if (b->size - c >= HEAP_MIN) {
            struct heap_chunk *rest = heap_chunk_at((char *)b + c);
            rest->size = b->size - c;
            rest->next = b->next;
            *best = rest;
            b->size = c;
        } else {
            *best = b->next;
        }
        return (char *)b + HEAP_HDR;
    }
    /* Nothing fits: grow the top, starting with a free chunk that ends there. */
    char *start = heap_top;
    if (last != NULL && (char *)*last + (*last)->size == heap_top)
        start = (char *)*last;
    if ((size_t)(__mxp_heap_end - start) < c) {
        return heap_refuse(r);
    }
    if (start != heap_top)
        *last = NULL; /* the list's last chunk is now part of the new one */
    b = heap_chunk_at(start);
    b->size = c;
    heap_top = start + c;
    if ((size_t)(heap_top - __mxp_heap_start) > heap_peak)
        heap_peak = (size_t)(heap_top - __mxp_heap_start);
    return (char *)b + HEAP_HDR;
}

__attribute__((used)) void _free_r(struct _reent *r, void *p)
{
    (void)r;
    if (p == NULL || (char *)p < __mxp_heap_start + HEAP_HDR || (char *)p >= heap_top)
        return; /* not ours: nothing to do that would not corrupt the arena */
    struct heap_chunk *b = heap_chunk_at((char *)p - HEAP_HDR);
    struct heap_chunk **pp = &heap_free, *prev = NULL;
    while (*pp != NULL && *pp < b) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    b->next = *pp;
    *pp = b;
    if (b->next != NULL && (char *)b + b->size == (char *)b->next) {
        b->size += b->next->size;
        b->next = b->next->next;
    }
    if (prev != NULL && (char *)prev + prev->size == (char *)b) {
        prev->size += b->size;
        prev->next = b->next;
        b = prev;
    }
    if (b->next == NULL && (char *)b + b->size == heap_top) {
        /* The top chunk goes back to the arena. */
        heap_top = (char *)b;
        if (prev == b) {
            struct heap_chunk **q = &heap_free;
            while (*q != b)
                q = &(*q)->next;
            *q = NULL;
        } else {
            *pp = NULL;
        }
    }
}

__attribute__((used)) void *_realloc_r(struct _reent *r, void *p, size_t n)
{
    if (p == NULL)
        return _malloc_r(r, n);
    if (n == 0) {
        _free_r(r, p);
        return NULL;
    }
    struct heap_chunk *b = heap_chunk_at((char *)p - HEAP_HDR);
    size_t c = heap_chunk_size(n);
    if (c == 0) {
        return heap_refuse(r);
    }
    if (c <= b->size)
        return p; /* shrinking keeps the chunk: wolfSSL shrinks rarely and briefly */
    if ((char *)b + b->size == heap_top && (size_t)(__mxp_heap_end - (char *)b) >= c) {
        heap_top = (char *)b + c;
        b->size = c;
        if ((size_t)(heap_top - __mxp_heap_start) > heap_peak)
            heap_peak = (size_t)(heap_top - __mxp_heap_start);
        return p;
    }
    void *q = _malloc_r(r, n);
    if (q != NULL) {
        memcpy(q, p, b->size - HEAP_HDR);
        _free_r(r, p);
    }
    return q;
}

__attribute__((used)) void *_calloc_r(struct _reent *r, size_t n, size_t size)
{
    if (size != 0 && n > SIZE_MAX / size) {
        return heap_refuse(r);
    }
    void *p = _malloc_r(r, n * size);
    if (p != NULL)
        memset(p, 0, n * size);
    return p;
}

__attribute__((used)) void *malloc(size_t n)
{
    return _malloc_r(_REENT, n);
}

__attribute__((used)) void free(void *p)
{
    _free_r(_REENT, p);
}

__attribute__((used)) void *realloc(void *p, size_t n)
{
    return _realloc_r(_REENT, p, n);
}

__attribute__((used)) void *calloc(size_t n, size_t size)
{
    return _calloc_r(_REENT, n, size);
}

/* Nothing else may take heap memory behind the allocator's back. */
__attribute__((used)) void *_sbrk(ptrdiff_t incr)
{
    (void)incr;
    errno = ENOMEM;
    return (void *)-1;
}

size_t mxp_board_heap_peak(void)
{
    return heap_peak;
}

size_t mxp_board_stack_peak(void)
{
    const uint32_t *p = __mxp_stack_limit;
    while (p < __mxp_stack_top && *p == MXP_STACK_PAINT)
        p++;
    return (size_t)((const char *)__mxp_stack_top - (const char *)p);
}

/* ---- newlib system calls: console only, no files ------------------------- */

int _write(int fd, const char *buf, int len)
{
    if (fd != 1 && fd != 2) {
        errno = EBADF;
        return -1;
    }
    mxp_board_console_write(buf, (size_t)len);
    return len;
}

int _read(int fd, char *buf, int len)
{
    (void)fd;
    (void)buf;
    (void)len;
    errno = EAGAIN; /* the console is read with mxp_board_console_getc() */
    return -1;
}

int _close(int fd)
{
    (void)fd;
    errno = EBADF;
    return -1;
}

int _lseek(int fd, int offset, int whence)
{
    (void)fd;
    (void)offset;
    (void)whence;
    errno = ESPIPE;
    return -1;
}

int _fstat(int fd, struct stat *st)
{
    (void)fd;
    st->st_mode = S_IFCHR;
    return 0;
}

int _isatty(int fd)
{
    return fd >= 0 && fd <= 2;
}

int _getpid(void)
{
    return 1;
}

int _kill(int pid, int sig)
{
    (void)pid;
    (void)sig;
    errno = EINVAL;
    return -1;
}

void _exit(int status)
{
    mxp_board_exit(status);
    for (;;)
        __asm volatile("wfi");
}
