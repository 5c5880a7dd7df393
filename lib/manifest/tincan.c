/*
 * tincan.xml: the activities of a Tin Can package and the one it launches.
 *
 * The format (http://projecttincan.com/tincan.xsd) is loose in the field:
 * names often lack a lang, activities carry extra elements (interaction
 * definitions, extensions). Those are accepted; what an LMS needs to launch
 * the package is checked by somo_tincan_validate().
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "manifest/cmi5_xml.h"
#include "somo/package.h"
#include "somo/tincan.h"
#include "util/text.h"

#define TINCAN_NS "http://projecttincan.com/tincan.xsd"
/* Most activities one tincan.xml may declare. */
#define TINCAN_MAX_ACTIVITIES 100000

struct somo_tincan {
	char *file;
	somo_tincan_activity *activities;
	size_t count, cap;
	somo__cx_msgs msgs; /* what parsing found */
};

struct somo_tincan_report {
	somo_tincan_message *items;
	size_t count;
	size_t errors;
};

#define ERR(tc, line, ...)  somo__cx_add(&(tc)->msgs, SOMO__CX_ERROR, (line), __VA_ARGS__)
#define WARN(tc, line, ...) somo__cx_add(&(tc)->msgs, SOMO__CX_WARNING, (line), __VA_ARGS__)

static void free_text(somo_tincan_text *t)
{
	size_t i;

	for (i = 0; i < t->count; i++) {
		somo__free((void *)t->items[i].lang);
		somo__free((void *)t->items[i].text);
	}
	somo__free((void *)t->items);
}

void somo_tincan_free(somo_tincan *tc)
{
	size_t i;

	if (!tc)
		return;
	for (i = 0; i < tc->count; i++) {
		somo_tincan_activity *a = &tc->activities[i];
		somo__free((void *)a->id);
		somo__free((void *)a->type);
		free_text(&a->name);
		free_text(&a->description);
		somo__free((void *)a->launch);
		somo__free((void *)a->launch_lang);
	}
	somo__free(tc->activities);
	somo__cx_msgs_free(&tc->msgs);
	somo__free(tc->file);
	somo__free(tc);
}

static int add_lang(somo_tincan *tc, somo_tincan_text *t, const xmlNode *el)
{
	bool oom = false;
	char *lang = somo__cx_attr(el, "lang", &oom), *text;
	somo_tincan_langstring *n;

	if (oom)
		return SOMO_ENOMEM;
	if (!lang && (lang = somo__strdup("")) == NULL)
		return SOMO_ENOMEM;
	if (*lang && !somo__langtag_valid(lang))
		WARN(tc, somo__cx_line(el), "'%s' is not a valid language tag", lang);
	if ((text = somo__cx_text(el)) == NULL ||
	    (n = somo__realloc((void *)t->items, (t->count + 1) * sizeof(*n))) == NULL) {
		somo__free(lang);
		somo__free(text);
		return SOMO_ENOMEM;
	}
	n[t->count].lang = lang;
	n[t->count].text = text;
	t->items = n;
	t->count++;
	return 0;
}

static bool in_ns(const xmlNode *n, const char *ns)
{
	const char *have = somo__cx_ns(n);

	if (!ns || !have)
		return !ns && !have;
	return !strcmp(ns, have);
}

static int parse_activity(somo_tincan *tc, const xmlNode *el, const char *ns)
{
	somo_tincan_activity *a;
	const xmlNode *ch;
	bool oom = false;

	if (tc->count >= TINCAN_MAX_ACTIVITIES) {
		ERR(tc, somo__cx_line(el), "more than %d activities; the rest are ignored",
		    TINCAN_MAX_ACTIVITIES);
		return 1;
	}
	if (tc->count == tc->cap) {
		size_t ncap = tc->cap ? tc->cap * 2 : 4;
		somo_tincan_activity *na = somo__realloc(tc->activities, ncap * sizeof(*na));
		if (!na)
			return SOMO_ENOMEM;
		tc->activities = na;
		tc->cap = ncap;
	}
	a = &tc->activities[tc->count++];
	memset(a, 0, sizeof(*a));
	a->line = somo__cx_line(el);
	a->id = somo__cx_attr(el, "id", &oom);
	if (oom)
		return SOMO_ENOMEM;
	if (!a->id) {
		ERR(tc, a->line, "<activity> lacks its id attribute");
		if ((a->id = somo__strdup("")) == NULL)
			return SOMO_ENOMEM;
	}
	a->type = somo__cx_attr(el, "type", &oom);
	if (oom)
		return SOMO_ENOMEM;
	for (ch = el->children; ch; ch = ch->next) {
		const char *name = (const char *)ch->name;

		if (ch->type != XML_ELEMENT_NODE || !in_ns(ch, ns))
			continue;
		if (!strcmp(name, "name")) {
			if (add_lang(tc, (somo_tincan_text *)&a->name, ch) < 0)
				return SOMO_ENOMEM;
		} else if (!strcmp(name, "description")) {
			if (add_lang(tc, (somo_tincan_text *)&a->description, ch) < 0)
				return SOMO_ENOMEM;
		} else if (!strcmp(name, "launch")) {
			if (a->launch) {
				WARN(tc, somo__cx_line(ch),
				     "a second <launch> in one activity is ignored");
				continue;
			}
			if ((a->launch = somo__cx_text(ch)) == NULL)
				return SOMO_ENOMEM;
			a->launch_lang = somo__cx_attr(ch, "lang", &oom);
			if (oom)
				return SOMO_ENOMEM;
			if (!*a->launch)
				ERR(tc, somo__cx_line(ch), "<launch> is empty");
		}
		/* Interaction definitions and extensions are the activity's own business. */
	}
	return 0;
}

