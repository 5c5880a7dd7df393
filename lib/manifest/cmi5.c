/*
 * cmi5.xml into the course model (cmi5 section 13, CourseStructure.xsd).
 *
 * The parser follows the schema's content models element by element and
 * records every departure from them, with its line, in the course; parsing
 * itself fails only on malformed XML. somo_cmi5_validate() (cmi5_validate.c)
 * adds the checks the schema cannot express.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "manifest/cmi5_internal.h"
#include "somo/package.h"
#include "util/text.h"

typedef struct {
	somo_cmi5_course *c;
	const char *ns; /* the namespace of the document's cmi5 elements (the root's) */
	bool oom;
} pctx;

/* One entry of a content model: an element (or a choice of two) with its occurrences. */
typedef struct {
	const char *a, *b;
	int min, max; /* max -1: unbounded */
} slot;

typedef void (*child_fn)(pctx *p, xmlNode *child, size_t slot_index, int depth, void *target);

#define ERR(p, line, ...)  somo__cx_add(&(p)->c->msgs, SOMO__CX_ERROR, (line), __VA_ARGS__)
#define WARN(p, line, ...) somo__cx_add(&(p)->c->msgs, SOMO__CX_WARNING, (line), __VA_ARGS__)

static const char *const launch_method_names[] = {"AnyWindow", "OwnWindow"};
static const char *const move_on_names[] = {"NotApplicable", "Passed", "Completed",
                                            "CompletedAndPassed", "CompletedOrPassed"};

const char *somo_cmi5_launch_method_name(somo_cmi5_launch_method m)
{
	return (unsigned)m < SOMO__ARRAY_SIZE(launch_method_names) ? launch_method_names[m] : "";
}

const char *somo_cmi5_move_on_name(somo_cmi5_move_on m)
{
	return (unsigned)m < SOMO__ARRAY_SIZE(move_on_names) ? move_on_names[m] : "";
}

static bool is_cmi5(const pctx *p, const xmlNode *n)
{
	const char *ns = somo__cx_ns(n);

	if (!p->ns || !ns)
		return !p->ns && !ns;
	return !strcmp(ns, p->ns);
}

static bool slot_match(const slot *s, const char *name)
{
	return !strcmp(s->a, name) || (s->b && !strcmp(s->b, name));
}

static const char *slot_name(const slot *s, char *buf, size_t size)
{
	if (s->b)
		snprintf(buf, size, "<%s> or <%s>", s->a, s->b);
	else
		snprintf(buf, size, "<%s>", s->a);
	return buf;
}

/*
 * Walk el's children against a sequence of slots (CourseStructure.xsd's
 * xs:sequence), calling fn for each cmi5 element. Elements of other
 * namespaces are extensions (13.1.5), allowed after the cmi5 ones.
 */
static void walk(pctx *p, xmlNode *el, const char *what, const slot *slots, size_t nslots,
                 child_fn fn, int depth, void *target)
{
	int counts[8] = {0};
	size_t cur = 0, k;
	bool ext_seen = false, text_reported = false;
	xmlNode *ch;
	char b1[64], b2[64];

	for (ch = el->children; ch; ch = ch->next) {
		const char *name;
		size_t s;

		if ((ch->type == XML_TEXT_NODE || ch->type == XML_CDATA_SECTION_NODE) &&
		    !text_reported) {
			const char *t = (const char *)ch->content;
			for (; t && *t; t++)
				if (*t != ' ' && *t != '\t' && *t != '\r' && *t != '\n')
					break;
			if (t && *t) {
				ERR(p, somo__cx_line(ch),
				    "<%s> may not contain text, only elements", what);
				text_reported = true;
			}
			continue;
		}
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		name = (const char *)ch->name;
		if (!is_cmi5(p, ch)) {
			if (!somo__cx_ns(ch))
				ERR(p, somo__cx_line(ch),
				    "<%s> in <%s> is not a cmi5 element and has no namespace of "
				    "its own "
				    "(extensions must be namespaced, cmi5 13.1.5)",
				    name, what);
			ext_seen = true;
			continue;
		}
		for (s = cur; s < nslots && !slot_match(&slots[s], name); s++)
			;
		if (s < nslots) {
			if (ext_seen)
				WARN(p, somo__cx_line(ch),
				     "<%s> follows an extension element in <%s>; "
				     "CourseStructure.xsd "
				     "puts extensions last",
				     name, what);
			cur = s;
		} else {
			for (s = 0; s < cur && !slot_match(&slots[s], name); s++)
				;
			if (s == cur) {
				ERR(p, somo__cx_line(ch), "unexpected element <%s> in <%s>", name,
				    what);
				continue;
			}
			ERR(p, somo__cx_line(ch),
			    "<%s> is out of order in <%s>: it must come before %s", name, what,
			    slot_name(&slots[cur], b2, sizeof(b2)));
		}
		if (slots[s].max >= 0 && counts[s] >= slots[s].max) {
			ERR(p, somo__cx_line(ch), "more than one <%s> in <%s>", name, what);
			continue;
		}
		counts[s]++;
		fn(p, ch, s, depth, target);
	}
	for (k = 0; k < nslots; k++)
		if (counts[k] < slots[k].min)
			ERR(p, somo__cx_line(el), "<%s> lacks %s", what,
			    slot_name(&slots[k], b1, sizeof(b1)));
}

