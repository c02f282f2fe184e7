/*
 * A transient one-line status on a terminal (the engine's progress), shared
 * by the ports' report sinks: drawn in place, erased with "\r ESC[K" before
 * any report byte is written, kept to one 80-column line so \r can erase it.
 */
#ifndef MXP_STATUS_LINE_H
#define MXP_STATUS_LINE_H

#include <stdbool.h>
#include <stddef.h>

typedef void (*mxp_status_write_fn)(void *ctx, const char *buf, size_t len);

struct mxp_status_line {
    bool shown;
};

/* Erase the status if one is on screen. */
void mxp_status_line_clear(struct mxp_status_line *s, mxp_status_write_fn write, void *ctx);
/* Replace the status with line; NULL only erases it. */
void mxp_status_line_show(struct mxp_status_line *s, mxp_status_write_fn write, void *ctx,
                          const char *line);

#endif /* MXP_STATUS_LINE_H */