int somo_tincan_parse_memory(somo_tincan **out, const void *data, size_t size, const char *file,
                             somo_diag *diag)
{
	const char *name = file && *file ? file : "tincan.xml";
	somo_tincan *tc;
	xmlDocPtr doc = NULL;
	xmlNode *root, *ch, *act;
	const char *ns;
	bool have_activities = false;
	int rc = 0;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out)
		return somo__error(SOMO_EINVAL, "somo_tincan_parse_memory: out is NULL");
	*out = NULL;
	if ((rc = somo__cx_parse(&doc, data, size, SOMO_TINCAN_MAX_SIZE, name, "tincan",
	                         "the Tin Can <tincan>", diag)) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if ((tc = somo__calloc(1, sizeof(*tc))) == NULL ||
	    (tc->file = somo__strdup(name)) == NULL) {
		somo__free(tc);
		xmlFreeDoc(doc);
		return somo__error_oom();
	}
	ns = somo__cx_ns(root);
	if (!ns || strcmp(ns, TINCAN_NS) != 0)
		WARN(tc, somo__cx_line(root), "<tincan> is in namespace '%s', not " TINCAN_NS,
		     ns ? ns : "(none)");
	for (ch = root->children; ch && rc == 0; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE || !in_ns(ch, ns) ||
		    strcmp((const char *)ch->name, "activities") != 0)
			continue;
		have_activities = true;
		for (act = ch->children; act && rc == 0; act = act->next)
			if (act->type == XML_ELEMENT_NODE && in_ns(act, ns) &&
			    !strcmp((const char *)act->name, "activity"))
				rc = parse_activity(tc, act, ns);
	}
	if (!have_activities && rc == 0)
		ERR(tc, somo__cx_line(root), "<tincan> has no <activities>");
	xmlFreeDoc(doc);
	if (rc < 0 || tc->msgs.oom) {
		somo_tincan_free(tc);
		return somo__error_oom();
	}
	*out = tc;
	return 0;
}

int somo_tincan_load(somo_tincan **out, somo_package *pkg, somo_diag *diag)
{
	void *data = NULL;
	size_t size = 0;
	int rc;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out || !pkg)
		return somo__error(SOMO_EINVAL, "somo_tincan_load: NULL argument");
	*out = NULL;
	if ((rc = somo__cx_read_root(&data, &size, pkg, "tincan.xml", SOMO_TINCAN_MAX_SIZE, diag)) <
	    0)
		return rc;
	rc = somo_tincan_parse_memory(out, data, size, "tincan.xml", diag);
	somo_free(data);
	return rc;
}

const char *somo_tincan_file(const somo_tincan *tc)
{
	return tc ? tc->file : "";
}

size_t somo_tincan_activity_count(const somo_tincan *tc)
{
	return tc ? tc->count : 0;
}

const somo_tincan_activity *somo_tincan_activity_at(const somo_tincan *tc, size_t i)
{
	return tc && i < tc->count ? &tc->activities[i] : NULL;
}

const somo_tincan_activity *somo_tincan_launch_activity(const somo_tincan *tc)
{
	size_t i;

	for (i = 0; tc && i < tc->count; i++)
		if (tc->activities[i].launch && *tc->activities[i].launch)
			return &tc->activities[i];
	return NULL;
}

static const char *lang_at(const void *items, size_t i)
{
	return ((const somo_tincan_langstring *)items)[i].lang;
}

const char *somo_tincan_text_get(const somo_tincan_text *t, const char *lang)
{
	if (!t || t->count == 0)
		return "";
	return t->items[somo__cx_pick_lang(lang_at, t->items, t->count, lang)].text;
}

/* ---- validation ---- */

typedef struct {
	const char *id;
	int line;
} id_line;

