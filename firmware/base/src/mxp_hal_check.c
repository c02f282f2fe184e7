/* The HAL completeness check (mxp_hal_check.h). */
#include "mxp_hal_check.h"

#include <stddef.h>

/*
 * The detail of MXP_E_HAL_MISSING says what is missing, so a port author sees
 * it in the error text without a debugger:
 *   1 the hal itself      2 clock   3 clock.now_ms   4 entropy  5 entropy.fill
 *   6 net  7 names: net.resolve, or net.udp_open/udp_send/udp_recv for the
 *   engine's DNS client  8 net.connect  9 net.connect_result  10 net.send
 *   11 net.recv  12 net.wait  13 net.close  14 sink  15 sink.write
 */
mxp_err mxp_hal_check(const struct mxp_hal *hal)
{
    if (hal == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 1);
    if (hal->clock == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 2);
    if (hal->clock->now_ms == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 3);
    if (hal->entropy == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 4);
    if (hal->entropy->fill == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 5);
    if (hal->net == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 6);
    if (hal->net->resolve == NULL &&
        (hal->net->udp_open == NULL || hal->net->udp_send == NULL || hal->net->udp_recv == NULL))
        return MXP_ERR(MXP_E_HAL_MISSING, 7);
    if (hal->net->connect == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 8);
    if (hal->net->connect_result == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 9);
    if (hal->net->send == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 10);
    if (hal->net->recv == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 11);
    if (hal->net->wait == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 12);
    if (hal->net->close == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 13);
    if (hal->sink == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 14);
    if (hal->sink->write == NULL)
        return MXP_ERR(MXP_E_HAL_MISSING, 15);
    return MXP_SUCCESS;
}
