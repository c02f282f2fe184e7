/*
 * POSIX clock, entropy, report sink, and the HAL wiring.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "mxp_posix.h"
#include "mxp_status_line.h"

static uint32_t posix_now_ms(void *ctx)
{
    struct timespec ts;
    (void)ctx;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint32_t)((uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u);
}

static mxp_err posix_unix_time(void *ctx, int64_t *out)
{
    struct timespec ts;
    (void)ctx;
    if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
        return MXP_ERR(MXP_E_UNSUPPORTED, errno);
    *out = (int64_t)ts.tv_sec;
    return MXP_SUCCESS;
}

const struct mxp_hal_clock_api mxp_posix_clock = {
    .now_ms = posix_now_ms,
    .unix_time = posix_unix_time,
};

static mxp_err posix_entropy_fill(void *ctx, uint8_t *buf, size_t len, bool *quality)
{
    (void)ctx;
    while (len > 0) {
        ssize_t n = getrandom(buf, len, 0);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return MXP_ERR(MXP_E_IO, errno);
        }
        buf += n;
        len -= (size_t)n;
    }
    if (quality != NULL)
        *quality = true; /* the kernel CSPRNG */
    return MXP_SUCCESS;
}

const struct mxp_hal_entropy_api mxp_posix_entropy = {.fill = posix_entropy_fill};

static mxp_err write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return MXP_ERR(MXP_E_IO, errno);
        }
        buf += n;
        len -= (size_t)n;
    }
    return MXP_SUCCESS;
}

/* The status line is decoration: a failed write to it is not worth a word. */
static void progress_write(void *ctx, const char *buf, size_t len)
{
    const struct mxp_posix_sink *s = ctx;
    (void)write_all(s->progress_fd, buf, len);
}

static mxp_err posix_sink_write(void *ctx, const char *buf, size_t len)
{
    struct mxp_posix_sink *s = ctx;
    mxp_status_line_clear(&s->progress, progress_write, s);
    return write_all(s->out_fd, buf, len);
}

static void posix_sink_progress(void *ctx, const char *line)
{
    struct mxp_posix_sink *s = ctx;
    if (s->show_progress)
        mxp_status_line_show(&s->progress, progress_write, s, line);
}

/* SIGINT: the first one asks the engine to stop and report what it has; the
 * handler then steps aside so a second Ctrl-C ends the process at once. A
 * signal handler has no context pointer, hence the one static flag. */
static volatile sig_atomic_t interrupt_seen;

static void on_sigint(int sig)
{
    interrupt_seen = 1;
    signal(sig, SIG_DFL);
}

static bool posix_sink_interrupted(void *ctx)
{
    (void)ctx;
    return interrupt_seen != 0;
}

const struct mxp_hal_sink_api mxp_posix_sink_api = {
    .write = posix_sink_write,
    .progress = posix_sink_progress,
    .interrupted = posix_sink_interrupted,
};

/* Without a terminal to draw on there is no progress operation at all. */
static const struct mxp_hal_sink_api posix_sink_no_progress = {
    .write = posix_sink_write,
    .interrupted = posix_sink_interrupted,
};

void mxp_posix_hal_init(struct mxp_posix_hal *p, bool allow_progress)
{
    memset(p, 0, sizeof *p);
    interrupt_seen = 0;
    signal(SIGINT, on_sigint);
    p->sink.out_fd = STDOUT_FILENO;
    p->sink.progress_fd = STDERR_FILENO;
    p->sink.show_progress = allow_progress && isatty(STDERR_FILENO);
    p->hal.clock = &mxp_posix_clock;
    p->hal.entropy = &mxp_posix_entropy;
    p->hal.net = &mxp_posix_net_api;
    p->hal.net_ctx = &p->net;
    p->hal.sink = p->sink.show_progress ? &mxp_posix_sink_api : &posix_sink_no_progress;
    p->hal.sink_ctx = &p->sink;
}
