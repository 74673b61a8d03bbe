/* gdb/server.c — the listening socket, the one connection, and the loop
 * that hands packets to gdb/commands.c and runs the program in stretches
 * while gdb has it running (see server.h). */
#define _GNU_SOURCE                           /* accept4 */
#include "gdb/server_internal.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* "PORT", "HOST:PORT" or ":PORT" into host and port (0..65535). */
static bool parse_spec(const char *spec, char *host, size_t hlen, int *port)
{
    const char *colon = strrchr(spec, ':');
    const char *p = colon ? colon + 1 : spec;
    if (colon && colon > spec)
        snprintf(host, hlen, "%.*s", (int)(colon - spec), spec);
    else
        snprintf(host, hlen, "127.0.0.1");
    if (!*p || strlen(p) > 5 || (colon && (size_t)(colon - spec) >= hlen))
        return false;
    long v = 0;
    for (; *p; p++) {
        if (*p < '0' || *p > '9')
            return false;
        v = v * 10 + (*p - '0');
    }
    *port = (int)v;
    return v <= 65535;
}

struct gdb_server *gdb_listen(const char *spec, char *err, size_t errlen)
{
    char host[64];
    int port;
    if (!parse_spec(spec, host, sizeof host, &port)) {
        snprintf(err, errlen, "--gdb %s: expected PORT or HOST:PORT (a port from 0 to 65535; "
                 "0 picks a free one)", spec);
        return NULL;
    }
    struct addrinfo hints = { .ai_family = AF_INET, .ai_socktype = SOCK_STREAM };
    struct addrinfo *ai = NULL;
    int rc = getaddrinfo(host, NULL, &hints, &ai);
    if (rc) {
        snprintf(err, errlen, "--gdb: cannot use the address %s: %s", host, gai_strerror(rc));
        return NULL;
    }
    struct sockaddr_in sin = *(struct sockaddr_in *)ai->ai_addr;
    freeaddrinfo(ai);
    sin.sin_port = htons((uint16_t)port);
    struct gdb_server *s = calloc(1, sizeof *s);
    if (!s) {
        snprintf(err, errlen, "--gdb: out of memory");
        return NULL;
    }
    s->conn.fd = -1;
    s->wait_ms = -1;
    s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (s->lfd < 0 || setsockopt(s->lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) ||
        bind(s->lfd, (struct sockaddr *)&sin, sizeof sin) || listen(s->lfd, 1)) {
        snprintf(err, errlen, "--gdb: cannot listen on %s:%d: %s", host, port, strerror(errno));
        gdb_close(s);
        return NULL;
    }
    socklen_t sl = sizeof sin;
    getsockname(s->lfd, (struct sockaddr *)&sin, &sl);
    s->port = ntohs(sin.sin_port);
    inet_ntop(AF_INET, &sin.sin_addr, s->host, sizeof s->host);
    return s;
}

const char *gdb_host(const struct gdb_server *s)
{
    return s->host;
}

int gdb_port(const struct gdb_server *s)
{
    return s->port;
}

void gdb_add_monitor(struct gdb_server *s, const struct gdb_monitor_ext *ext)
{
    if (s->next < GDB_MAX_EXT)
        s->ext[s->next++] = *ext;
}

int gdb_accept(struct gdb_server *s, struct proc *p, char *err, size_t errlen)
{
    int fd;
    do
        fd = accept4(s->lfd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        snprintf(err, errlen, "--gdb: cannot accept a connection: %s", strerror(errno));
        return -1;
    }
    close(s->lfd);                            /* one gdb per run */
    s->lfd = -1;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);   /* small packets, at once */
    gdb_conn_init(&s->conn, fd);
    s->p = p;
    s->connected = true;
    s->thread_g = s->thread_c = 0;
    tgt_attach(p, true);
    tgt_stop_now(p, 5 /* SIGTRAP: stopped before its first instruction */, &s->last);
    return 0;
}

bool gdb_running(const struct gdb_server *s)
{
    return s && s->connected && s->running;
}

void gdb_wait_limit(struct gdb_server *s, int ms)
{
    if (s)
        s->wait_ms = ms >= 0 ? ms : -1;
}

void gdb_detach(struct gdb_server *s)
{
    tgt_unlock(s->p);
    tgt_attach(s->p, false);
    s->connected = false;
    s->running = false;
}

/* The connection dropped: the program goes on as if never debugged. */
static void lost(struct gdb_server *s)
{
    if (!s->gone)
        fprintf(stderr, "vmlab: gdb went away; the program goes on without it\n");
    gdb_detach(s);
}

/* One stretch of the run gdb asked for; the stop reply when it stops. */
static void run_stretch(struct gdb_server *s)
{
    struct tgt_stop st;
    bool first = s->first;
    s->first = false;
    if (!tgt_resume(s->p, s->only_tid, s->resume_sig, s->stepping, first, GDB_SLICE,
                    s->conn.fd, s->conn.rawpos < s->conn.rawlen, s->wait_ms, &st))
        return;
    s->running = false;
    s->last = st;
    s->gone = st.state != TGT_STOPPED;
    if (!s->gone)
        s->thread_g = s->thread_c = st.tid;   /* gdb takes the stop's thread as selected */
    gdb_stop_reply(s, &st);
    gdb_send(&s->conn, s->out, s->outlen);
}

bool gdb_poll(struct gdb_server *s, int timeout_ms)
{
    if (!s || !s->connected)
        return false;
    int r = gdb_recv(&s->conn, s->running ? 0 : timeout_ms);
    switch (r) {
    case GDB_RECV_PACKET:
        gdb_dispatch(s, s->conn.pkt, s->conn.pktlen);
        break;
    case GDB_RECV_TOO_LONG:
        gdb_reply_error(s, EINVAL);           /* read to its end; refused */
        gdb_send(&s->conn, s->out, s->outlen);
        break;
    case GDB_RECV_INTERRUPT:
        if (s->running) {                     /* Ctrl-C: stop, as SIGINT would */
            s->running = false;
            tgt_stop_now(s->p, 2, &s->last);  /* in the thread on the hart */
            s->thread_g = s->thread_c = s->last.tid;
            gdb_stop_reply(s, &s->last);
            gdb_send(&s->conn, s->out, s->outlen);
        }
        break;
    case GDB_RECV_CLOSED:
        lost(s);
        return false;
    default:
        break;
    }
    if (s->connected && s->running)
        run_stretch(s);
    if (s->conn.fd < 0 && s->connected) {     /* a write failed */
        lost(s);
        return false;
    }
    return s->connected;
}

void gdb_serve(struct gdb_server *s)
{
    while (gdb_poll(s, -1))
        ;
}

void gdb_close(struct gdb_server *s)
{
    if (!s)
        return;
    if (s->connected && s->p)
        gdb_detach(s);
    gdb_conn_close(&s->conn);
    if (s->lfd >= 0)
        close(s->lfd);
    for (int i = 0; i < GDB_MAX_FILES; i++)
        free(s->files[i].data);
    free(s);
}
