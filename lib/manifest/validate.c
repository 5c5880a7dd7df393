/*
 * Validation of a loaded manifest. Strict: what the SCORM CAM book requires,
 * each breach an error. Lenient: what real authoring tools emit is a
 * warning, and only a package that cannot be played at all has errors.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/hash.h>

#include "mf_internal.h"

typedef struct {
	somo_manifest_message m;
	size_t order;
} rmsg;

struct somo_manifest_report {
	somo__arena arena;
	somo__mf_vec msgs; /* rmsg* */
	size_t errors;
	bool oom;
};

typedef struct {
	somo_manifest_report *rep;
	const somo_manifest *man;
	somo_package *pkg;
	bool strict;
	xmlHashTablePtr ids;
} vctx;

static void add(vctx *v, somo_severity sev, int line, const char *fmt, ...) SOMO__PRINTF(4, 5);

static void add(vctx *v, somo_severity sev, int line, const char *fmt, ...)
{
	somo_manifest_report *rep = v->rep;
	rmsg *m;
	char text[700];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	if (rep->msgs.n >= 20000)
		return;
	m = somo__arena_alloc(&rep->arena, sizeof(*m));
	if (!m || !(m->m.text = somo__arena_strdup(&rep->arena, text)) ||
	    somo__mf_vec_push(&rep->msgs, m) < 0) {
		rep->oom = true;
		return;
	}
	m->m.severity = sev;
	m->m.file = v->man->file;
	m->m.line = line;
	m->order = rep->msgs.n;
	if (sev == SOMO_SEVERITY_ERROR)
		rep->errors++;
}

/* A CAM requirement: an error when strict, a warning when lenient. */
#define CAM(v, line, ...)                                                                          \
	add((v), (v)->strict ? SOMO_SEVERITY_ERROR : SOMO_SEVERITY_WARNING, (line), __VA_ARGS__)

static void check_id(vctx *v, const char *id, const char *what, int line)
{
	void *prev;

	if (!id) {
		CAM(v, line, "%s has no identifier", what);
		return;
	}
	if (!*id) {
		CAM(v, line, "%s has an empty identifier", what);
		return;
	}
	prev = xmlHashLookup(v->ids, (const xmlChar *)id);
	if (prev)
		CAM(v, line, "identifier \"%s\" of %s is already used on line %d", id, what,
		    (int)(intptr_t)prev);
	else if (xmlHashAddEntry(v->ids, (const xmlChar *)id, (void *)(intptr_t)(line ? line : 1)) <
	         0)
		v->rep->oom = true;
}

static bool is_url(const char *s)
{
	const char *p = s;

	while ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
	       *p == '+' || *p == '-' || *p == '.')
		p++;
	return p != s && *p == ':';
}

/* A member of the package for an href: query and fragment cut, %XX decoded. */
static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static char *member_path(const char *href)
{
	size_t n = strcspn(href, "?#"), i, o = 0;
	char *out = somo__malloc(n + 1);

	if (!out)
		return NULL;
	for (i = 0; i < n; i++) {
		if (href[i] == '%' && i + 2 < n && hexval(href[i + 1]) >= 0 &&
		    hexval(href[i + 2]) >= 0 && (hexval(href[i + 1]) | hexval(href[i + 2]))) {
			out[o++] = (char)(hexval(href[i + 1]) * 16 + hexval(href[i + 2]));
			i += 2;
			continue;
		}
		out[o++] = href[i];
	}
	out[o] = '\0';
	while (out[0] == '.' && out[1] == '/')
		memmove(out, out + 2, strlen(out + 2) + 1);
	return out;
}

static void check_file(vctx *v, const char *path, int line, const char *what)
{
	somo_package_entry e;
	char *m;

	if (!v->pkg || !path || !*path || is_url(path) || path[0] == '/')
		return;
	if (!(m = member_path(path))) {
		v->rep->oom = true;
		return;
	}
	if (*m && somo_package_stat(v->pkg, m, &e) < 0)
		CAM(v, line, "%s \"%s\" is not in the package", what, path);
	somo__free(m);
	somo_error_clear();
}

