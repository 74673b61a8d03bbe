/* gdb/server_internal.h — the session state the gdb server's files share
 * (server.c: sockets and the loop; commands.c: the packets; monitor.c:
 * qRcmd; hostio.c: vFile).  For the gdb room and its tests only. */
#ifndef VMLAB_GDB_SERVER_INTERNAL_H
#define VMLAB_GDB_SERVER_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "gdb/packet.h"
#include "gdb/server.h"
#include "gdb/target.h"

#define GDB_MAX_EXT   4
#define GDB_MAX_FILES 4

/* A file gdb opened with vFile:open (the whole file, read at open). */
struct gdb_file {
    bool     open;
    uint8_t *data;
    size_t   size;
};

struct gdb_server {
    int         lfd;                  /* the listening socket, or -1 */
    char        host[64];
    int         port;
    struct gdb_conn conn;
    struct proc *p;
    /* what gdb said it supports (qSupported) */
    bool        multiprocess, swbreak, hwbreak;
    /* the session */
    bool        connected;            /* a gdb is attached */
    bool        running;              /* gdb resumed it and it has not stopped */
    bool        stepping;             /* ... for one instruction */
    bool        first;                /* the next stretch is the first of a resume */
    int         resume_sig;           /* gdb signal to deliver at the resume */
    int         only_tid;             /* ... running this thread alone (0: all) */
    int         thread_g, thread_c;   /* Hg / Hc: a tid, 0 (any) or -1 (all) */
    struct tgt_stop last;             /* the last stop, for `?` */
    bool        gone;                 /* the process ended: W/X was sent */
    int         wait_ms;              /* a stretch's longest wait for input (-1: none) */
    /* the reply being built */
    uint8_t     out[GDB_PACKET_SIZE];
    size_t      outlen;
    bool        no_reply;             /* this packet gets none (k, or a resume) */
    struct gdb_file files[GDB_MAX_FILES];
    struct gdb_monitor_ext ext[GDB_MAX_EXT];
    int         next;
};

/* Handle one packet (c->pkt, len bytes) and send its reply. */
void gdb_dispatch(struct gdb_server *s, const char *pkt, size_t len);

/* A stop reply for st into the reply buffer (T, W or X). */
void gdb_stop_reply(struct gdb_server *s, const struct tgt_stop *st);

/* The reply buffer. */
void gdb_reply(struct gdb_server *s, const char *text);
void gdb_reply_bytes(struct gdb_server *s, const void *data, size_t len);
void gdb_reply_hex(struct gdb_server *s, const void *data, size_t len);
void gdb_reply_error(struct gdb_server *s, int err);     /* "Exx", errno in hex */

/* Hex digits to bytes: returns how many bytes, or -1 on a bad digit or
 * more than max. */
long gdb_unhex(const char *hex, size_t len, uint8_t *out, size_t max);

/* `monitor` (qRcmd): the command line, decoded. */
void gdb_monitor(struct gdb_server *s, const char *line);

/* vFile:... (Host I/O); args is what follows "vFile:". */
void gdb_hostio(struct gdb_server *s, const char *args, size_t len);

/* Detach: clear breakpoints and watchpoints, deliver a held signal, let
 * the program go. */
void gdb_detach(struct gdb_server *s);

#endif
