/*
 * The checks of the cmi5 specification that CourseStructure.xsd cannot
 * express: absolute IRIs (3.0.0.0-1), ids unique within the course
 * (13.1.2-13.1.4), objective references that resolve, launch URLs that are
 * well formed (13.1.4), leave the launch parameters of 8.1 to the LMS, and are
 * fully qualified unless they name a file of the zip package (14.1, 14.2).
 */
#include <stdlib.h>
#include <string.h>

#include "manifest/cmi5_internal.h"
#include "somo/package.h"
#include "util/text.h"

#define ERR(l, line, ...)  somo__cx_add((l), SOMO__CX_ERROR, (line), __VA_ARGS__)
#define WARN(l, line, ...) somo__cx_add((l), SOMO__CX_WARNING, (line), __VA_ARGS__)

typedef struct {
	const char *id;
	const char *what; /* "course", "block", "au", "objective" */
	int line;
} id_entry;

static int cmp_id(const void *a, const void *b)
{
	const id_entry *x = a, *y = b;
	int r = strcmp(x->id, y->id);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

static const char *kind_name(somo_cmi5_node_kind k)
{
	return k == SOMO_CMI5_NODE_COURSE ? "course" : k == SOMO_CMI5_NODE_BLOCK ? "block" : "au";
}

static void check_iri(somo__cx_msgs *l, const char *what, const char *attr, const char *v, int line)
{
	if (*v && !somo__iri_valid(v))
		ERR(l, line, "the %s of <%s> is '%s', not an absolute IRI (cmi5 3.0.0.0-1)", attr,
		    what, v);
}

/* Collect every id; report non-IRIs and duplicates. Returns the sorted objective ids. */
static id_entry *check_ids(somo__cx_msgs *l, const somo_cmi5_course *c, size_t *nobj)
{
	size_t n = c->node_count + c->objective_count, i, k = 0, o = 0;
	id_entry *all = somo__calloc(n ? n : 1, sizeof(*all));
	id_entry *objs = somo__calloc(c->objective_count ? c->objective_count : 1, sizeof(*objs));

	*nobj = 0;
	if (!all || !objs) {
		somo__free(all);
		somo__free(objs);
		l->oom = true;
		return NULL;
	}
	for (i = 0; i < c->node_count; i++) {
		const somo_cmi5_node *nd = c->nodes[i];
		check_iri(l, kind_name(nd->kind), "id", nd->id, nd->line);
		if (nd->kind == SOMO_CMI5_NODE_AU && nd->activity_type)
			check_iri(l, "au", "activityType", nd->activity_type, nd->line);
		if (*nd->id)
			all[k++] = (id_entry){nd->id, kind_name(nd->kind), nd->line};
	}
	for (i = 0; i < c->objective_count; i++) {
		const somo_cmi5_objective *ob = &c->objectives[i];
		check_iri(l, "objective", "id", ob->id, ob->line);
		if (*ob->id) {
			all[k++] = (id_entry){ob->id, "objective", ob->line};
			objs[o++] = all[k - 1];
		}
	}
	qsort(all, k, sizeof(*all), cmp_id);
	for (i = 1; i < k; i++)
		if (!strcmp(all[i].id, all[i - 1].id))
			ERR(l, all[i].line,
			    "duplicate id '%s': this <%s> repeats the id of the <%s> at line %d "
			    "(ids must be unique within the course structure, cmi5 13.1)",
			    all[i].id, all[i].what, all[i - 1].what, all[i - 1].line);
	somo__free(all);
	qsort(objs, o, sizeof(*objs), cmp_id);
	*nobj = o;
	return objs;
}

static int cmp_key(const void *key, const void *elem)
{
	return strcmp(key, ((const id_entry *)elem)->id);
}

static void check_refs(somo__cx_msgs *l, const somo_cmi5_course *c, const id_entry *objs,
                       size_t nobj)
{
	size_t i, j;

	for (i = 0; i < c->node_count; i++) {
		const somo_cmi5_node *nd = c->nodes[i];
		for (j = 0; j < nd->objective_count; j++)
			if (!bsearch(nd->objectives[j], objs, nobj, sizeof(*objs), cmp_key))
				ERR(l, nd->line,
				    "<%s> '%s' references objective '%s', which the course does "
				    "not "
				    "define",
				    kind_name(nd->kind), nd->id, nd->objectives[j]);
	}
}

/* The query-string names the LMS adds at launch (cmi5 8.1): content may not use them. */
static const char *const launch_params[] = {"endpoint", "fetch", "actor", "registration",
                                            "activityId"};

typedef struct {
	somo__cx_msgs *l;
	const somo_cmi5_node *au;
} qctx;

static int on_query_name(const char *name, void *payload)
{
	qctx *q = payload;
	size_t i;

	for (i = 0; i < SOMO__ARRAY_SIZE(launch_params); i++)
		if (!strcmp(name, launch_params[i]))
			ERR(q->l, q->au->line,
			    "the url '%s' of <au> '%s' has the query parameter '%s', which the LMS "
			    "sets at launch (cmi5 8.1)",
			    q->au->url, q->au->id, name);
	return 0;
}

static void check_url(somo__cx_msgs *l, const somo_cmi5_node *au, somo_package *pkg)
{
	const char *why;
	char *member = NULL;
	qctx q = {l, au};
	somo_package_entry e;

	if (!*au->url)
		return; /* reported while parsing */
	if ((why = somo__cx_url_problem(au->url)) != NULL) {
		ERR(l, au->line, "the url '%s' of <au> '%s' is not a valid URL: %s", au->url,
		    au->id, why);
		return;
	}
	somo__cx_url_query_names(au->url, on_query_name, &q);
	if (somo__cx_url_absolute(au->url))
		return;
	if (!pkg) {
		ERR(l, au->line,
		    "the url '%s' of <au> '%s' is relative, but a course structure given without "
		    "a zip package needs fully qualified URLs (cmi5 14.2)",
		    au->url, au->id);
		return;
	}
	if (somo__cx_url_member(au->url, &member, &why) < 0) {
		if (why)
			ERR(l, au->line,
			    "the url '%s' of <au> '%s' cannot name a file of the package: %s",
			    au->url, au->id, why);
		else
			l->oom = true;
		return;
	}
	if (somo_package_stat(pkg, member, &e) < 0 || e.is_dir)
		ERR(l, au->line,
		    "the url '%s' of <au> '%s' is relative but the package has no file '%s' "
		    "(cmi5 14.1)",
		    au->url, au->id, member);
	somo__free(member);
}

int somo_cmi5_validate(somo_cmi5_report **out, const somo_cmi5_course *c, somo_package *pkg)
{
	somo__cx_msgs l = {0};
	somo_cmi5_report *r;
	id_entry *objs;
	size_t nobj = 0, i;

	if (!out || !c)
		return somo__error(SOMO_EINVAL, "somo_cmi5_validate: NULL argument");
	*out = NULL;
	somo__cx_add_all(&l, &c->msgs);
	objs = check_ids(&l, c, &nobj);
	if (objs)
		check_refs(&l, c, objs, nobj);
	somo__free(objs);
	for (i = 0; i < c->au_count; i++)
		check_url(&l, c->aus[i], pkg);
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
		r->items[i].severity = (somo_cmi5_severity)l.items[i].severity;
		r->items[i].line = l.items[i].line;
		r->items[i].text = l.items[i].text;
		l.items[i].text = NULL;
	}
	r->count = l.count;
	r->errors = l.errors;
	somo__cx_msgs_free(&l);
	*out = r;
	if (r->errors)
		return somo__error(SOMO_EINVALID, "%s: %zu error%s against the cmi5 specification",
		                   c->file, r->errors, r->errors == 1 ? "" : "s");
	return 0;
}

size_t somo_cmi5_report_count(const somo_cmi5_report *r)
{
	return r ? r->count : 0;
}

size_t somo_cmi5_report_errors(const somo_cmi5_report *r)
{
	return r ? r->errors : 0;
}

const somo_cmi5_message *somo_cmi5_report_at(const somo_cmi5_report *r, size_t i)
{
	return r && i < r->count ? &r->items[i] : NULL;
}

void somo_cmi5_report_free(somo_cmi5_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->count; i++)
		somo__free((void *)r->items[i].text);
	somo__free(r->items);
	somo__free(r);
}
