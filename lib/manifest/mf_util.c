/* Arena, vectors, namespaces, attributes and value parsing for the manifest reader. */
#include <stdarg.h>
#include <string.h>

#include "mf_internal.h"

struct somo__mf_chunk {
	somo__mf_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define CHUNK_MIN (64 * 1024 - sizeof(somo__mf_chunk) - 64)

void *somo__arena_alloc(somo__arena *a, size_t n)
{
	somo__mf_chunk *ch = a->head;
	size_t al = sizeof(max_align_t);
	void *p;

	n = (n + al - 1) / al * al;
	if (n == 0)
		n = al;
	if (!ch || ch->cap - ch->used < n) {
		size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;

		ch = somo__malloc(sizeof(*ch) + cap);
		if (!ch)
			return NULL;
		ch->cap = cap;
		ch->used = 0;
		if (a->head && n > CHUNK_MIN) {
			/* a big block: keep filling the current chunk afterwards */
			ch->next = a->head->next;
			a->head->next = ch;
		} else {
			ch->next = a->head;
			a->head = ch;
		}
	}
	p = (char *)ch->data + ch->used;
	ch->used += n;
	memset(p, 0, n);
	return p;
}

char *somo__arena_strndup(somo__arena *a, const char *s, size_t n)
{
	char *p;

	if (!s)
		return NULL;
	p = somo__arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *somo__arena_strdup(somo__arena *a, const char *s)
{
	return s ? somo__arena_strndup(a, s, strlen(s)) : NULL;
}

void somo__arena_free(somo__arena *a)
{
	somo__mf_chunk *ch = a->head, *next;

	for (; ch; ch = next) {
		next = ch->next;
		somo__free(ch);
	}
	a->head = NULL;
}

int somo__mf_vec_push(somo__mf_vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		size_t cap = vec->cap ? vec->cap * 2 : 4;
		void **v = somo__realloc(vec->v, cap * sizeof(*v));

		if (!v)
			return SOMO_ENOMEM;
		vec->v = v;
		vec->cap = cap;
	}
	vec->v[vec->n++] = p;
	return 0;
}

void *somo__mf_vec_finish(somo__mf_vec *vec, somo__arena *a, size_t *count, bool *oom)
{
	void **out = NULL;

	*count = 0;
	if (vec->n) {
		out = somo__arena_alloc(a, vec->n * sizeof(*out));
		if (out) {
			memcpy(out, vec->v, vec->n * sizeof(*out));
			*count = vec->n;
		} else {
			*oom = true;
		}
	}
	somo__mf_vec_free(vec);
	return out;
}

void somo__mf_vec_free(somo__mf_vec *vec)
{
	somo__free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

/* ---- namespaces ---- */

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);

	return a >= b && !strcmp(s + a - b, suffix);
}

somo__nskind somo__mf_nskind(const xmlChar *href, unsigned *seen)
{
	const char *h = (const char *)href;
	unsigned bit = 0;
	somo__nskind k = SOMO__NSK_OTHER;

	if (!h || !*h)
		return SOMO__NSK_NONE;
	if (!strcmp(h, "http://www.imsglobal.org/xsd/imscp_v1p1")) {
		bit = SOMO__NS_IMSCP_1P1;
		k = SOMO__NSK_CP;
	} else if (strstr(h, "imscp") || strstr(h, "imsproject.org/xsd/ims_cp") ||
	           strstr(h, "imsglobal.org/xsd/ims_cp")) {
		bit = strstr(h, "rootv1p1p2") ? SOMO__NS_IMSCP_ROOT : 0;
		k = SOMO__NSK_CP;
	} else if (strstr(h, "adlnet.org") && strstr(h, "adlcp")) {
		if (ends_with(h, "adlcp_rootv1p2"))
			bit = SOMO__NS_ADLCP_12;
		else if (ends_with(h, "adlcp_v1p3"))
			bit = SOMO__NS_ADLCP_13;
		else
			bit = SOMO__NS_ADLCP_OTHER;
		k = SOMO__NSK_ADLCP;
	} else if (strstr(h, "adlnet.org") && strstr(h, "adlseq")) {
		bit = SOMO__NS_ADLSEQ;
		k = SOMO__NSK_ADLSEQ;
	} else if (strstr(h, "adlnet.org") && strstr(h, "adlnav")) {
		bit = SOMO__NS_ADLNAV;
		k = SOMO__NSK_ADLNAV;
	} else if (!strcmp(h, "http://www.imsglobal.org/xsd/imsss")) {
		bit = SOMO__NS_IMSSS;
		k = SOMO__NSK_IMSSS;
	} else if (!strcmp(h, "http://www.w3.org/XML/1998/namespace")) {
		k = SOMO__NSK_XML;
	}
	if (seen)
		*seen |= bit;
	return k;
}