/* Unqualified attributes other than those listed are not in the schema. */
static void check_attrs(pctx *p, const xmlNode *el, const char *const *known)
{
	const xmlAttr *a;
	size_t i;

	for (a = el->properties; a; a = a->next) {
		if (a->ns)
			continue; /* xs:anyAttribute namespace="##other" */
		for (i = 0; known[i]; i++)
			if (!strcmp(known[i], (const char *)a->name))
				break;
		if (!known[i])
			WARN(p, somo__cx_line(el), "unknown attribute '%s' on <%s> ignored",
			     (const char *)a->name, (const char *)el->name);
	}
}

static char *attr(pctx *p, const xmlNode *el, const char *name)
{
	bool oom = false;
	char *v = somo__cx_attr(el, name, &oom);

	if (oom)
		p->oom = true;
	return v;
}

static char *text_of(pctx *p, const xmlNode *el)
{
	char *t = somo__cx_text(el);

	if (!t)
		p->oom = true;
	return t;
}

/* ---- texts (textType) ---- */

typedef struct {
	somo_cmi5_langstring *items;
	size_t count, cap;
} text_acc;

static void on_langstring(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	static const char *const known[] = {"lang", NULL};
	text_acc *t = target;
	char *lang, *text;
	const xmlNode *ch;

	(void)s;
	(void)depth;
	check_attrs(p, el, known);
	for (ch = el->children; ch; ch = ch->next)
		if (ch->type == XML_ELEMENT_NODE) {
			ERR(p, somo__cx_line(ch), "<langstring> holds text only, not <%s>",
			    (const char *)ch->name);
			break;
		}
	lang = attr(p, el, "lang");
	if (lang && *lang && !somo__langtag_valid(lang))
		WARN(p, somo__cx_line(el), "'%s' is not a valid language tag", lang);
	text = text_of(p, el);
	if (!text || (!lang && !(lang = somo__strdup("")))) {
		p->oom = true;
		somo__free(lang);
		somo__free(text);
		return;
	}
	if (t->count == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 2;
		somo_cmi5_langstring *n = somo__realloc(t->items, ncap * sizeof(*n));
		if (!n) {
			p->oom = true;
			somo__free(lang);
			somo__free(text);
			return;
		}
		t->items = n;
		t->cap = ncap;
	}
	t->items[t->count].lang = lang;
	t->items[t->count].text = text;
	t->count++;
}

static void parse_text(pctx *p, xmlNode *el, somo_cmi5_text *out)
{
	static const slot slots[] = {{"langstring", NULL, 1, -1}};
	static const char *const known[] = {NULL};
	text_acc acc = {NULL, 0, 0};

	check_attrs(p, el, known);
	walk(p, el, (const char *)el->name, slots, 1, on_langstring, 0, &acc);
	out->items = acc.items;
	out->count = acc.count;
}

static void free_text(somo_cmi5_text *t)
{
	size_t i;

	for (i = 0; i < t->count; i++) {
		somo__free((void *)t->items[i].lang);
		somo__free((void *)t->items[i].text);
	}
	somo__free((void *)t->items);
	t->items = NULL;
	t->count = 0;
}

