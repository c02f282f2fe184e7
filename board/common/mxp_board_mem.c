/*
 * Memory for bare-metal boards: the bounded heap behind newlib-nano's malloc,
 * the heap and stack high-water marks, and the few newlib system calls a
 * program without files can meet.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>

#include "mxp_board.h"
#include "mxp_cortexm.h"

/* newlib's system-call interface (declared here: newlib's headers do not). */
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

static char *heap_brk;   /* NULL until the first _sbrk */
static size_t heap_peak; /* highest break, bytes from __mxp_heap_start */

/* The heap is the linker script's [__mxp_heap_start, __mxp_heap_end): the
 * stack lives in its own region below .data, so growing the heap can never
 * meet it. At the limit malloc gets ENOMEM and returns NULL. */
__attribute__((used)) void *_sbrk(ptrdiff_t incr)
{
    if (heap_brk == NULL)
        heap_brk = __mxp_heap_start;
    char *prev = heap_brk;
    size_t used = (size_t)(heap_brk - __mxp_heap_start);
    size_t room = (size_t)(__mxp_heap_end - heap_brk);
    if ((incr > 0 && (size_t)incr > room) || (incr < 0 && (size_t)-incr > used)) {
        errno = ENOMEM;
        return (void *)-1;
    }
    heap_brk += incr;
    used = (size_t)(heap_brk - __mxp_heap_start);
    if (used > heap_peak)
        heap_peak = used;
    return prev;
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
