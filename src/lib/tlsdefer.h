/* The CA bundle libgit2 would parse at every start, parsed only before network use. */
#ifndef CRM_TLSDEFER_H
#define CRM_TLSDEFER_H

/* Parses the deferred CA bundle (once); call before any fetch or push over TLS. */
int tls_load(void);

#endif