somo__nskind somo__mf_node_ns(const xmlNode *n, unsigned *seen)
{
	return somo__mf_nskind(n->ns ? n->ns->href : NULL, seen);
}

bool somo__mf_is(const xmlNode *n, somo__nskind k, const char *local, unsigned *seen)
{
	somo__nskind nk;

	if (n->type != XML_ELEMENT_NODE || strcmp((const char *)n->name, local))
		return false;
	nk = somo__mf_node_ns(n, seen);
	if (k == SOMO__NSK_NONE || k == SOMO__NSK_CP)
		/* content packaging elements: accept the default namespace whatever it is */
		return nk == SOMO__NSK_NONE || nk == SOMO__NSK_CP || nk == SOMO__NSK_OTHER;
	return nk == k;
}

/* ---- messages ---- */

void somo__mf_msg_add(somo__mf_ctx *c, int line, somo_severity lenient, somo_severity strict,
                      const char *fmt, ...)
{
	somo__mf_msg *m;
	va_list ap;
	char text[600];

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (c->man->msgs.n >= 10000) /* bounded: a hostile manifest cannot grow it without end */
		return;
	m = somo__arena_alloc(&c->man->arena, sizeof(*m));
	if (!m || !(m->m.text = somo__arena_strdup(&c->man->arena, text)) ||
	    somo__mf_vec_push(&c->man->msgs, m) < 0) {
		c->oom = true;
		return;
	}
	m->m.severity = lenient;
	m->m.file = c->man->file;
	m->m.line = line;
	m->strict = strict;
}

/* ---- attributes and text ---- */

int somo__mf_line(const xmlNode *n)
{
	long l = n ? xmlGetLineNo(n) : 0;

	return l > 0 && l < 0x7fffffff ? (int)l : 0;
}

static const char *trim_copy(somo__mf_ctx *c, const char *s, bool trim)
{
	size_t n;
	const char *r;

	if (!s)
		return NULL;
	if (trim) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
	}
	n = strlen(s);
	if (trim)
		while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
		             s[n - 1] == '\n'))
			n--;
	r = somo__arena_strndup(&c->man->arena, s, n);
	if (!r)
		c->oom = true;
	return r;
}

static const char *attr_value(somo__mf_ctx *c, const xmlAttr *a, bool trim)
{
	const char *r;
	xmlChar *v;

	if (a->children && !a->children->next && a->children->type == XML_TEXT_NODE)
		return trim_copy(c, (const char *)a->children->content, trim);
	v = xmlNodeListGetString(a->doc, a->children, 1);
	r = trim_copy(c, v ? (const char *)v : "", trim);
	xmlFree(v);
	return r;
}

const char *somo__mf_attr2(somo__mf_ctx *c, const xmlNode *n, somo__nskind k1, somo__nskind k2,
                           const char *local, bool trim)
{
	const xmlAttr *a;

	for (a = n->properties; a; a = a->next) {
		somo__nskind k;

		if (strcmp((const char *)a->name, local))
			continue;
		k = somo__mf_nskind(a->ns ? a->ns->href : NULL, NULL);
		if (k == k1 || k == k2)
			return attr_value(c, a, trim);
	}
	return NULL;
}

const char *somo__mf_attr(somo__mf_ctx *c, const xmlNode *n, somo__nskind k, const char *local,
                          bool trim)
{
	return somo__mf_attr2(c, n, k, k, local, trim);
}

const char *somo__mf_text(somo__mf_ctx *c, const xmlNode *n)
{
	xmlChar *v;
	const char *r;

	if (n->children && !n->children->next && n->children->type == XML_TEXT_NODE)
		return trim_copy(c, (const char *)n->children->content, true);
	v = xmlNodeGetContent(n);
	r = trim_copy(c, v ? (const char *)v : "", true);
	xmlFree(v);
	return r;
}

bool somo__mf_parse_bool(somo__mf_ctx *c, const xmlNode *n, const char *name, const char *v,
                         bool *out)
{
	if (!v)
		return false;
	if (!strcmp(v, "true") || !strcmp(v, "1")) {
		*out = true;
		return true;
	}
	if (!strcmp(v, "false") || !strcmp(v, "0")) {
		*out = false;
		return true;
	}
	if (somo__str_ieq(v, "true") || somo__str_ieq(v, "false")) {
		*out = somo__str_ieq(v, "true");
		SOMO__MF_BAD(c, somo__mf_line(n),
		             "%s=\"%s\" is not an xs:boolean (true/false are lowercase)", name, v);
		return true;
	}
	SOMO__MF_BAD(c, somo__mf_line(n), "%s=\"%s\" is not true or false; the default is kept",
	             name, v);
	return false;
}

