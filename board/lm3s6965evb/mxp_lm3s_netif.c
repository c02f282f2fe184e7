/*
 * lwIP netif over the LM3S6965's Ethernet controller (mxp_board_netif_init /
 * _poll of mxp_board.h). Frames are copied between pbuf chains and the
 * controller's FIFOs; the driver streams bytes, so any pbuf segmentation and
 * ETH_PAD_SIZE work.
 */
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "netif/ethernet.h"

#include "mxp_board.h"
#include "mxp_stellaris_enet.h"

#define LINK_CHECK_MS 250u    /* PHY status is read over MII: not on every poll */
#define TX_WAIT_MS 5u         /* one frame leaves the 2 KB TX FIFO at line rate */
#define RX_FRAMES_PER_POLL 8u /* keep one poll short; the rest waits in the FIFO */

static uint32_t link_checked_ms;
static bool link_known;

static err_t lm3s_linkoutput(struct netif *netif, struct pbuf *p)
{
    (void)netif;
#if ETH_PAD_SIZE
    pbuf_remove_header(p, ETH_PAD_SIZE);
#endif
    uint32_t start = mxp_board_millis();
    bool ok;
    while (!(ok = mxp_enet_tx_begin(p->tot_len)) && mxp_board_millis() - start < TX_WAIT_MS) {
    }
    if (ok) {
        for (const struct pbuf *q = p; q != NULL; q = q->next)
            mxp_enet_tx_write(q->payload, q->len);
        mxp_enet_tx_end();
    }
#if ETH_PAD_SIZE
    pbuf_add_header(p, ETH_PAD_SIZE);
#endif
    return ok ? ERR_OK : ERR_IF;
}

signed char mxp_board_netif_init(struct netif *netif)
{
    netif->name[0] = 'e';
    netif->name[1] = 'n';
    netif->output = etharp_output;
    netif->linkoutput = lm3s_linkoutput;
    netif->mtu = 1500;
    netif->hwaddr_len = ETH_HWADDR_LEN;
    mxp_board_mac(netif->hwaddr);
    netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
    link_known = false; /* the first poll reports the link to lwIP */
    return ERR_OK;
}

static void poll_link(struct netif *netif)
{
    uint32_t now = mxp_board_millis();
    if (link_known && now - link_checked_ms < LINK_CHECK_MS)
        return;
    link_checked_ms = now;
    link_known = true;
    bool up = mxp_enet_link_up();
    if (up && !netif_is_link_up(netif))
        netif_set_link_up(netif);
    else if (!up && netif_is_link_up(netif))
        netif_set_link_down(netif);
}

void mxp_board_netif_poll(struct netif *netif)
{
    poll_link(netif);
    for (unsigned i = 0; i < RX_FRAMES_PER_POLL; i++) {
        size_t len = mxp_enet_rx_begin();
        if (len == 0)
            break;
        struct pbuf *p = pbuf_alloc(PBUF_RAW, (u16_t)(len + ETH_PAD_SIZE), PBUF_POOL);
        if (p != NULL) {
#if ETH_PAD_SIZE
            pbuf_remove_header(p, ETH_PAD_SIZE);
#endif
            for (struct pbuf *q = p; q != NULL; q = q->next)
                mxp_enet_rx_read(q->payload, q->len);
#if ETH_PAD_SIZE
            pbuf_add_header(p, ETH_PAD_SIZE);
#endif
        }
        mxp_enet_rx_end(); /* without a pbuf the frame is dropped: lwIP is out of pool */
        if (p != NULL && netif->input(p, netif) != ERR_OK)
            pbuf_free(p);
    }
}
