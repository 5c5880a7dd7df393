/*
 * Absolute IRIs, RFC 3987 section 2.2:
 *
 *   IRI = scheme ":" ihier-part [ "?" iquery ] [ "#" ifragment ]
 *
 * checked byte by byte over UTF-8, with the RFC's character classes
 * (ucschar, iprivate), percent-encoding, and IP literals (RFC 3986 3.2.2).
 */
#include <string.h>

#include "util/text.h"
#include "util/util.h"

static bool is_alpha(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static bool is_digit(int c)
{
	return c >= '0' && c <= '9';
}

static bool is_hex(int c)
{
	return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static bool is_unreserved(int c)
{
	return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~';
}

static bool is_sub_delim(int c)
{
	return c != '\0' && strchr("!$&'()*+,;=", c) != NULL;
}

/* ucschar (RFC 3987 2.2). */
static bool is_ucschar(uint32_t c)
{
	if ((c >= 0xA0 && c <= 0xD7FF) || (c >= 0xF900 && c <= 0xFDCF) ||
	    (c >= 0xFDF0 && c <= 0xFFEF))
		return true;
	/* planes 1..13 less their last two code points, and E1000..EFFFD */
	if (c >= 0x10000 && c <= 0xDFFFF)
		return (c & 0xFFFF) <= 0xFFFD;
	return c >= 0xE1000 && c <= 0xEFFFD;
}

/* iprivate (RFC 3987 2.2), allowed in the query only. */
static bool is_iprivate(uint32_t c)
{
	return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) ||
	       (c >= 0x100000 && c <= 0x10FFFD);
}

/* Which extra characters a part of the IRI admits beyond iunreserved and
 * pct-encoded. */
enum {
	ALLOW_SUB = 1,     /* sub-delims */
	ALLOW_COLON = 2,   /* ":" */
	ALLOW_AT = 4,      /* "@" */
	ALLOW_SLASH = 8,   /* "/" */
	ALLOW_QUERY = 16,  /* "?" */
	ALLOW_PRIVATE = 32 /* iprivate */
};

#define IPCHAR (ALLOW_SUB | ALLOW_COLON | ALLOW_AT)

/*
 * Consume characters of [p, end) in the class; returns how far it got
 * (end when all of it is in the class).
 */
static const char *span(const char *p, const char *end, int allow)
{
	while (p < end) {
		unsigned char c = (unsigned char)*p;
		uint32_t cp;
		size_t n;

		if (c < 0x80) {
			if (is_unreserved(c) || ((allow & ALLOW_SUB) && is_sub_delim(c)) ||
			    ((allow & ALLOW_COLON) && c == ':') ||
			    ((allow & ALLOW_AT) && c == '@') ||
			    ((allow & ALLOW_SLASH) && c == '/') ||
			    ((allow & ALLOW_QUERY) && c == '?')) {
				p++;
				continue;
			}
			if (c == '%' && end - p >= 3 && is_hex(p[1]) && is_hex(p[2])) {
				p += 3;
				continue;
			}
			return p;
		}
		n = somo__utf8_decode(p, (size_t)(end - p), &cp);
		if (n == 0 || !(is_ucschar(cp) || ((allow & ALLOW_PRIVATE) && is_iprivate(cp))))
			return p;
		p += n;
	}
	return p;
}

static bool all_in(const char *p, const char *end, int allow)
{
	return span(p, end, allow) == end;
}

/* dec-octet "." dec-octet "." dec-octet "." dec-octet */
static bool ipv4_valid(const char *p, const char *end)
{
	int part;

	for (part = 0; part < 4; part++) {
		const char *s = p;
		int v = 0;

		while (p < end && is_digit(*p) && p - s < 3)
			v = v * 10 + (*p++ - '0');
		if (p == s || v > 255 || (p - s > 1 && *s == '0'))
			return false;
		if (part < 3) {
			if (p >= end || *p != '.')
				return false;
			p++;
		}
	}
	return p == end;
}

/* RFC 3986 IPv6address: eight h16 groups, or fewer around one "::", the
 * last two optionally written as an IPv4 address. */
static bool ipv6_valid(const char *p, const char *end)
{
	int groups = 0;
	bool gap = false;

	if (end - p >= 2 && p[0] == ':' && p[1] == ':') {
		gap = true;
		p += 2;
		if (p == end)
			return true;
	} else if (p < end && *p == ':') {
		return false;
	}
	while (p < end) {
		const char *s = p, *dot = NULL;
		const char *q;

		/* an IPv4 tail? */
		for (q = p; q < end && *q != ':'; q++)
			if (*q == '.')
				dot = q;
		if (dot) {
			if (q != end || !ipv4_valid(p, end))
				return false;
			groups += 2;
			p = end;
			break;
		}
		while (p < end && is_hex(*p) && p - s < 4)
			p++;
		if (p == s || (p < end && *p != ':'))
			return false;
		groups++;
		if (p == end)
			break;
		p++; /* ':' */
		if (p < end && *p == ':') {
			if (gap)
				return false;
			gap = true;
			p++;
			if (p == end)
				break;
		} else if (p == end) {
			return false; /* a trailing single ':' */
		}
	}
	return gap ? groups <= 7 : groups == 8;
}

/* "v" 1*HEXDIG "." 1*( unreserved / sub-delims / ":" ) */
static bool ipvfuture_valid(const char *p, const char *end)
{
	const char *s;

	if (p >= end || (*p != 'v' && *p != 'V'))
		return false;
	s = ++p;
	while (p < end && is_hex(*p))
		p++;
	if (p == s || p >= end || *p != '.')
		return false;
	p++;
	if (p == end)
		return false;
	for (; p < end; p++)
		if (!(is_unreserved((unsigned char)*p) || is_sub_delim(*p) || *p == ':'))
			return false;
	return true;
}

/* iauthority = [ iuserinfo "@" ] ihost [ ":" port ] */
static bool authority_valid(const char *p, const char *end)
{
	const char *at = memchr(p, '@', (size_t)(end - p));
	const char *host_end;

	if (at) {
		if (!all_in(p, at, ALLOW_SUB | ALLOW_COLON))
			return false;
		p = at + 1;
	}
	if (p < end && *p == '[') {
		const char *close = memchr(p, ']', (size_t)(end - p));
		if (!close)
			return false;
		if (!ipv6_valid(p + 1, close) && !ipvfuture_valid(p + 1, close))
			return false;
		host_end = close + 1;
	} else {
		/* ireg-name (which also covers IPv4address) */
		host_end = span(p, end, ALLOW_SUB);
	}
	if (host_end == end)
		return true;
	if (*host_end != ':')
		return false;
	for (p = host_end + 1; p < end; p++)
		if (!is_digit(*p))
			return false;
	return true;
}

bool somo__iri_valid(const char *s)
{
	const char *p, *end, *hier, *query = NULL, *frag = NULL;

	if (!s || !is_alpha((unsigned char)s[0]))
		return false;
	/* scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) */
	for (p = s + 1;
	     is_alpha((unsigned char)*p) || is_digit(*p) || *p == '+' || *p == '-' || *p == '.';
	     p++)
		;
	if (*p != ':')
		return false;
	hier = p + 1;
	end = hier + strlen(hier);
	frag = memchr(hier, '#', (size_t)(end - hier));
	query = memchr(hier, '?', (size_t)((frag ? frag : end) - hier));

	/* ifragment = *( ipchar / "/" / "?" ) */
	if (frag && !all_in(frag + 1, end, IPCHAR | ALLOW_SLASH | ALLOW_QUERY))
		return false;
	if (frag)
		end = frag;
	/* iquery = *( ipchar / iprivate / "/" / "?" ) */
	if (query && !all_in(query + 1, end, IPCHAR | ALLOW_SLASH | ALLOW_QUERY | ALLOW_PRIVATE))
		return false;
	if (query)
		end = query;

	/* ihier-part = "//" iauthority ipath-abempty / ipath-absolute
	 *              / ipath-rootless / ipath-empty */
	p = hier;
	if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
		const char *auth = p + 2;
		const char *auth_end = memchr(auth, '/', (size_t)(end - auth));
		if (!auth_end)
			auth_end = end;
		if (!authority_valid(auth, auth_end))
			return false;
		p = auth_end;
	}
	/* Every path form is a run of isegments joined by "/"; "//" at the
	 * start was taken as the authority above. */
	return all_in(p, end, IPCHAR | ALLOW_SLASH);
}
