/*
 * What the cmi5.xml and tincan.xml readers share: a hardened libxml2 parse,
 * text and attribute access, a list of line-numbered messages and URL checks.
 * Internal to lib/manifest.
 */
#ifndef SOMO_MANIFEST_CMI5_XML_H
#define SOMO_MANIFEST_CMI5_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/tree.h>

#include "somo/common.h"
#include "util/util.h"

struct somo_package;

/*
 * Parse untrusted XML: network off, no DTD loaded, no entity substituted, a
 * DOCTYPE refused outright (neither format has any use for one), at most max
 * bytes, and the root element named root ("the root element is <x>, not WHAT"
 * otherwise). On failure fills diag (file, line, text) and returns a SOMO_E* code.
 */
int somo__cx_parse(xmlDocPtr *out, const void *data, size_t size, size_t max, const char *file,
                   const char *root, const char *what, somo_diag *diag);

/*
 * Read name (cmi5.xml, tincan.xml) from the package root, at most max bytes.
 * Returns 0 with *data (free with somo_free) and *size, or a SOMO_E* code with
 * diag naming the file at line 0 (the package's own message passed on).
 */
int somo__cx_read_root(void **data, size_t *size, struct somo_package *pkg, const char *name,
                       size_t max, somo_diag *diag);

/* The element's text and CDATA content, trimmed; "" when empty. NULL only on OOM. */
char *somo__cx_text(const xmlNode *el);
/* True when the element holds text other than whitespace directly. */
bool somo__cx_has_text(const xmlNode *el);
/* An unqualified attribute, trimmed; NULL when absent (or on OOM, see *oom). */
char *somo__cx_attr(const xmlNode *el, const char *name, bool *oom);
/* The element's line in its document. */
int somo__cx_line(const xmlNode *n);
/* Element in namespace ns (NULL: no namespace) named name. */
bool somo__cx_is(const xmlNode *n, const char *ns, const char *name);
const char *somo__cx_ns(const xmlNode *n); /* namespace URI or NULL */

/* Messages with a severity and a line. */
typedef struct {
	int severity; /* 1 error, 2 warning */
	int line;
	char *text;
} somo__cx_msg;

typedef struct {
	somo__cx_msg *items;
	size_t count, cap;
	size_t errors;
	bool oom; /* a message could not be recorded */
} somo__cx_msgs;

#define SOMO__CX_ERROR   1
#define SOMO__CX_WARNING 2
/* Most messages one list keeps; a hostile document cannot grow it further. */
#define SOMO__CX_MAX_MSGS 10000

void somo__cx_add(somo__cx_msgs *l, int severity, int line, const char *fmt, ...)
    SOMO__PRINTF(4, 5);
/* Append copies of every message of src. */
void somo__cx_add_all(somo__cx_msgs *l, const somo__cx_msgs *src);
/* Stable sort by line (0 first). */
void somo__cx_sort(somo__cx_msgs *l);
void somo__cx_msgs_free(somo__cx_msgs *l);

/* URLs (RFC 3986 references, as cmi5 and Tin Can launch them). */
/* True when u starts with a scheme ("http:", "app:"): a fully qualified URL. */
bool somo__cx_url_absolute(const char *u);
/* NULL when u is a well-formed URL reference, else why not (static text). */
const char *somo__cx_url_problem(const char *u);
/*
 * The package member a relative URL names: query and fragment removed,
 * percent-decoded, "./" segments dropped. Returns 0 with *path (free with
 * somo__free), or SOMO_EINVALID with *why set (static text) when it cannot name
 * a member ("..", a leading "/", an empty path, an encoded NUL).
 */
int somo__cx_url_member(const char *u, char **path, const char **why);
/*
 * Calls fn for each name=value of the URL's query (names percent-decoded and
 * with '+' as space); stops and returns fn's non-zero result.
 */
int somo__cx_url_query_names(const char *u, int (*fn)(const char *name, void *payload),
                             void *payload);

/*
 * Pick a language variant among count tags (NULL or "" tags allowed): exact
 * case-insensitive match, else the same primary language, else 0.
 */
size_t somo__cx_pick_lang(const char *(*lang_at)(const void *items, size_t i), const void *items,
                          size_t count, const char *want);

#endif
