/* A capturing report sink for tests (see mxp_fakes.h). */
#include "mxp_fakes.h"

#include <string.h>

void mxp_fake_sink_init(struct mxp_fake_sink *s)
{
    memset(s, 0, sizeof *s);
}

static mxp_err fake_sink_write(void *ctx, const char *buf, size_t len)
{
    struct mxp_fake_sink *s = ctx;
    size_t room = sizeof s->out - 1 - s->len;
    size_t k = len < room ? len : room;
    memcpy(s->out + s->len, buf, k);
    s->len += k;
    s->out[s->len] = '\0';
    s->total += len;
    s->writes++;
    return MXP_SUCCESS;
}

static void fake_sink_progress(void *ctx, const char *line)
{
    struct mxp_fake_sink *s = ctx;
    s->progress_shown = line != NULL;
    if (line == NULL)
        return;
    s->progress_lines++;
    size_t n = strlen(line);
    n = n < sizeof s->progress - 1 ? n : sizeof s->progress - 1;
    memcpy(s->progress, line, n);
    s->progress[n] = '\0';
}

static bool fake_sink_interrupted(void *ctx)
{
    struct mxp_fake_sink *s = ctx;
    s->interrupted_calls++;
    return s->interrupt;
}

const struct mxp_hal_sink_api mxp_fake_sink_api = {
    .write = fake_sink_write,
    .progress = fake_sink_progress,
    .interrupted = fake_sink_interrupted,
};