/* ---- nodes ---- */

static somo_cmi5_node *new_node(pctx *p, somo_cmi5_node_kind kind, const xmlNode *el,
                                const somo_cmi5_node *parent)
{
	somo_cmi5_course *c = p->c;
	somo_cmi5_node *n;

	if (c->node_count == c->node_cap) {
		size_t ncap = c->node_cap ? c->node_cap * 2 : 16;
		somo_cmi5_node **nn = somo__realloc(c->nodes, ncap * sizeof(*nn));
		if (!nn) {
			p->oom = true;
			return NULL;
		}
		c->nodes = nn;
		c->node_cap = ncap;
	}
	if ((n = somo__calloc(1, sizeof(*n))) == NULL) {
		p->oom = true;
		return NULL;
	}
	n->kind = kind;
	n->parent = parent;
	n->line = somo__cx_line(el);
	c->nodes[c->node_count++] = n;
	return n;
}

static void add_child(pctx *p, somo_cmi5_node *parent, const somo_cmi5_node *child)
{
	/* Arrays grow by doubling: full whenever the count is 0 or a power of two. */
	size_t n = parent->child_count;
	const somo_cmi5_node **arr = (const somo_cmi5_node **)parent->children;

	if ((n & (n - 1)) == 0) {
		const somo_cmi5_node **na = somo__realloc(arr, (n ? n * 2 : 1) * sizeof(*na));
		if (!na) {
			p->oom = true;
			return;
		}
		arr = na;
	}
	arr[n] = child;
	parent->children = arr;
	parent->child_count = n + 1;
}

static void add_ref(pctx *p, somo_cmi5_node *node, char *idref)
{
	size_t n = node->objective_count;
	const char **arr = (const char **)node->objectives;

	if ((n & (n - 1)) == 0) {
		const char **na = somo__realloc(arr, (n ? n * 2 : 1) * sizeof(*na));
		if (!na) {
			p->oom = true;
			somo__free(idref);
			return;
		}
		arr = na;
	}
	arr[n] = idref;
	node->objectives = arr;
	node->objective_count = n + 1;
}

static void free_node(somo_cmi5_node *n)
{
	size_t i;

	somo__free((void *)n->id);
	free_text(&n->title);
	free_text(&n->description);
	for (i = 0; i < n->objective_count; i++)
		somo__free((void *)n->objectives[i]);
	somo__free((void *)n->objectives);
	somo__free((void *)n->children);
	somo__free((void *)n->url);
	somo__free((void *)n->activity_type);
	somo__free((void *)n->launch_parameters);
	somo__free((void *)n->entitlement_key);
	somo__free(n);
}

static char *required_id(pctx *p, const xmlNode *el)
{
	char *id = attr(p, el, "id");

	if (id && !*id)
		ERR(p, somo__cx_line(el), "<%s> has an empty id", (const char *)el->name);
	if (!id && !p->oom) {
		ERR(p, somo__cx_line(el), "<%s> lacks its required id attribute",
		    (const char *)el->name);
		if ((id = somo__strdup("")) == NULL)
			p->oom = true;
	}
	return id;
}

/* <objectives><objective idref=.../></objectives> under a block or AU. */
static void on_objective_ref(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	static const char *const known[] = {"idref", NULL};
	char *idref;

	(void)s;
	(void)depth;
	check_attrs(p, el, known);
	if (el->children) {
		const xmlNode *ch;
		for (ch = el->children; ch; ch = ch->next)
			if (ch->type == XML_ELEMENT_NODE ||
			    ((ch->type == XML_TEXT_NODE || ch->type == XML_CDATA_SECTION_NODE) &&
			     somo__cx_has_text(el)))
				break;
		if (ch)
			ERR(p, somo__cx_line(el),
			    "an objective reference is an empty <objective idref=\"...\"/>");
	}
	if ((idref = attr(p, el, "idref")) == NULL) {
		if (!p->oom)
			ERR(p, somo__cx_line(el),
			    "<objective> reference lacks its idref attribute");
		return;
	}
	add_ref(p, target, idref);
}

