/*
 * The server's side of sharing a store: a pre-receive hook that refuses a
 * push whose commits break the store's rules, with roles read from the
 * server's own crm.conf, never from what is pushed.
 */
#ifndef CRM_POLICY_H
#define CRM_POLICY_H
#include <stdio.h>
#include "err.h"

/* Reads git's "OLD NEW REF" lines from in; each refusal is one line on out. 0: accept; 1: refuse. */
int policy_run(FILE *in, FILE *out, crm_err *e);
/* Writes hooks/pre-receive into the repository at repo (bare, or a work tree's .git). */
int policy_install(const char *repo, crm_err *e);

#endif
