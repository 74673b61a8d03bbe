/* gdb/packet.h — the framing of the GDB remote serial protocol over one
 * connection, and nothing else: `$payload#checksum`, the escapes of binary
 * data, `+`/`-` acknowledgments (and no-ack mode), the packet size, and the
 * interrupt byte 0x03 (docs/platform/gdb-remote.md §1).  What a packet
 * means is gdb/commands.c's business.
 *
 * A received payload is handed over unescaped (`}` x becomes x ^ 0x20;
 * gdb escapes only inside binary data, where `}` cannot appear otherwise)
 * and NUL-terminated.  A sent payload is escaped for `$`, `#`, `}` and `*`
 * (so that gdb never takes bytes of ours for run-length encoding), and the
 * last one is kept, to send again when gdb answers `-`.
 */
#ifndef VMLAB_GDB_PACKET_H
#define VMLAB_GDB_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The largest payload we accept, and what qSupported announces as
 * PacketSize.  Longer packets are read to their end and refused. */
#define GDB_PACKET_SIZE 16384

enum gdb_recv {
    GDB_RECV_PACKET = 1,          /* c->pkt holds a packet (acknowledged) */
    GDB_RECV_TOO_LONG,            /* a packet longer than GDB_PACKET_SIZE came: refuse it */
    GDB_RECV_INTERRUPT,           /* gdb sent 0x03 (Ctrl-C) */
    GDB_RECV_NONE,                /* nothing complete within the timeout */
    GDB_RECV_CLOSED,              /* the connection ended or failed */
};

struct gdb_conn {
    int      fd;                  /* the socket, or -1 */
    bool     noack;               /* QStartNoAckMode: no '+' / '-' any more */
    /* receiving */
    uint8_t  raw[4096];           /* bytes read but not parsed yet */
    size_t   rawlen, rawpos;
    int      state;               /* where the parser is inside a packet */
    uint8_t  sum, got_sum;        /* running checksum; the two hex digits read */
    bool     escape;              /* the last byte was '}' */
    bool     too_long;            /* this packet overflowed pkt */
    char     pkt[GDB_PACKET_SIZE + 1];  /* the payload, unescaped, NUL-terminated */
    size_t   pktlen;
    /* sending */
    uint8_t *last;                /* the last packet sent, framed, for a '-' */
    size_t   lastlen, lastcap;
    unsigned resends;             /* '-' answers in a row */
};

/* Take over fd (a connected socket). */
void gdb_conn_init(struct gdb_conn *c, int fd);
/* Close the socket and free what was kept. */
void gdb_conn_close(struct gdb_conn *c);

/* Wait up to timeout_ms (-1: forever, 0: only what is there) for a whole
 * packet or an interrupt, answering bad checksums with '-' and gdb's '-'
 * with the last packet again.  Returns enum gdb_recv. */
int gdb_recv(struct gdb_conn *c, int timeout_ms);

/* Send one packet with payload data[0..len).  Returns 0, or -1 when the
 * connection failed (later calls then report GDB_RECV_CLOSED). */
int gdb_send(struct gdb_conn *c, const void *data, size_t len);
int gdb_send_str(struct gdb_conn *c, const char *s);

#endif