static void parse_refs(pctx *p, xmlNode *el, somo_cmi5_node *node)
{
	static const slot slots[] = {{"objective", NULL, 1, -1}};
	static const char *const known[] = {NULL};

	check_attrs(p, el, known);
	walk(p, el, "objectives", slots, 1, on_objective_ref, 0, node);
}

/* xs:decimal in [0, 1], without strtod (the locale must not change its meaning). */
static void parse_mastery(pctx *p, const xmlNode *el, const char *v, somo_cmi5_node *au)
{
	const char *s = v;
	double val = 0, scale = 1;
	int int_digits = 0, frac_digits = 0;
	bool neg = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s >= '0' && *s <= '9'; s++, int_digits++)
		if (val < 1e9)
			val = val * 10 + (*s - '0');
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++, frac_digits++) {
			scale /= 10;
			val += (*s - '0') * scale;
		}
	if (*s || int_digits + frac_digits == 0) {
		ERR(p, somo__cx_line(el), "masteryScore '%s' is not a decimal number", v);
		return;
	}
	if (neg)
		val = -val;
	if (val < 0 || val > 1) {
		ERR(p, somo__cx_line(el), "masteryScore %s is outside [0, 1]", v);
		return;
	}
	if (frac_digits > 4)
		WARN(p, somo__cx_line(el),
		     "masteryScore %s has more than the 4 decimal places cmi5 13.1.4 allows", v);
	au->has_mastery_score = 1;
	au->mastery_score = val;
}

static int vocabulary(const char *v, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v, names[i]))
			return (int)i;
	return -1;
}

static void on_au_child(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	static const char *const none[] = {NULL};
	somo_cmi5_node *au = target;
	char *v;

	(void)depth;
	switch (s) {
	case 0:
		parse_text(p, el, &au->title);
		return;
	case 1:
		parse_text(p, el, &au->description);
		return;
	case 2:
		parse_refs(p, el, au);
		return;
	default:
		break;
	}
	check_attrs(p, el, none);
	if ((v = text_of(p, el)) == NULL)
		return;
	if (s == 3) {
		if (!*v)
			ERR(p, somo__cx_line(el), "<url> is empty");
		au->url = v;
	} else if (s == 4) {
		au->launch_parameters = v;
	} else {
		au->entitlement_key = v;
	}
}

static void parse_au(pctx *p, xmlNode *el, somo_cmi5_node *parent)
{
	static const slot slots[] = {
	    {"title", NULL, 1, 1}, {"description", NULL, 1, 1},      {"objectives", NULL, 0, 1},
	    {"url", NULL, 1, 1},   {"launchParameters", NULL, 0, 1}, {"entitlementKey", NULL, 0, 1},
	};
	static const char *const known[] = {"id",           "moveOn",       "masteryScore",
	                                    "launchMethod", "activityType", NULL};
	somo_cmi5_node *au = new_node(p, SOMO_CMI5_NODE_AU, el, parent);
	somo_cmi5_course *c = p->c;
	char *v;
	int k;

	if (!au)
		return;
	add_child(p, parent, au);
	if (c->au_count == c->au_cap) {
		size_t ncap = c->au_cap ? c->au_cap * 2 : 8;
		const somo_cmi5_node **na = somo__realloc(c->aus, ncap * sizeof(*na));
		if (!na) {
			p->oom = true;
			return;
		}
		c->aus = na;
		c->au_cap = ncap;
	}
	c->aus[c->au_count++] = au;
	check_attrs(p, el, known);
	au->id = required_id(p, el);
	if ((v = attr(p, el, "moveOn")) != NULL) {
		if ((k = vocabulary(v, move_on_names, SOMO__ARRAY_SIZE(move_on_names))) < 0)
			ERR(p, au->line,
			    "moveOn '%s' is not one of Passed, Completed, CompletedAndPassed, "
			    "CompletedOrPassed, NotApplicable",
			    v);
		else
			au->move_on = (somo_cmi5_move_on)k;
		somo__free(v);
	}
	if ((v = attr(p, el, "launchMethod")) != NULL) {
		if ((k = vocabulary(v, launch_method_names,
		                    SOMO__ARRAY_SIZE(launch_method_names))) < 0)
			ERR(p, au->line, "launchMethod '%s' is not AnyWindow or OwnWindow", v);
		else
			au->launch_method = (somo_cmi5_launch_method)k;
		somo__free(v);
	}
	if ((v = attr(p, el, "masteryScore")) != NULL) {
		parse_mastery(p, el, v, au);
		somo__free(v);
	}
	au->activity_type = attr(p, el, "activityType");
	walk(p, el, "au", slots, SOMO__ARRAY_SIZE(slots), on_au_child, 0, au);
	if (!au->url && !p->oom)
		au->url = somo__strdup("");
}

