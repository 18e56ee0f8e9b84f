/*
 * Linked only into the static build (Makefile: STATIC_GIT). libgit2 calls
 * GSSAPI only to answer an HTTP server that asks for Kerberos ("Negotiate");
 * linking MIT Kerberos for that maps seven shared libraries at every start,
 * which is a third of a small command's time on a virtual machine. These
 * stand-ins say the mechanism is unavailable, so libgit2 falls back to the
 * other schemes the server offers. STATIC_GIT=no links the real GSSAPI.
 */
#include <stddef.h>

#define GSS_UNAVAILABLE (13u << 16)  /* GSS_S_FAILURE */

typedef unsigned int OM_uint32;

void *GSS_C_NT_HOSTBASED_SERVICE = NULL;

static OM_uint32 unavailable(OM_uint32 *minor)
{
	if (minor)
		*minor = 0;
	return GSS_UNAVAILABLE;
}

OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mechs);
OM_uint32 gss_indicate_mechs(OM_uint32 *minor, void **mechs)
{
	if (mechs)
		*mechs = NULL;
	return unavailable(minor);
}

OM_uint32 gss_import_name(OM_uint32 *minor, const void *buf, const void *type, void **name);
OM_uint32 gss_import_name(OM_uint32 *minor, const void *buf, const void *type, void **name)
{
	(void)buf;
	(void)type;
	if (name)
		*name = NULL;
	return unavailable(minor);
}

OM_uint32 gss_init_sec_context(OM_uint32 *minor, const void *cred, void **ctx, const void *target,
	const void *mech, OM_uint32 flags, OM_uint32 time, const void *chan, const void *in, void **mech_out,
	void *out, OM_uint32 *ret_flags, OM_uint32 *ret_time);
OM_uint32 gss_init_sec_context(OM_uint32 *minor, const void *cred, void **ctx, const void *target,
	const void *mech, OM_uint32 flags, OM_uint32 time, const void *chan, const void *in, void **mech_out,
	void *out, OM_uint32 *ret_flags, OM_uint32 *ret_time)
{
	(void)cred, (void)ctx, (void)target, (void)mech, (void)flags, (void)time, (void)chan, (void)in;
	(void)mech_out, (void)out, (void)ret_flags, (void)ret_time;
	return unavailable(minor);
}

OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, const void *mech,
	OM_uint32 *more, void *out);
OM_uint32 gss_display_status(OM_uint32 *minor, OM_uint32 status, int type, const void *mech,
	OM_uint32 *more, void *out)
{
	(void)status, (void)type, (void)mech, (void)out;
	if (more)
		*more = 0;
	return unavailable(minor);
}

/* Nothing was ever made, so releasing is always fine. */
OM_uint32 gss_release_buffer(OM_uint32 *minor, void *buf);
OM_uint32 gss_release_buffer(OM_uint32 *minor, void *buf)
{
	(void)buf;
	if (minor)
		*minor = 0;
	return 0;
}

OM_uint32 gss_release_name(OM_uint32 *minor, void **name);
OM_uint32 gss_release_name(OM_uint32 *minor, void **name)
{
	(void)name;
	if (minor)
		*minor = 0;
	return 0;
}

OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set);
OM_uint32 gss_release_oid_set(OM_uint32 *minor, void **set)
{
	(void)set;
	if (minor)
		*minor = 0;
	return 0;
}

OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, void *out);
OM_uint32 gss_delete_sec_context(OM_uint32 *minor, void **ctx, void *out)
{
	(void)ctx, (void)out;
	if (minor)
		*minor = 0;
	return 0;
}
