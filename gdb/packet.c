/* gdb/packet.c — see packet.h. */
#include "gdb/packet.h"

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

enum { IDLE, BODY, SUM1, SUM2 };

#define MAX_RESENDS 8                 /* then the link is hopeless */

void gdb_conn_init(struct gdb_conn *c, int fd)
{
    memset(c, 0, sizeof *c);
    c->fd = fd;
}

void gdb_conn_close(struct gdb_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    free(c->last);
    c->last = NULL;
    c->lastlen = c->lastcap = 0;
}

static int write_all(struct gdb_conn *c, const uint8_t *p, size_t n)
{
    while (n && c->fd >= 0) {
        ssize_t w = send(c->fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(c->fd);
            c->fd = -1;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return c->fd >= 0 ? 0 : -1;
}

static int hexval(uint8_t ch)
{
    if (ch >= '0' && ch <= '9')
        return ch - '0';
    if (ch >= 'a' && ch <= 'f')
        return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F')
        return ch - 'A' + 10;
    return -1;
}

/* One received byte through the parser.  Returns a gdb_recv code when a
 * packet or an interrupt is complete, else 0. */
static int take(struct gdb_conn *c, uint8_t ch)
{
    switch (c->state) {
    case IDLE:
        if (ch == '$') {
            c->state = BODY;
            c->sum = 0;
            c->pktlen = 0;
            c->escape = c->too_long = false;
        } else if (ch == 0x03) {
            return GDB_RECV_INTERRUPT;
        } else if (ch == '-' && !c->noack && c->lastlen && c->resends < MAX_RESENDS) {
            c->resends++;
            write_all(c, c->last, c->lastlen);
        } else if (ch == '+') {
            c->resends = 0;
        }
        return 0;                         /* anything else between packets: noise */
    case BODY:
        if (ch == '#') {
            c->state = SUM1;
            return 0;
        }
        c->sum = (uint8_t)(c->sum + ch);
        if (c->escape) {
            ch ^= 0x20;
            c->escape = false;
        } else if (ch == '}') {
            c->escape = true;
            return 0;
        }
        if (c->pktlen < GDB_PACKET_SIZE)
            c->pkt[c->pktlen++] = (char)ch;
        else
            c->too_long = true;
        return 0;
    case SUM1: {
        int hi = hexval(ch);
        if (hi < 0) {                     /* not a checksum: drop the packet */
            c->state = IDLE;
            if (!c->noack)
                write_all(c, (const uint8_t *)"-", 1);
            return 0;
        }
        c->got_sum = (uint8_t)(hi << 4);
        c->state = SUM2;
        return 0;
    }
    default: {                            /* SUM2 */
        c->state = IDLE;
        int lo = hexval(ch);
        if (lo < 0 || (uint8_t)(c->got_sum | lo) != c->sum) {
            if (!c->noack)
                write_all(c, (const uint8_t *)"-", 1);    /* please send it again */
            return 0;
        }
        if (!c->noack)
            write_all(c, (const uint8_t *)"+", 1);
        c->pkt[c->pktlen] = 0;
        return c->too_long ? GDB_RECV_TOO_LONG : GDB_RECV_PACKET;
    }
    }
}

int gdb_recv(struct gdb_conn *c, int timeout_ms)
{
    for (;;) {
        while (c->rawpos < c->rawlen) {
            int r = take(c, c->raw[c->rawpos++]);
            if (r)
                return r;
        }
        if (c->fd < 0)
            return GDB_RECV_CLOSED;
        struct pollfd pfd = { c->fd, POLLIN, 0 };
        int n = poll(&pfd, 1, timeout_ms);
        if (n < 0 && errno == EINTR)
            continue;
        if (n == 0)
            return GDB_RECV_NONE;
        ssize_t got = n < 0 ? -1 : read(c->fd, c->raw, sizeof c->raw);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0) {
            close(c->fd);
            c->fd = -1;
            return GDB_RECV_CLOSED;
        }
        c->rawlen = (size_t)got;          /* a packet cut short is finished by */
        c->rawpos = 0;                    /* a later call: the parser keeps its state */
    }
}

int gdb_send(struct gdb_conn *c, const void *data, size_t len)
{
    size_t need = 2 * len + 4;
    if (need > c->lastcap) {
        uint8_t *nb = realloc(c->last, need);
        if (!nb)
            return -1;
        c->last = nb;
        c->lastcap = need;
    }
    const uint8_t *d = data;
    uint8_t *o = c->last, sum = 0;
    *o++ = '$';
    for (size_t i = 0; i < len; i++) {
        uint8_t ch = d[i];
        if (ch == '$' || ch == '#' || ch == '}' || ch == '*') {
            *o++ = '}';
            sum = (uint8_t)(sum + '}');
            ch ^= 0x20;
        }
        *o++ = ch;
        sum = (uint8_t)(sum + ch);
    }
    static const char hex[] = "0123456789abcdef";
    *o++ = '#';
    *o++ = (uint8_t)hex[sum >> 4];
    *o++ = (uint8_t)hex[sum & 15];
    c->lastlen = (size_t)(o - c->last);
    c->resends = 0;
    return write_all(c, c->last, c->lastlen);
}

int gdb_send_str(struct gdb_conn *c, const char *s)
{
    return gdb_send(c, s, strlen(s));
}