static void parse_block(pctx *p, xmlNode *el, somo_cmi5_node *parent, int depth);

static void on_block_child(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	somo_cmi5_node *block = target;

	switch (s) {
	case 0:
		parse_text(p, el, &block->title);
		break;
	case 1:
		parse_text(p, el, &block->description);
		break;
	case 2:
		parse_refs(p, el, block);
		break;
	default:
		if (!strcmp((const char *)el->name, "au"))
			parse_au(p, el, block);
		else
			parse_block(p, el, block, depth + 1);
		break;
	}
}

static void parse_block(pctx *p, xmlNode *el, somo_cmi5_node *parent, int depth)
{
	static const slot slots[] = {
	    {"title", NULL, 1, 1},
	    {"description", NULL, 1, 1},
	    {"objectives", NULL, 0, 1},
	    {"au", "block", 1, -1},
	};
	static const char *const known[] = {"id", NULL};
	somo_cmi5_node *block;

	if (depth > SOMO__CMI5_MAX_DEPTH) {
		ERR(p, somo__cx_line(el), "blocks nest deeper than %d levels; the rest is ignored",
		    SOMO__CMI5_MAX_DEPTH);
		return;
	}
	if ((block = new_node(p, SOMO_CMI5_NODE_BLOCK, el, parent)) == NULL)
		return;
	add_child(p, parent, block);
	check_attrs(p, el, known);
	block->id = required_id(p, el);
	walk(p, el, "block", slots, SOMO__ARRAY_SIZE(slots), on_block_child, depth, block);
}

/* Course-level <objective id>: title and description in any order (xs:all). */
static void parse_objective(pctx *p, xmlNode *el)
{
	static const char *const known[] = {"id", NULL};
	somo_cmi5_course *c = p->c;
	somo_cmi5_objective *o;
	somo_cmi5_objective *na;
	xmlNode *ch;
	bool has_title = false, has_desc = false;

	na = somo__realloc(c->objectives, (c->objective_count + 1) * sizeof(*na));
	if (!na) {
		p->oom = true;
		return;
	}
	c->objectives = na;
	o = &c->objectives[c->objective_count++];
	memset(o, 0, sizeof(*o));
	o->line = somo__cx_line(el);
	check_attrs(p, el, known);
	o->id = required_id(p, el);
	for (ch = el->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (!is_cmi5(p, ch)) {
			if (!somo__cx_ns(ch))
				ERR(p, somo__cx_line(ch), "unexpected element <%s> in <objective>",
				    (const char *)ch->name);
			continue;
		}
		if (!strcmp((const char *)ch->name, "title") && !has_title) {
			has_title = true;
			parse_text(p, ch, &o->title);
		} else if (!strcmp((const char *)ch->name, "description") && !has_desc) {
			has_desc = true;
			parse_text(p, ch, &o->description);
		} else {
			ERR(p, somo__cx_line(ch), "unexpected element <%s> in <objective>",
			    (const char *)ch->name);
		}
	}
	if (somo__cx_has_text(el))
		ERR(p, o->line, "<objective> may not contain text, only elements");
	if (!has_title)
		ERR(p, o->line, "<objective> lacks <title>");
	if (!has_desc)
		ERR(p, o->line, "<objective> lacks <description>");
}

static void on_objective(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	(void)s;
	(void)depth;
	(void)target;
	parse_objective(p, el);
}

static void on_course_child(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	somo_cmi5_node *course = target;

	(void)depth;
	parse_text(p, el, s == 0 ? &course->title : &course->description);
}

