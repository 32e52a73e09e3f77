/* Buffer sizes PostgreSQL's headers expect; no name resolution happens. */
#ifndef PREFLIGHT_NETDB_H
#define PREFLIGHT_NETDB_H

#define NI_MAXHOST 1025
#define NI_MAXSERV 32

#endif