static void check_resources(vctx *v, const somo_manifest_sub *s)
{
	const somo_manifest *man = v->man;
	size_t i, j;

	for (i = 0; i < s->resource_count; i++) {
		const somo_manifest_resource *r = s->resources[i];

		check_id(v, r->identifier, "resource", r->line);
		check_file(v, r->metadata->location, r->metadata->line, "metadata location");
		if (!r->type || !*r->type)
			CAM(v, r->line, "resource \"%s\" has no type",
			    r->identifier ? r->identifier : "");
		if (!r->scorm_type && (man->standard == SOMO_STANDARD_SCORM12 ||
		                       man->standard == SOMO_STANDARD_SCORM2004))
			CAM(v, r->line, "resource \"%s\" has no adlcp:scormType (sco or asset)",
			    r->identifier ? r->identifier : "");
		if (r->is_sco && !r->launch)
			CAM(v, r->line, "SCO resource \"%s\" has no href",
			    r->identifier ? r->identifier : "");
		if (r->launch)
			check_file(v, r->launch, r->line, "launch file");
		for (j = 0; j < r->file_count; j++)
			if (r->files[j]->path)
				check_file(v, r->files[j]->path, r->files[j]->line, "file");
		for (j = 0; j < r->dependency_count; j++)
			if (!r->dependencies || !r->dependencies[j])
				CAM(v, r->line,
				    "dependency \"%s\" of resource \"%s\" names no resource",
				    r->dependency_refs[j], r->identifier ? r->identifier : "");
	}
}

static void check_rule_refs(vctx *v, const somo_ss_sequencing *s, const somo_ss_rule *const *rules,
                            size_t n, const char *owner)
{
	size_t i, j, k;

	for (i = 0; i < n; i++)
		for (j = 0; j < rules[i]->condition_count; j++) {
			const somo_ss_condition *c = rules[i]->conditions[j];
			bool found = false;

			if (!c->referenced_objective)
				continue;
			for (k = 0; k < s->objective_count; k++)
				if (s->objectives[k]->id &&
				    !strcmp(s->objectives[k]->id, c->referenced_objective))
					found = true;
			/* a warning only: ADL's own conformance packages reference
			 * objectives that do not exist, to test how a rule treats them */
			if (!found)
				add(v, SOMO_SEVERITY_WARNING, c->line,
				    "referencedObjective=\"%s\" names no objective of \"%s\"",
				    c->referenced_objective, owner);
		}
}

/* SN book: objective identifiers are unique within an activity, and a rule
 * condition refers to one of the activity's own objectives. */
static void check_sequencing(vctx *v, const somo_ss_sequencing *s, const char *owner)
{
	size_t i, j;

	if (!s->written)
		return;
	for (i = 0; i < s->objective_count; i++)
		for (j = 0; j < i; j++)
			if (s->objectives[i]->id && s->objectives[j]->id &&
			    !strcmp(s->objectives[i]->id, s->objectives[j]->id)) {
				CAM(v, s->objectives[i]->line,
				    "objectiveID \"%s\" is used twice in \"%s\"",
				    s->objectives[i]->id, owner);
				break;
			}
	check_rule_refs(v, s, s->pre_rules, s->pre_rule_count, owner);
	check_rule_refs(v, s, s->exit_rules, s->exit_rule_count, owner);
	check_rule_refs(v, s, s->post_rules, s->post_rule_count, owner);
}

static bool check_items(vctx *v, const somo_manifest_item *const *items, size_t n)
{
	const somo_manifest *man = v->man;
	bool launchable = false;
	size_t i;

	for (i = 0; i < n; i++) {
		const somo_manifest_item *it = items[i];
		const char *id = it->identifier ? it->identifier : "";

		check_id(v, it->identifier, "item", it->line);
		check_file(v, it->metadata->location, it->metadata->line, "metadata location");
		check_sequencing(v, it->sequencing, id);
		if (it->child_count) {
			if (it->identifierref && man->standard == SOMO_STANDARD_SCORM2004)
				CAM(v, it->line, "item \"%s\" has children and an identifierref",
				    id);
			if (check_items(v, it->children, it->child_count))
				launchable = true;
		} else if (!it->identifierref) {
			CAM(v, it->line, "leaf item \"%s\" has no identifierref", id);
		}
		if (it->identifierref && !it->resource && !it->submanifest) {
			CAM(v, it->line, "item \"%s\" identifierref=\"%s\" names no resource", id,
			    it->identifierref);
		} else if (it->resource && !it->resource->launch) {
			CAM(v, it->line, "item \"%s\" references resource \"%s\" that has no href",
			    id, it->identifierref);
		} else if (it->resource || (it->submanifest && it->submanifest->default_org)) {
			launchable = true;
		}
		if (it->parameters && (strchr(it->parameters, ' ')))
			CAM(v, it->line, "parameters of item \"%s\" contain a space", id);
	}
	return launchable;
}