static void on_structure_child(pctx *p, xmlNode *el, size_t s, int depth, void *target)
{
	static const slot course_slots[] = {{"title", NULL, 1, 1}, {"description", NULL, 1, 1}};
	static const slot objective_slots[] = {{"objective", NULL, 1, -1}};
	static const char *const course_attrs[] = {"id", NULL};
	static const char *const none[] = {NULL};
	somo_cmi5_node *course = target;

	switch (s) {
	case 0:
		check_attrs(p, el, course_attrs);
		somo__free((void *)course->id);
		course->id = required_id(p, el);
		course->line = somo__cx_line(el);
		walk(p, el, "course", course_slots, 2, on_course_child, depth, course);
		break;
	case 1:
		check_attrs(p, el, none);
		walk(p, el, "objectives", objective_slots, 1, on_objective, depth, NULL);
		break;
	default:
		if (!strcmp((const char *)el->name, "au"))
			parse_au(p, el, course);
		else
			parse_block(p, el, course, depth + 1);
		break;
	}
}

static int cmp_node_id(const void *a, const void *b)
{
	const somo_cmi5_node *x = *(const somo_cmi5_node *const *)a;
	const somo_cmi5_node *y = *(const somo_cmi5_node *const *)b;
	int r = strcmp(x->id, y->id);

	return r ? r : (x->line > y->line) - (x->line < y->line);
}

/* The index somo_cmi5_find() searches. */
static int index_ids(somo_cmi5_course *c)
{
	const somo_cmi5_node **idx;
	size_t i;

	if ((idx = somo__calloc(c->node_count ? c->node_count : 1, sizeof(*idx))) == NULL)
		return SOMO_ENOMEM;
	for (i = 0; i < c->node_count; i++) {
		if (!c->nodes[i]->id) {
			somo__free((void *)idx);
			return SOMO_ENOMEM;
		}
		idx[i] = c->nodes[i];
	}
	qsort((void *)idx, c->node_count, sizeof(*idx), cmp_node_id);
	c->by_id = idx;
	return 0;
}

void somo_cmi5_free(somo_cmi5_course *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->node_count; i++)
		free_node(c->nodes[i]);
	for (i = 0; i < c->objective_count; i++) {
		somo__free((void *)c->objectives[i].id);
		free_text(&c->objectives[i].title);
		free_text(&c->objectives[i].description);
	}
	somo__free(c->objectives);
	somo__free(c->nodes);
	somo__free((void *)c->by_id);
	somo__free((void *)c->aus);
	somo__cx_msgs_free(&c->msgs);
	somo__free(c->file);
	somo__free(c);
}

int somo_cmi5_parse_memory(somo_cmi5_course **out, const void *data, size_t size, const char *file,
                           somo_diag *diag)
{
	static const slot slots[] = {
	    {"course", NULL, 1, 1},
	    {"objectives", NULL, 0, 1},
	    {"au", "block", 1, -1},
	};
	static const char *const none[] = {NULL};
	const char *name = file && *file ? file : "cmi5.xml";
	somo_cmi5_course *c;
	xmlDocPtr doc = NULL;
	xmlNode *root;
	pctx p;
	int rc;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out)
		return somo__error(SOMO_EINVAL, "somo_cmi5_parse_memory: out is NULL");
	*out = NULL;
	if ((rc = somo__cx_parse(&doc, data, size, SOMO_CMI5_MAX_SIZE, name, "courseStructure",
	                         "the cmi5 <courseStructure>", diag)) < 0)
		return rc;
	root = xmlDocGetRootElement(doc);
	if ((c = somo__calloc(1, sizeof(*c))) == NULL || (c->file = somo__strdup(name)) == NULL) {
		somo__free(c);
		xmlFreeDoc(doc);
		return somo__error_oom();
	}
	memset(&p, 0, sizeof(p));
	p.c = c;
	p.ns = somo__cx_ns(root);
	if (!p.ns || strcmp(p.ns, SOMO__CMI5_NS) != 0)
		ERR(&p, somo__cx_line(root),
		    "<courseStructure> is in namespace '%s', not the cmi5 namespace " SOMO__CMI5_NS,
		    p.ns ? p.ns : "(none)");
	if ((c->root = new_node(&p, SOMO_CMI5_NODE_COURSE, root, NULL)) != NULL) {
		c->root->id = somo__strdup("");
		check_attrs(&p, root, none);
		walk(&p, root, "courseStructure", slots, SOMO__ARRAY_SIZE(slots),
		     on_structure_child, 0, c->root);
		if (!c->root->id)
			p.oom = true;
	}
	xmlFreeDoc(doc);
	if (!p.oom && index_ids(c) < 0)
		p.oom = true;
	if (p.oom || c->msgs.oom) {
		somo_cmi5_free(c);
		return somo__error_oom();
	}
	*out = c;
	return 0;
}

