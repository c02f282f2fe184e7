/* Transient status line, see mxp_status_line.h. */
#include "mxp_status_line.h"

#include <string.h>

#define MXP_STATUS_LINE_MAX 79 /* one terminal line, so \r can erase it */

void mxp_status_line_clear(struct mxp_status_line *s, mxp_status_write_fn write, void *ctx)
{
    if (s->shown) {
        write(ctx, "\r\033[K", 4);
        s->shown = false;
    }
}

void mxp_status_line_show(struct mxp_status_line *s, mxp_status_write_fn write, void *ctx,
                          const char *line)
{
    mxp_status_line_clear(s, write, ctx);
    if (line == NULL)
        return;
    size_t n = strlen(line);
    write(ctx, line, n > MXP_STATUS_LINE_MAX ? MXP_STATUS_LINE_MAX : n);
    s->shown = true;
}