/* xs:decimal without the C library's locale: [+-]digits[.digits], the
 * digits taken as one integer and scaled once so "0.75" is exactly 0.75 */
bool somo__mf_parse_decimal(const char *s, double *out)
{
	double mant = 0, scale = 1;
	bool neg = false, digits = false;
	int frac = 0;

	if (!s)
		return false;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++) {
		mant = mant * 10 + (*s - '0');
		digits = true;
	}
	if (*s == '.') {
		for (s++; *s >= '0' && *s <= '9'; s++) {
			if (frac < 300) {
				mant = mant * 10 + (*s - '0');
				frac++;
			}
			digits = true;
		}
	}
	if (*s || !digits)
		return false;
	while (frac-- > 0)
		scale *= 10;
	*out = (neg ? -mant : mant) / scale;
	return true;
}

bool somo__mf_parse_uint(const char *s, uint32_t *out)
{
	uint64_t v = 0;

	if (!s || !*s)
		return false;
	if (*s == '+')
		s++;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return false;
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > UINT32_MAX)
			return false;
	}
	*out = (uint32_t)v;
	return true;
}

/* ---- URLs ---- */

static bool has_scheme(const char *s)
{
	const char *p = s;

	if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')))
		return false;
	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return *p == ':';
}

/*
 * xml:base as content packages use it (CAM book 3.4.1.x): a path prefix
 * joined to the href. An absolute href (scheme or leading "/") stands alone.
 * A base without a trailing "/" gets one, as authoring tools mean it.
 */
char *somo__mf_join_base(somo__mf_ctx *c, const char *base, const char *href)
{
	size_t bl;
	char *r;

	if (!href)
		href = "";
	if (!base || !*base || has_scheme(href) || href[0] == '/')
		return (char *)trim_copy(c, href, false);
	bl = strlen(base);
	r = somo__arena_alloc(&c->man->arena, bl + strlen(href) + 2);
	if (!r) {
		c->oom = true;
		return NULL;
	}
	memcpy(r, base, bl);
	if (base[bl - 1] != '/' && *href)
		r[bl++] = '/';
	strcpy(r + bl, href);
	return r;
}

/* ---- metadata ---- */

const somo_metadata somo__mf_no_metadata = {NULL, NULL, NULL, false, NULL, NULL, 0};

/* First langstring/string text under a LOM element (general/title ...). */
static const char *lom_string(somo__mf_ctx *c, const xmlNode *n)
{
	const xmlNode *ch;

	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (!strcmp((const char *)ch->name, "langstring") ||
		    !strcmp((const char *)ch->name, "string"))
			return somo__mf_text(c, ch);
	}
	return NULL;
}

static const xmlNode *child_named(const xmlNode *n, const char *local)
{
	const xmlNode *ch;

	for (ch = n ? n->children : NULL; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE && !strcmp((const char *)ch->name, local))
			return ch;
	return NULL;
}

void somo__mf_lom_general(somo__mf_ctx *c, somo_metadata *md, const xmlNode *lom)
{
	const xmlNode *gen, *t, *d;

	if (strcmp((const char *)lom->name, "lom") || !(gen = child_named(lom, "general")))
		return;
	if ((t = child_named(gen, "title")) && !md->title)
		md->title = lom_string(c, t);
	if ((d = child_named(gen, "description")) && !md->description)
		md->description = lom_string(c, d);
}

const somo_metadata *somo__mf_metadata(somo__mf_ctx *c, const xmlNode *node, const char *base)
{
	somo_metadata *md;
	const xmlNode *ch;

	if (!node)
		return &somo__mf_no_metadata;
	md = somo__arena_alloc(&c->man->arena, sizeof(*md));
	if (!md) {
		c->oom = true;
		return &somo__mf_no_metadata;
	}
	md->line = somo__mf_line(node);
	for (ch = node->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (somo__mf_is(ch, SOMO__NSK_CP, "schema", NULL)) {
			md->schema = somo__mf_text(c, ch);
		} else if (somo__mf_is(ch, SOMO__NSK_CP, "schemaversion", NULL)) {
			md->schemaversion = somo__mf_text(c, ch);
		} else if (!strcmp((const char *)ch->name, "location") &&
		           somo__mf_node_ns(ch, &c->man->ns_seen) == SOMO__NSK_ADLCP) {
			md->location = somo__mf_join_base(c, base, somo__mf_text(c, ch));
		} else {
			md->inline_metadata = true;
			somo__mf_lom_general(c, md, ch);
		}
	}
	return md;
}