int somo_cmi5_parse_file(somo_cmi5_course **out, const char *path, somo_diag *diag)
{
	FILE *f;
	char *data = NULL;
	size_t n = 0, cap = 0;
	const char *base;
	int rc;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out || !path)
		return somo__error(SOMO_EINVAL, "somo_cmi5_parse_file: NULL argument");
	*out = NULL;
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	if ((f = fopen(path, "rb")) == NULL)
		return somo__diag(diag, somo__error(SOMO_EIO, "cannot open %s", path), base, 0, 0,
		                  "cannot open %s", path);
	for (;;) {
		size_t got;
		if (n == cap) {
			char *nd;
			if (cap > SOMO_CMI5_MAX_SIZE) {
				fclose(f);
				somo__free(data);
				return somo__diag(diag, SOMO_ELIMIT, base, 0, 0,
				                  "%s is larger than the %u bytes allowed", path,
				                  SOMO_CMI5_MAX_SIZE);
			}
			cap = cap ? cap * 2 : 65536;
			if ((nd = somo__realloc(data, cap + 1)) == NULL) {
				fclose(f);
				somo__free(data);
				return somo__error_oom();
			}
			data = nd;
		}
		got = fread(data + n, 1, cap - n, f);
		n += got;
		if (got == 0)
			break;
	}
	if (ferror(f)) {
		fclose(f);
		somo__free(data);
		return somo__diag(diag, somo__error(SOMO_EIO, "cannot read %s", path), base, 0, 0,
		                  "cannot read %s", path);
	}
	fclose(f);
	rc = somo_cmi5_parse_memory(out, data, n, base, diag);
	somo__free(data);
	return rc;
}

int somo_cmi5_load(somo_cmi5_course **out, somo_package *pkg, somo_diag *diag)
{
	void *data = NULL;
	size_t size = 0;
	int rc;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out || !pkg)
		return somo__error(SOMO_EINVAL, "somo_cmi5_load: NULL argument");
	*out = NULL;
	if ((rc = somo__cx_read_root(&data, &size, pkg, "cmi5.xml", SOMO_CMI5_MAX_SIZE, diag)) < 0)
		return rc;
	rc = somo_cmi5_parse_memory(out, data, size, "cmi5.xml", diag);
	somo_free(data);
	return rc;
}

const char *somo_cmi5_file(const somo_cmi5_course *c)
{
	return c ? c->file : "";
}

const somo_cmi5_node *somo_cmi5_root(const somo_cmi5_course *c)
{
	return c ? c->root : NULL;
}

size_t somo_cmi5_objective_count(const somo_cmi5_course *c)
{
	return c ? c->objective_count : 0;
}

const somo_cmi5_objective *somo_cmi5_objective_at(const somo_cmi5_course *c, size_t i)
{
	return c && i < c->objective_count ? &c->objectives[i] : NULL;
}

size_t somo_cmi5_au_count(const somo_cmi5_course *c)
{
	return c ? c->au_count : 0;
}

const somo_cmi5_node *somo_cmi5_au_at(const somo_cmi5_course *c, size_t i)
{
	return c && i < c->au_count ? c->aus[i] : NULL;
}

const somo_cmi5_node *somo_cmi5_find(const somo_cmi5_course *c, const char *id)
{
	size_t lo = 0, hi;

	if (!c || !id || !c->by_id)
		return NULL;
	/* Lower bound, so that a repeated id gives its first node. */
	hi = c->node_count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(c->by_id[mid]->id, id) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->node_count && !strcmp(c->by_id[lo]->id, id) ? c->by_id[lo] : NULL;
}

static const char *lang_at(const void *items, size_t i)
{
	return ((const somo_cmi5_langstring *)items)[i].lang;
}

const char *somo_cmi5_text_get(const somo_cmi5_text *t, const char *lang)
{
	if (!t || t->count == 0)
		return "";
	return t->items[somo__cx_pick_lang(lang_at, t->items, t->count, lang)].text;
}