static int cmp_id(const void *a, const void *b)
{
	const id_line *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

static void bad_launch(somo__cx_msgs *l, const somo_tincan_activity *a, const char *why)
{
	somo__cx_add(l, SOMO__CX_ERROR, a->line,
	             "the launch '%s' of activity '%s' is not usable: %s", a->launch, a->id, why);
}

/* What an LMS appends to a Tin Can launch URL (Rustici's launch guide). */
static const char *const launch_params[] = {"endpoint", "auth", "actor", "registration",
                                            "activity_id"};

typedef struct {
	somo__cx_msgs *l;
	const somo_tincan_activity *a;
} qctx;

static int on_query_name(const char *name, void *payload)
{
	qctx *q = payload;
	size_t i;

	for (i = 0; i < SOMO__ARRAY_SIZE(launch_params); i++)
		if (!strcmp(name, launch_params[i]))
			somo__cx_add(q->l, SOMO__CX_WARNING, q->a->line,
			             "the launch '%s' of activity '%s' already has the query "
			             "parameter '%s', which the LMS sets at launch",
			             q->a->launch, q->a->id, name);
	return 0;
}

static void check_launch(somo__cx_msgs *l, const somo_tincan_activity *a, somo_package *pkg)
{
	qctx q = {l, a};

	const char *why;
	char *member = NULL;
	somo_package_entry e;

	if (!*a->launch)
		return; /* reported while parsing */
	if ((why = somo__cx_url_problem(a->launch)) != NULL) {
		bad_launch(l, a, why);
		return;
	}
	somo__cx_url_query_names(a->launch, on_query_name, &q);
	if (somo__cx_url_absolute(a->launch))
		return;
	if (!pkg) {
		bad_launch(l, a, "it is relative, but no package holds it");
		return;
	}
	if (somo__cx_url_member(a->launch, &member, &why) < 0) {
		if (why)
			bad_launch(l, a, why);
		else
			l->oom = true;
		return;
	}
	if (somo_package_stat(pkg, member, &e) < 0 || e.is_dir)
		somo__cx_add(
		    l, SOMO__CX_ERROR, a->line,
		    "the launch '%s' of activity '%s' names '%s', which is not in the package",
		    a->launch, a->id, member);
	somo__free(member);
}

int somo_tincan_validate(somo_tincan_report **out, const somo_tincan *tc, somo_package *pkg)
{
	somo__cx_msgs l = {0};
	somo_tincan_report *r;
	id_line *ids;
	size_t i, k = 0;

	if (!out || !tc)
		return somo__error(SOMO_EINVAL, "somo_tincan_validate: NULL argument");
	*out = NULL;
	somo__cx_add_all(&l, &tc->msgs);
	if (tc->count == 0)
		somo__cx_add(&l, SOMO__CX_ERROR, 0, "%s declares no activity", tc->file);
	else if (!somo_tincan_launch_activity(tc))
		somo__cx_add(&l, SOMO__CX_ERROR, 0, "no activity of %s has a <launch>", tc->file);
	if ((ids = somo__calloc(tc->count ? tc->count : 1, sizeof(*ids))) == NULL)
		l.oom = true;
	for (i = 0; i < tc->count && ids; i++) {
		const somo_tincan_activity *a = &tc->activities[i];
		if (*a->id && !somo__iri_valid(a->id))
			somo__cx_add(&l, SOMO__CX_ERROR, a->line,
			             "the activity id '%s' is not an absolute IRI", a->id);
		if (a->type && *a->type && !somo__iri_valid(a->type))
			somo__cx_add(&l, SOMO__CX_WARNING, a->line,
			             "the type '%s' of activity '%s' is not an absolute IRI",
			             a->type, a->id);
		if (a->launch)
			check_launch(&l, a, pkg);
		if (*a->id)
			ids[k++] = (id_line){a->id, a->line};
	}
	if (ids) {
		qsort(ids, k, sizeof(*ids), cmp_id);
		for (i = 1; i < k; i++)
			if (!strcmp(ids[i].id, ids[i - 1].id))
				somo__cx_add(&l, SOMO__CX_ERROR, ids[i].line,
				             "duplicate activity id '%s' (first at line %d)",
				             ids[i].id, ids[i - 1].line);
		somo__free(ids);
	}
	if (l.oom || (r = somo__calloc(1, sizeof(*r))) == NULL) {
		somo__cx_msgs_free(&l);
		return somo__error_oom();
	}
	somo__cx_sort(&l);
	if (l.count && (r->items = somo__calloc(l.count, sizeof(*r->items))) == NULL) {
		somo__free(r);
		somo__cx_msgs_free(&l);
		return somo__error_oom();
	}
	for (i = 0; i < l.count; i++) {
		r->items[i].severity = (somo_tincan_severity)l.items[i].severity;
		r->items[i].line = l.items[i].line;
		r->items[i].text = l.items[i].text;
		l.items[i].text = NULL;
	}
	r->count = l.count;
	r->errors = l.errors;
	somo__cx_msgs_free(&l);
	*out = r;
	if (r->errors)
		return somo__error(SOMO_EINVALID, "%s: %zu error%s", tc->file, r->errors,
		                   r->errors == 1 ? "" : "s");
	return 0;
}

size_t somo_tincan_report_count(const somo_tincan_report *r)
{
	return r ? r->count : 0;
}

size_t somo_tincan_report_errors(const somo_tincan_report *r)
{
	return r ? r->errors : 0;
}

const somo_tincan_message *somo_tincan_report_at(const somo_tincan_report *r, size_t i)
{
	return r && i < r->count ? &r->items[i] : NULL;
}

void somo_tincan_report_free(somo_tincan_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->count; i++)
		somo__free((void *)r->items[i].text);
	somo__free(r->items);
	somo__free(r);
}