static bool check_scope(vctx *v, const somo_manifest_sub *s, bool root)
{
	bool launchable = false;
	size_t i;

	if (!root)
		check_id(v, s->identifier && *s->identifier ? s->identifier : NULL, "sub-manifest",
		         s->line);
	for (i = 0; i < s->org_count; i++) {
		const somo_manifest_org *o = s->orgs[i];
		bool l;

		check_id(v, o->identifier, "organization", o->line);
		check_file(v, o->metadata->location, o->metadata->line, "metadata location");
		check_sequencing(v, o->sequencing, o->identifier ? o->identifier : "");
		l = check_items(v, o->items, o->item_count);
		if (o == s->default_org)
			launchable = l;
		if (!o->item_count)
			CAM(v, o->line, "organization \"%s\" has no items",
			    o->identifier ? o->identifier : "");
	}
	check_resources(v, s);
	for (i = 0; i < s->sub_count; i++)
		check_scope(v, s->subs[i], false);
	return launchable;
}

static int by_line(const void *a, const void *b)
{
	const rmsg *x = *(const rmsg *const *)a, *y = *(const rmsg *const *)b;

	if (x->m.line != y->m.line)
		return x->m.line < y->m.line ? -1 : 1;
	return x->order < y->order ? -1 : x->order > y->order;
}

int somo_manifest_validate(somo_manifest_report **out, const somo_manifest *man, somo_package *pkg,
                           somo_validate_mode mode)
{
	somo_manifest_report *rep;
	vctx v;
	size_t i;
	bool launchable;

	if (!out || !man)
		return somo__error(SOMO_EINVAL, "somo_manifest_validate: NULL argument");
	*out = NULL;
	if (!(rep = somo__calloc(1, sizeof(*rep))))
		return somo__error_oom();
	memset(&v, 0, sizeof(v));
	v.rep = rep;
	v.man = man;
	v.pkg = pkg;
	v.strict = mode == SOMO_VALIDATE_STRICT;
	v.ids = xmlHashCreate(64);
	if (!v.ids) {
		somo_manifest_report_free(rep);
		return somo__error_oom();
	}
	for (i = 0; i < man->msgs.n; i++) {
		const somo__mf_msg *m = man->msgs.v[i];

		add(&v, v.strict ? m->strict : m->m.severity, m->m.line, "%s", m->m.text);
	}
	if (man->root) {
		check_id(&v, man->identifier, "manifest", man->manifest_line);
		if (man->metadata)
			check_file(&v, man->metadata->location, man->metadata->line,
			           "metadata location");
		if ((man->standard == SOMO_STANDARD_SCORM2004 ||
		     man->standard == SOMO_STANDARD_SCORM12) &&
		    !man->schemaversion && !man->inferred)
			CAM(&v, man->manifest_line, "manifest has no metadata/schemaversion");
		if (!man->organizations_line)
			CAM(&v, man->manifest_line, "manifest has no <organizations> element");
		if (!man->resources_line)
			CAM(&v, man->manifest_line, "manifest has no <resources> element");
		launchable = check_scope(&v, man->root, true);
		/* what cannot be played at all fails in every mode */
		if (!man->root->org_count)
			add(&v, SOMO_SEVERITY_ERROR,
			    man->organizations_line ? man->organizations_line : man->manifest_line,
			    "no organization: the package has nothing to play");
		else if (!launchable)
			add(&v, SOMO_SEVERITY_ERROR, man->default_org ? man->default_org->line : 1,
			    "the default organization \"%s\" has no item that can be launched",
			    man->default_org && man->default_org->identifier
			        ? man->default_org->identifier
			        : "");
	}
	xmlHashFree(v.ids, NULL);
	if (rep->oom) {
		somo_manifest_report_free(rep);
		return somo__error_oom();
	}
	if (rep->msgs.n > 1)
		qsort(rep->msgs.v, rep->msgs.n, sizeof(*rep->msgs.v), by_line);
	*out = rep;
	return 0;
}

size_t somo_manifest_report_count(const somo_manifest_report *rep)
{
	return rep ? rep->msgs.n : 0;
}

const somo_manifest_message *somo_manifest_report_at(const somo_manifest_report *rep, size_t i)
{
	if (!rep || i >= rep->msgs.n)
		return NULL;
	return &((const rmsg *)rep->msgs.v[i])->m;
}

size_t somo_manifest_report_errors(const somo_manifest_report *rep)
{
	return rep ? rep->errors : 0;
}

void somo_manifest_report_free(somo_manifest_report *rep)
{
	if (!rep)
		return;
	somo__mf_vec_free(&rep->msgs);
	somo__arena_free(&rep->arena);
	somo__free(rep);
}
