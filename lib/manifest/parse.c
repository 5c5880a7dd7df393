/*
 * imsmanifest.xml into the model, streaming: libxml2's xmlTextReader walks
 * the document and only small subtrees (a resource, a title, an
 * imsss:sequencing, metadata) are expanded and released as it goes, so a
 * manifest of tens of thousands of items never sits whole in memory.
 *
 * Safety: no network (XML_PARSE_NONET), no entity substitution, no DTD
 * loading or validation; a document whose DTD declares entities is refused
 * before any reference could be expanded; size and element limits.
 */
#include <string.h>

#include <libxml/parser.h>
#include <libxml/xmlreader.h>

#include "mf_internal.h"

#define DEFAULT_MAX_SIZE     (32u * 1024 * 1024)
#define DEFAULT_MAX_ELEMENTS 2000000u
#define DEFAULT_MAX_DEPTH    64u

typedef enum {
	F_MANIFEST,
	F_ORGANIZATIONS,
	F_ORGANIZATION,
	F_ITEM,
	F_RESOURCES,
	F_COLLECTION
} frame_kind;

typedef struct {
	frame_kind kind;
	int depth;                          /* reader depth of the element */
	somo_manifest_sub *scope;           /* F_MANIFEST */
	somo__mf_vec orgs, resources, subs; /* F_MANIFEST */
	const char *base;                   /* xml:base in force (joined) */
	somo_manifest_org *org;             /* F_ORGANIZATION, F_ITEM */
	somo_manifest_item *item;           /* F_ITEM */
	somo__mf_vec children;              /* F_ORGANIZATION, F_ITEM */
	const char *def;                    /* F_ORGANIZATIONS, F_MANIFEST: organizations@default */
	bool saw_title;
} frame;

typedef struct {
	somo__mf_ctx c;
	xmlTextReaderPtr r;
	frame *st;
	size_t nst, capst;
	uint32_t max_depth;
	int item_depth;
	somo__mf_vec pending;       /* somo__mf_seq* whose own node uses IDRef */
	somo__mf_vec pending_owner; /* const char* owner identifiers */
	somo__mf_vec coll_nodes;    /* xmlNodePtr copies of collection entries */
	somo__mf_vec coll_ids, coll_seqs;
	somo__mf_vec default_seq_users;
	int next_ret;
	char xml_msg[400];
	int xml_line, xml_col;
	const char *err_text;
	int err_code;
	int err_line;
	somo_diag *diag;
} parser;

static somo_manifest *man_of(parser *p)
{
	return p->c.man;
}

static void *anew(parser *p, size_t n)
{
	void *x = somo__arena_alloc(&p->c.man->arena, n);

	if (!x)
		p->c.oom = true;
	return x;
}

static void vpush(parser *p, somo__mf_vec *v, void *x)
{
	if (x && somo__mf_vec_push(v, x) < 0)
		p->c.oom = true;
}

static frame *push_frame(parser *p, frame_kind k, int depth)
{
	frame *f;

	if (p->nst == p->capst) {
		size_t cap = p->capst ? p->capst * 2 : 16;
		frame *st = somo__realloc(p->st, cap * sizeof(*st));

		if (!st) {
			p->c.oom = true;
			return NULL;
		}
		p->st = st;
		p->capst = cap;
	}
	f = &p->st[p->nst++];
	memset(f, 0, sizeof(*f));
	f->kind = k;
	f->depth = depth;
	if (p->nst > 1)
		f->base = p->st[p->nst - 2].base;
	return f;
}

static frame *top(parser *p)
{
	return p->nst ? &p->st[p->nst - 1] : NULL;
}

static const char *join_base(parser *p, const char *base, const char *add)
{
	if (!add || !*add)
		return base;
	return somo__mf_join_base(&p->c, base, add);
}

static const char *xml_base(parser *p, const xmlNode *n)
{
	return somo__mf_attr(&p->c, n, SOMO__NSK_XML, "base", true);
}

static const char *id_attr(parser *p, const xmlNode *n)
{
	return somo__mf_attr(&p->c, n, SOMO__NSK_NONE, "identifier", true);
}

/* ---- resources ---- */

static void parse_resource(parser *p, frame *f, const char *base, const xmlNode *n)
{
	somo__mf_ctx *c = &p->c;
	somo_manifest_resource *res = anew(p, sizeof(*res));
	somo__mf_vec files = {0}, deps = {0};
	const xmlNode *ch;
	const char *st;

	if (!res)
		return;
	res->line = somo__mf_line(n);
	res->identifier = id_attr(p, n);
	res->type = somo__mf_attr(c, n, SOMO__NSK_NONE, "type", true);
	st = somo__mf_attr2(c, n, SOMO__NSK_ADLCP, SOMO__NSK_NONE, "scormType", true);
	if (!st)
		st = somo__mf_attr2(c, n, SOMO__NSK_ADLCP, SOMO__NSK_NONE, "scormtype", true);
	if (st) {
		if (somo__str_ieq(st, "sco"))
			res->scorm_type = "sco";
		else if (somo__str_ieq(st, "asset"))
			res->scorm_type = "asset";
		else
			SOMO__MF_BAD(c, res->line, "scormType=\"%s\" is neither sco nor asset", st);
		if (res->scorm_type && strcmp(st, res->scorm_type))
			somo__mf_msg_add(c, res->line, SOMO_SEVERITY_INFO, SOMO_SEVERITY_WARNING,
			                 "scormType=\"%s\" should be lowercase", st);
	}
	res->is_sco = res->scorm_type && !strcmp(res->scorm_type, "sco");
	res->href = somo__mf_attr(c, n, SOMO__NSK_NONE, "href", false);
	res->base = join_base(p, base, xml_base(p, n));
	if (res->href && *res->href)
		res->launch = somo__mf_join_base(c, res->base, res->href);
	res->metadata = &somo__mf_no_metadata;
	for (ch = n->children; ch; ch = ch->next) {
		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (++c->elements > c->max_elements)
			break;
		if (somo__mf_is(ch, SOMO__NSK_CP, "file", NULL)) {
			somo_manifest_file *fl = anew(p, sizeof(*fl));
			const xmlNode *m;

			if (!fl)
				break;
			fl->line = somo__mf_line(ch);
			fl->href = somo__mf_attr(c, ch, SOMO__NSK_NONE, "href", false);
			if (!fl->href)
				SOMO__MF_BAD(c, fl->line, "file without href in resource \"%s\"",
				             res->identifier ? res->identifier : "");
			fl->path = fl->href ? somo__mf_join_base(c, res->base, fl->href) : NULL;
			fl->metadata = &somo__mf_no_metadata;
			for (m = ch->children; m; m = m->next)
				if (somo__mf_is(m, SOMO__NSK_CP, "metadata", NULL))
					fl->metadata = somo__mf_metadata(c, m, res->base);
			vpush(p, &files, fl);
		} else if (somo__mf_is(ch, SOMO__NSK_CP, "dependency", NULL)) {
			const char *ref =
			    somo__mf_attr(c, ch, SOMO__NSK_NONE, "identifierref", true);

			if (!ref || !*ref)
				SOMO__MF_BAD(c, somo__mf_line(ch),
				             "dependency without identifierref");
			else
				vpush(p, &deps, (void *)ref);
		} else if (somo__mf_is(ch, SOMO__NSK_CP, "metadata", NULL)) {
			res->metadata = somo__mf_metadata(c, ch, res->base);
		}
	}
	res->files = somo__mf_vec_finish(&files, &c->man->arena, &res->file_count, &c->oom);
	res->dependency_refs =
	    somo__mf_vec_finish(&deps, &c->man->arena, &res->dependency_count, &c->oom);
	if (res->dependency_count)
		res->dependencies = anew(p, res->dependency_count * sizeof(*res->dependencies));
	vpush(p, &f->resources, res);
	vpush(p, &man_of(p)->all_resources, res);
}

/* ---- item children ---- */

/* A decimal in 0..1 (adlcp minProgressMeasureType, progressWeightType): a
 * value outside is read as the nearest bound, not a number keeps the
 * default; either is reported. */
static void unit_decimal(somo__mf_ctx *c, int line, const char *name, const char *v, double *out)
{
	double d;

	if (!somo__mf_parse_decimal(v, &d)) {
		SOMO__MF_BAD(c, line, "%s=\"%s\" is not a decimal number", name, v);
		return;
	}
	if (d < 0 || d > 1) {
		d = d < 0 ? 0.0 : 1.0;
		SOMO__MF_BAD(c, line, "%s=\"%s\" is outside 0..1; %g is used", name, v, d);
	}
	*out = d;
}

static void parse_completion_threshold(parser *p, somo_manifest_item *it, const xmlNode *n)
{
	somo__mf_ctx *c = &p->c;
	somo_completion_threshold *t = &it->completion_threshold;
	const char *cbm = somo__mf_attr(c, n, SOMO__NSK_NONE, "completedByMeasure", true);
	const char *mpm = somo__mf_attr(c, n, SOMO__NSK_NONE, "minProgressMeasure", true);
	const char *pw = somo__mf_attr(c, n, SOMO__NSK_NONE, "progressWeight", true);
	const char *text = somo__mf_text(c, n);

	t->written = true;
	t->line = somo__mf_line(n);
	if (cbm || mpm || pw) {
		man_of(p)->features |= SOMO__FEAT_4TH;
		somo__mf_parse_bool(c, n, "completedByMeasure", cbm, &t->completed_by_measure);
		if (mpm)
			unit_decimal(c, t->line, "minProgressMeasure", mpm,
			             &t->min_progress_measure);
		if (pw)
			unit_decimal(c, t->line, "progressWeight", pw, &t->progress_weight);
	} else if (text && *text) {
		/* 2nd/3rd edition: the threshold as element text */
		man_of(p)->features |= SOMO__FEAT_3RD;
		t->text_form = true;
		t->completed_by_measure = true;
		unit_decimal(c, t->line, "completionThreshold", text, &t->min_progress_measure);
	}
}

static const struct {
	const char *name;
	somo_time_limit_action v;
} tla[] = {
    {"exit,message", SOMO_TIME_LIMIT_EXIT_MESSAGE},
    {"exit,no message", SOMO_TIME_LIMIT_EXIT_NO_MESSAGE},
    {"continue,message", SOMO_TIME_LIMIT_CONTINUE_MESSAGE},
    {"continue,no message", SOMO_TIME_LIMIT_CONTINUE_NO_MESSAGE},
};

const char *somo_time_limit_action_name(somo_time_limit_action a)
{
	size_t i;

	for (i = 0; i < SOMO__ARRAY_SIZE(tla); i++)
		if (tla[i].v == a)
			return tla[i].name;
	return "";
}

static void parse_time_limit_action(parser *p, somo_manifest_item *it, const xmlNode *n)
{
	const char *v = somo__mf_text(&p->c, n);
	size_t i;

	for (i = 0; v && i < SOMO__ARRAY_SIZE(tla); i++)
		if (somo__str_ieq(v, tla[i].name)) {
			it->time_limit_action = tla[i].v;
			return;
		}
	SOMO__MF_BAD(&p->c, somo__mf_line(n), "timeLimitAction \"%s\" is not a valid value",
	             v ? v : "");
}

static const struct {
	const char *name;
	unsigned bit;
} hide[] = {
    {"previous", SOMO_HIDE_PREVIOUS},
    {"continue", SOMO_HIDE_CONTINUE},
    {"exit", SOMO_HIDE_EXIT},
    {"exitAll", SOMO_HIDE_EXIT_ALL},
    {"abandon", SOMO_HIDE_ABANDON},
    {"abandonAll", SOMO_HIDE_ABANDON_ALL},
    {"suspendAll", SOMO_HIDE_SUSPEND_ALL},
};

static void parse_presentation(parser *p, somo_manifest_item *it, const xmlNode *n)
{
	somo__mf_ctx *c = &p->c;
	const xmlNode *ni, *h;

	for (ni = n->children; ni; ni = ni->next) {
		if (!somo__mf_is(ni, SOMO__NSK_ADLNAV, "navigationInterface", &c->man->ns_seen))
			continue;
		for (h = ni->children; h; h = h->next) {
			const char *v;
			size_t i;

			if (!somo__mf_is(h, SOMO__NSK_ADLNAV, "hideLMSUI", NULL))
				continue;
			v = somo__mf_text(c, h);
			for (i = 0; v && i < SOMO__ARRAY_SIZE(hide); i++)
				if (!strcmp(v, hide[i].name))
					break;
			if (v && i < SOMO__ARRAY_SIZE(hide))
				it->hide_lms_ui |= hide[i].bit;
			else
				SOMO__MF_BAD(c, somo__mf_line(h),
				             "hideLMSUI \"%s\" is not a valid value", v ? v : "");
		}
	}
}

static void parse_data(parser *p, somo_manifest_item *it, const xmlNode *n)
{
	somo__mf_ctx *c = &p->c;
	somo__mf_vec maps = {0};
	const xmlNode *ch;

	man_of(p)->features |= SOMO__FEAT_4TH;
	for (ch = n->children; ch; ch = ch->next) {
		somo_data_map *m;

		if (ch->type != XML_ELEMENT_NODE)
			continue;
		if (!somo__mf_is(ch, SOMO__NSK_ADLCP, "map", NULL)) {
			SOMO__MF_BAD(c, somo__mf_line(ch), "unexpected <%s> in adlcp:data",
			             (const char *)ch->name);
			continue;
		}
		if (!(m = anew(p, sizeof(*m))))
			break;
		m->line = somo__mf_line(ch);
		m->read_shared_data = true;
		/*
		 * writeSharedData defaults to true, although adlcp_v1p3.xsd (4th
		 * edition) declares default="false". ADL's own conformance test
		 * requires true: in LMSTestPackage_DMI, activity_1 maps tarID1 with
		 * no writeSharedData and tarID2 with writeSharedData="false", and
		 * DMI.properties expects Act1V1 command 953 (SetValue of tarID1's
		 * store) to return "true" and command 955 (tarID2's) "false" with 404;
		 * DDMa and DDMb write only to maps without the attribute and spell out
		 * writeSharedData="false" wherever a store must stay read-only. ADL's
		 * LMS behaves the same. A manifest that wants a read-only store says
		 * so explicitly, which reads the same under either default.
		 */
		m->write_shared_data = true;
		m->target_id = somo__mf_attr(c, ch, SOMO__NSK_NONE, "targetID", true);
		if (!m->target_id || !*m->target_id) {
			SOMO__MF_BAD(c, m->line, "adlcp:map without targetID; ignored");
			continue;
		}
		somo__mf_parse_bool(c, ch, "readSharedData",
		                    somo__mf_attr(c, ch, SOMO__NSK_NONE, "readSharedData", true),
		                    &m->read_shared_data);
		somo__mf_parse_bool(c, ch, "writeSharedData",
		                    somo__mf_attr(c, ch, SOMO__NSK_NONE, "writeSharedData", true),
		                    &m->write_shared_data);
		vpush(p, &maps, m);
	}
	it->data_maps = somo__mf_vec_finish(&maps, &c->man->arena, &it->data_map_count, &c->oom);
}

/* imsss:sequencing of an item or organization. */
static const somo_ss_sequencing *parse_sequencing(parser *p, const xmlNode *n, const char *owner)
{
	somo__mf_ctx *c = &p->c;
	somo__mf_seq *seq = somo__mf_seq_new(c);
	const char *idref;

	if (!seq)
		return NULL;
	seq->pub.line = somo__mf_line(n);
	idref = somo__mf_attr(c, n, SOMO__NSK_NONE, "IDRef", true);
	if (idref && *idref) {
		/* merged once the sequencingCollection (after resources) is read */
		seq->pub.id_ref = idref;
		seq->pending = xmlCopyNode((xmlNodePtr)n, 1);
		if (!seq->pending) {
			c->oom = true;
			return NULL;
		}
		vpush(p, &p->pending, seq);
		vpush(p, &p->pending_owner, (void *)owner);
		return &seq->pub;
	}
	somo__mf_seq_apply(c, seq, n);
	somo__mf_seq_finish(c, seq, owner);
	return &seq->pub;
}

static void item_child(parser *p, somo_manifest_item *it, frame *f, const xmlNode *n)
{
	somo__mf_ctx *c = &p->c;
	somo__nskind k = somo__mf_node_ns(n, &c->man->ns_seen);
	const char *name = (const char *)n->name;

	if ((k == SOMO__NSK_CP || k == SOMO__NSK_NONE) && !strcmp(name, "title")) {
		it->title = somo__mf_text(c, n);
		it->title_line = somo__mf_line(n);
		f->saw_title = true;
	} else if ((k == SOMO__NSK_CP || k == SOMO__NSK_NONE) && !strcmp(name, "metadata")) {
		it->metadata = somo__mf_metadata(c, n, f->base);
	} else if (k == SOMO__NSK_IMSSS && !strcmp(name, "sequencing")) {
		it->sequencing = parse_sequencing(p, n, it->identifier ? it->identifier : "");
	} else if (k == SOMO__NSK_ADLNAV && !strcmp(name, "presentation")) {
		parse_presentation(p, it, n);
	} else if (k == SOMO__NSK_ADLCP) {
		if (!strcmp(name, "completionThreshold")) {
			parse_completion_threshold(p, it, n);
		} else if (!strcmp(name, "dataFromLMS") || !strcmp(name, "datafromlms")) {
			it->data_from_lms = somo__mf_text(c, n);
		} else if (!strcmp(name, "timeLimitAction") || !strcmp(name, "timelimitaction")) {
			parse_time_limit_action(p, it, n);
		} else if (!strcmp(name, "data")) {
			parse_data(p, it, n);
		} else if (!strcmp(name, "prerequisites")) {
			c->man->features |= SOMO__FEAT_12;
			it->prerequisites = somo__mf_text(c, n);
			it->prerequisites_type = somo__mf_attr(c, n, SOMO__NSK_NONE, "type", true);
		} else if (!strcmp(name, "maxtimeallowed")) {
			c->man->features |= SOMO__FEAT_12;
			it->max_time_allowed = somo__mf_text(c, n);
		} else if (!strcmp(name, "masteryscore")) {
			const char *v = somo__mf_text(c, n);
			double d;

			c->man->features |= SOMO__FEAT_12;
			if (somo__mf_parse_decimal(v, &d) && d >= 0 && d <= 100) {
				it->has_mastery_score = true;
				it->mastery_score = d;
			} else {
				SOMO__MF_BAD(c, somo__mf_line(n),
				             "masteryscore \"%s\" is not a number in 0..100",
				             v ? v : "");
			}
		} else {
			somo__mf_msg_add(c, somo__mf_line(n), SOMO_SEVERITY_WARNING,
			                 SOMO_SEVERITY_WARNING,
			                 "unknown element adlcp:%s in an item; ignored", name);
		}
	}
	/* anything else (extensions of other vendors) is allowed by the schema: ignored */
}

/* ---- streaming ---- */

static int fail(parser *p, int code, int line, const char *text)
{
	if (!p->err_code) {
		p->err_code = code;
		p->err_line = line;
		p->err_text = text;
	}
	return code;
}

static bool is_cp_name(const xmlChar *ns, const xmlChar *local, const char *want)
{
	somo__nskind k = somo__mf_nskind(ns, NULL);

	return (k == SOMO__NSK_NONE || k == SOMO__NSK_CP || k == SOMO__NSK_OTHER) &&
	       !strcmp((const char *)local, want);
}

static void skip_subtree(parser *p, bool *advanced)
{
	p->next_ret = xmlTextReaderNext(p->r);
	*advanced = true;
}

static void finish_item(parser *p, frame *f)
{
	somo_manifest_item *it = f->item;

	it->children =
	    somo__mf_vec_finish(&f->children, &man_of(p)->arena, &it->child_count, &p->c.oom);
	if (!it->title)
		it->title = "";
	if (!it->metadata)
		it->metadata = &somo__mf_no_metadata;
	if (!it->sequencing)
		it->sequencing = somo__mf_seq_default(&p->c);
	if (!f->saw_title)
		SOMO__MF_BAD(&p->c, it->line, "item \"%s\" has no title",
		             it->identifier ? it->identifier : "");
	p->item_depth--;
}

static void finish_org(parser *p, frame *f)
{
	somo_manifest_org *o = f->org;

	o->items = somo__mf_vec_finish(&f->children, &man_of(p)->arena, &o->item_count, &p->c.oom);
	if (!o->title) {
		o->title = "";
		SOMO__MF_BAD(&p->c, o->line, "organization \"%s\" has no title",
		             o->identifier ? o->identifier : "");
	}
	if (!o->metadata)
		o->metadata = &somo__mf_no_metadata;
	if (!o->sequencing)
		o->sequencing = somo__mf_seq_default(&p->c);
}

static void finish_scope(parser *p, frame *f)
{
	somo_manifest_sub *s = f->scope;
	somo__arena *a = &man_of(p)->arena;

	s->orgs = somo__mf_vec_finish(&f->orgs, a, &s->org_count, &p->c.oom);
	s->resources = somo__mf_vec_finish(&f->resources, a, &s->resource_count, &p->c.oom);
	s->subs = somo__mf_vec_finish(&f->subs, a, &s->sub_count, &p->c.oom);
	if (s != man_of(p)->root && s->org_count) {
		size_t i;

		for (i = 0; f->def && i < s->org_count; i++)
			if (s->orgs[i]->identifier && !strcmp(s->orgs[i]->identifier, f->def))
				s->default_org = s->orgs[i];
	}
}

static void pop(parser *p)
{
	frame *f = top(p);

	switch (f->kind) {
	case F_ITEM:
		finish_item(p, f);
		break;
	case F_ORGANIZATION:
		finish_org(p, f);
		break;
	case F_MANIFEST:
		finish_scope(p, f);
		break;
	default:
		break;
	}
	somo__mf_vec_free(&f->children);
	somo__mf_vec_free(&f->orgs);
	somo__mf_vec_free(&f->resources);
	somo__mf_vec_free(&f->subs);
	p->nst--;
}

static xmlNodePtr expand(parser *p)
{
	xmlNodePtr n = xmlTextReaderExpand(p->r);

	if (!n)
		fail(p, SOMO_EPARSE, xmlTextReaderGetParserLineNumber(p->r), NULL);
	return n;
}

/* An element start: either push a frame (streamed) or expand and handle. */
static void on_element(parser *p, bool *advanced)
{
	somo__mf_ctx *c = &p->c;
	somo_manifest *man = man_of(p);
	xmlNodePtr node = xmlTextReaderCurrentNode(p->r);
	const xmlChar *local = xmlTextReaderConstLocalName(p->r);
	const xmlChar *ns = xmlTextReaderConstNamespaceUri(p->r);
	int depth = xmlTextReaderDepth(p->r);
	bool empty = xmlTextReaderIsEmptyElement(p->r) == 1;
	frame *f = top(p), *nf;
	somo__nskind k = somo__mf_nskind(ns, &man->ns_seen);

	if (!node || !local) {
		fail(p, SOMO_EPARSE, 0, NULL);
		return;
	}
	if (!f) {
		xmlNsPtr d;

		if (!is_cp_name(ns, local, "manifest")) {
			fail(p, SOMO_EINVALID, somo__mf_line(node),
			     "the root element is not <manifest>");
			return;
		}
		for (d = node->nsDef; d; d = d->next)
			somo__mf_nskind(d->href, &man->ns_seen);
		nf = push_frame(p, F_MANIFEST, depth);
		if (!nf)
			return;
		nf->scope = anew(p, sizeof(*nf->scope));
		if (!nf->scope)
			return;
		man->root = nf->scope;
		man->manifest_line = nf->scope->line = somo__mf_line(node);
		man->identifier = id_attr(p, node);
		man->version = somo__mf_attr(c, node, SOMO__NSK_NONE, "version", true);
		nf->scope->identifier = man->identifier ? man->identifier : "";
		nf->base = nf->scope->base = join_base(p, NULL, xml_base(p, node));
		if (!man->identifier)
			SOMO__MF_BAD(c, man->manifest_line, "manifest has no identifier");
		goto pushed;
	}
	switch (f->kind) {
	case F_MANIFEST:
		if (is_cp_name(ns, local, "metadata")) {
			xmlNodePtr n = expand(p);

			if (n) {
				const somo_metadata *md = somo__mf_metadata(c, n, f->base);

				if (f->scope == man->root) {
					man->metadata = md;
					man->schema = md->schema;
					man->schemaversion = md->schemaversion;
				}
			}
			skip_subtree(p, advanced);
		} else if (is_cp_name(ns, local, "organizations")) {
			if (f->scope == man->root)
				man->organizations_line = somo__mf_line(node);
			if (f->scope == man->root) {
				const char *d =
				    somo__mf_attr(c, node, SOMO__NSK_NONE, "default", true);

				man->default_attr = d;
			}
			if (!(nf = push_frame(p, F_ORGANIZATIONS, depth)))
				return;
			nf->scope = f->scope;
			f->def = somo__mf_attr(c, node, SOMO__NSK_NONE, "default", true);
			goto pushed;
		} else if (is_cp_name(ns, local, "resources")) {
			if (f->scope == man->root)
				man->resources_line = somo__mf_line(node);
			if (!(nf = push_frame(p, F_RESOURCES, depth)))
				return;
			nf->base = join_base(p, f->base, xml_base(p, node));
			goto pushed;
		} else if (is_cp_name(ns, local, "manifest")) {
			somo_manifest_sub *sub;

			if (p->nst >= p->max_depth) {
				fail(p, SOMO_ELIMIT, somo__mf_line(node),
				     "sub-manifests nest too deeply");
				return;
			}
			if (!(sub = anew(p, sizeof(*sub))))
				return;
			sub->line = somo__mf_line(node);
			sub->identifier = id_attr(p, node);
			if (!sub->identifier) {
				SOMO__MF_BAD(c, sub->line, "sub-manifest has no identifier");
				sub->identifier = "";
			}
			vpush(p, &f->subs, sub);
			if (!(nf = push_frame(p, F_MANIFEST, depth)))
				return;
			nf->scope = sub;
			nf->base = sub->base = join_base(p, f->base, xml_base(p, node));
			goto pushed;
		} else if (k == SOMO__NSK_IMSSS &&
		           !strcmp((const char *)local, "sequencingCollection")) {
			if (!(nf = push_frame(p, F_COLLECTION, depth)))
				return;
			goto pushed;
		} else {
			skip_subtree(p, advanced);
		}
		return;
	case F_ORGANIZATIONS:
		if (is_cp_name(ns, local, "organization")) {
			somo_manifest_org *o = anew(p, sizeof(*o));
			const char *v;

			if (!o)
				return;
			o->line = somo__mf_line(node);
			o->identifier = id_attr(p, node);
			o->structure = somo__mf_attr(c, node, SOMO__NSK_NONE, "structure", true);
			if (!o->structure)
				o->structure = "hierarchical";
			o->objectives_global_to_system = true;
			o->shared_data_global_to_system = true;
			v = somo__mf_attr2(c, node, SOMO__NSK_ADLSEQ, SOMO__NSK_ADLSEQ,
			                   "objectivesGlobalToSystem", true);
			somo__mf_parse_bool(c, node, "objectivesGlobalToSystem", v,
			                    &o->objectives_global_to_system);
			v = somo__mf_attr(c, node, SOMO__NSK_ADLCP, "sharedDataGlobalToSystem",
			                  true);
			if (v)
				man->features |= SOMO__FEAT_4TH;
			somo__mf_parse_bool(c, node, "sharedDataGlobalToSystem", v,
			                    &o->shared_data_global_to_system);
			vpush(p, &p->st[p->nst - 2].orgs, o);
			vpush(p, &man->all_orgs, o);
			if (!(nf = push_frame(p, F_ORGANIZATION, depth)))
				return;
			nf->org = o;
			goto pushed;
		}
		skip_subtree(p, advanced);
		return;
	case F_ORGANIZATION:
	case F_ITEM:
		if (is_cp_name(ns, local, "item")) {
			somo_manifest_item *it = anew(p, sizeof(*it));
			const char *v;

			if (!it)
				return;
			if (++p->item_depth > (int)p->max_depth) {
				fail(p, SOMO_ELIMIT, somo__mf_line(node), "items nest too deeply");
				return;
			}
			it->line = somo__mf_line(node);
			it->identifier = id_attr(p, node);
			it->identifierref =
			    somo__mf_attr(c, node, SOMO__NSK_NONE, "identifierref", true);
			if (it->identifierref && !*it->identifierref)
				it->identifierref = NULL;
			it->isvisible = true;
			it->completion_threshold.min_progress_measure = 1.0;
			it->completion_threshold.progress_weight = 1.0;
			somo__mf_parse_bool(
			    c, node, "isvisible",
			    somo__mf_attr(c, node, SOMO__NSK_NONE, "isvisible", true),
			    &it->isvisible);
			v = somo__mf_attr(c, node, SOMO__NSK_NONE, "parameters", false);
			it->parameters = v;
			it->org = f->org;
			it->parent = f->kind == F_ITEM ? f->item : NULL;
			it->depth = it->parent ? it->parent->depth + 1 : 1;
			vpush(p, &f->children, it);
			vpush(p, &man->all_items, it);
			if (!(nf = push_frame(p, F_ITEM, depth)))
				return;
			nf->org = f->org;
			nf->item = it;
			nf->base = f->base;
			goto pushed;
		}
		{
			xmlNodePtr n = expand(p);

			if (n) {
				if (f->kind == F_ITEM) {
					item_child(p, f->item, f, n);
				} else if (is_cp_name(ns, local, "title")) {
					f->org->title = somo__mf_text(c, n);
				} else if (is_cp_name(ns, local, "metadata")) {
					f->org->metadata = somo__mf_metadata(c, n, f->base);
				} else if (k == SOMO__NSK_IMSSS &&
				           !strcmp((const char *)local, "sequencing")) {
					f->org->sequencing = parse_sequencing(
					    p, n, f->org->identifier ? f->org->identifier : "");
				}
			}
			skip_subtree(p, advanced);
		}
		return;
	case F_RESOURCES:
		if (is_cp_name(ns, local, "resource")) {
			xmlNodePtr n = expand(p);

			if (n)
				parse_resource(p, &p->st[p->nst - 2], f->base, n);
		}
		skip_subtree(p, advanced);
		return;
	case F_COLLECTION:
		if (k == SOMO__NSK_IMSSS && !strcmp((const char *)local, "sequencing")) {
			xmlNodePtr n = expand(p);

			if (n) {
				const char *id = somo__mf_attr(c, n, SOMO__NSK_NONE, "ID", true);
				somo__mf_seq *seq = somo__mf_seq_new(c);
				xmlNodePtr cp;

				if (!id || !*id) {
					SOMO__MF_BAD(
					    c, somo__mf_line(n),
					    "sequencingCollection entry without ID; ignored");
				} else if (seq && (cp = xmlCopyNode(n, 1))) {
					seq->pub.line = somo__mf_line(n);
					seq->pub.collection_id = id;
					somo__mf_seq_apply(c, seq, n);
					somo__mf_seq_finish(c, seq, NULL);
					vpush(p, &p->coll_nodes, cp);
					vpush(p, &p->coll_ids, (void *)id);
					vpush(p, &p->coll_seqs, &seq->pub);
				} else {
					c->oom = true;
				}
			}
		}
		skip_subtree(p, advanced);
		return;
	}
	return;
pushed:
	if (empty)
		pop(p);
}

/* Merge items' own imsss:sequencing with the collection entry they name. */
static void resolve_pending(parser *p)
{
	somo__mf_ctx *c = &p->c;
	size_t i, j;

	for (i = 0; i < p->pending.n; i++) {
		somo__mf_seq *seq = p->pending.v[i];
		const char *owner = p->pending_owner.v[i];
		xmlNodePtr coll = NULL;

		for (j = 0; j < p->coll_ids.n; j++)
			if (!strcmp(p->coll_ids.v[j], seq->pub.id_ref))
				coll = p->coll_nodes.v[j];
		if (coll) {
			seq->pub.collection_id = seq->pub.id_ref;
			somo__mf_seq_apply(c, seq, coll);
		} else {
			SOMO__MF_BAD(c, seq->pub.line,
			             "IDRef=\"%s\" of %s names no sequencingCollection entry",
			             seq->pub.id_ref, owner);
		}
		/* the item's own values override the collection's */
		somo__mf_seq_apply(c, seq, seq->pending);
		somo__mf_seq_finish(c, seq, owner);
		xmlFreeNode(seq->pending);
		seq->pending = NULL;
	}
}

static const somo_manifest_org *find_org(const somo_manifest_sub *s, const char *id)
{
	size_t i;

	for (i = 0; id && i < s->org_count; i++)
		if (s->orgs[i]->identifier && !strcmp(s->orgs[i]->identifier, id))
			return s->orgs[i];
	return NULL;
}

static void index_all(parser *p)
{
	somo__mf_ctx *c = &p->c;
	somo_manifest *man = man_of(p);
	size_t i, j;

	man->res_by_id = xmlHashCreate((int)(man->all_resources.n + 8));
	man->item_by_id = xmlHashCreate((int)(man->all_items.n + 8));
	if (!man->res_by_id || !man->item_by_id) {
		c->oom = true;
		return;
	}
	for (i = 0; i < man->all_resources.n; i++) {
		somo_manifest_resource *r = man->all_resources.v[i];

		if (r->identifier)
			xmlHashAddEntry(man->res_by_id, (const xmlChar *)r->identifier, r);
	}
	for (i = 0; i < man->all_items.n; i++) {
		somo_manifest_item *it = man->all_items.v[i];

		if (it->identifier)
			xmlHashAddEntry(man->item_by_id, (const xmlChar *)it->identifier, it);
	}
	for (i = 0; i < man->all_resources.n; i++) {
		somo_manifest_resource *r = man->all_resources.v[i];
		const somo_manifest_resource **deps =
		    (const somo_manifest_resource **)r->dependencies;

		for (j = 0; deps && j < r->dependency_count; j++)
			deps[j] =
			    xmlHashLookup(man->res_by_id, (const xmlChar *)r->dependency_refs[j]);
	}
}

static const somo_manifest_sub *find_sub(const somo_manifest_sub *s, const char *id)
{
	size_t i;
	const somo_manifest_sub *r;

	for (i = 0; i < s->sub_count; i++) {
		if (!strcmp(s->subs[i]->identifier, id))
			return s->subs[i];
		if ((r = find_sub(s->subs[i], id)))
			return r;
	}
	return NULL;
}

static void set_sub_defaults(const somo_manifest_sub *s)
{
	size_t i;

	for (i = 0; i < s->sub_count; i++) {
		somo_manifest_sub *sub = (somo_manifest_sub *)s->subs[i];

		if (!sub->default_org && sub->org_count)
			sub->default_org = sub->orgs[0];
		set_sub_defaults(sub);
	}
}

static void resolve(parser *p)
{
	somo__mf_ctx *c = &p->c;
	somo_manifest *man = man_of(p);
	size_t i;

	index_all(p);
	for (i = 0; i < man->all_items.n; i++) {
		somo_manifest_item *it = man->all_items.v[i];

		if (!it->identifierref)
			continue;
		it->resource = xmlHashLookup(man->res_by_id, (const xmlChar *)it->identifierref);
		if (!it->resource && man->root)
			it->submanifest = find_sub(man->root, it->identifierref);
	}
	if (man->root) {
		set_sub_defaults(man->root);
		if (man->root->org_count) {
			man->default_org = find_org(man->root, man->default_attr);
			if (!man->default_org) {
				man->default_org = man->root->orgs[0];
				if (man->default_attr)
					SOMO__MF_BAD(
					    c, man->organizations_line,
					    "organizations default=\"%s\" names no organization; "
					    "using the first, \"%s\"",
					    man->default_attr,
					    man->default_org->identifier
					        ? man->default_org->identifier
					        : "");
				else
					/* optional in IMS CP, required by the SCORM CAM book */
					somo__mf_msg_add(c, man->organizations_line,
					                 SOMO_SEVERITY_WARNING,
					                 man->standard == SOMO_STANDARD_IMSCP
					                     ? SOMO_SEVERITY_WARNING
					                     : SOMO_SEVERITY_ERROR,
					                 "organizations has no default attribute; "
					                 "using the first");
			}
		}
		man->root->default_org = man->default_org;
	}
}

static void xml_error_to_diag(parser *p, const char *file)
{
	if (p->xml_msg[0]) {
		somo__diag(p->diag, SOMO_EPARSE, file, p->xml_line, p->xml_col,
		           "not well-formed XML: %s", p->xml_msg);
		somo__error(SOMO_EPARSE, "%s:%d: not well-formed XML: %s", file, p->xml_line,
		            p->xml_msg);
	} else {
		somo__diag(p->diag, SOMO_EPARSE, file, p->err_line, 0, "not well-formed XML");
		somo__error(SOMO_EPARSE, "%s:%d: not well-formed XML", file, p->err_line);
	}
}

/* The reader's own error handler: keeps the first error, prints nothing and
 * leaves the host's libxml2 handlers alone. */
static void on_xml_error(void *ctx, xmlErrorPtr e)
{
	parser *p = ctx;
	size_t n;

	if (!e || e->level < XML_ERR_ERROR || p->xml_msg[0])
		return;
	snprintf(p->xml_msg, sizeof(p->xml_msg), "%s", e->message ? e->message : "error");
	n = strlen(p->xml_msg);
	while (n && (p->xml_msg[n - 1] == '\n' || p->xml_msg[n - 1] == ' '))
		p->xml_msg[--n] = '\0';
	p->xml_line = e->line;
	p->xml_col = e->int2;
}

/* A DTD that declares entities is refused before any reference expands. */
static bool dtd_declares_entities(xmlDocPtr doc)
{
	xmlDtdPtr dtd = doc ? doc->intSubset : NULL;

	if (!dtd)
		return false;
	return (dtd->entities && xmlHashSize(dtd->entities) > 0) ||
	       (dtd->pentities && xmlHashSize(dtd->pentities) > 0);
}

int somo_manifest_parse_memory(somo_manifest **out, const void *data, size_t size, const char *file,
                               const somo_manifest_opts *opts, somo_diag *diag)
{
	parser p;
	somo_manifest *man;
	size_t max_size = opts && opts->max_size ? opts->max_size : DEFAULT_MAX_SIZE;
	int ret, rc = 0;
	bool advanced = false;
	size_t i;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out || (!data && size))
		return somo__error(SOMO_EINVAL, "somo_manifest_parse_memory: NULL argument");
	*out = NULL;
	if (!file)
		file = "imsmanifest.xml";
	if (size > max_size)
		return somo__diag(diag,
		                  somo__error(SOMO_ELIMIT, "%s is %zu bytes, over the limit of %zu",
		                              file, size, max_size),
		                  file, 0, 0, "%s is %zu bytes, over the limit of %zu", file, size,
		                  max_size);
	if (size > INT32_MAX)
		return somo__error(SOMO_ELIMIT, "%s is too large", file);
	man = somo__calloc(1, sizeof(*man));
	if (!man)
		return somo__error_oom();
	memset(&p, 0, sizeof(p));
	p.c.man = man;
	p.c.max_elements = opts && opts->max_elements ? opts->max_elements : DEFAULT_MAX_ELEMENTS;
	p.max_depth = opts && opts->max_depth ? opts->max_depth : DEFAULT_MAX_DEPTH;
	p.diag = diag;
	man->file = somo__arena_strdup(&man->arena, file);
	if (!man->file) {
		somo__free(man);
		return somo__error_oom();
	}

	p.r = xmlReaderForMemory(data, (int)size, NULL, NULL,
	                         XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_BIG_LINES |
	                             XML_PARSE_NOWARNING | XML_PARSE_NOERROR | XML_PARSE_COMPACT);
	if (!p.r) {
		somo_manifest_free(man);
		return somo__error_oom();
	}
	xmlTextReaderSetStructuredErrorHandler(p.r, on_xml_error, &p);
	ret = xmlTextReaderRead(p.r);
	while (ret == 1) {
		int type = xmlTextReaderNodeType(p.r);

		advanced = false;
		if (type == XML_READER_TYPE_DOCUMENT_TYPE ||
		    (type == XML_READER_TYPE_ELEMENT && !p.nst)) {
			/* not xmlTextReaderCurrentDoc(): it would keep the whole tree alive */
			xmlNodePtr cur = xmlTextReaderCurrentNode(p.r);

			if (cur && dtd_declares_entities(cur->doc)) {
				fail(&p, SOMO_EUNSAFE, xmlTextReaderGetParserLineNumber(p.r),
				     "the document type declares entities; refused");
				break;
			}
		}
		if (type == XML_READER_TYPE_ELEMENT) {
			if (++p.c.elements > p.c.max_elements) {
				fail(&p, SOMO_ELIMIT, xmlTextReaderGetParserLineNumber(p.r),
				     "too many XML elements");
				break;
			}
			on_element(&p, &advanced);
		} else if (type == XML_READER_TYPE_END_ELEMENT) {
			if (p.nst && top(&p)->depth == xmlTextReaderDepth(p.r))
				pop(&p);
		}
		if (p.err_code || p.c.oom)
			break;
		/* after xmlTextReaderNext() the reader already sits on the next node */
		ret = advanced ? p.next_ret : xmlTextReaderRead(p.r);
	}
	if (p.c.oom) {
		rc = somo__error_oom();
	} else if (p.err_code == SOMO_EPARSE || (!p.err_code && ret < 0)) {
		rc = SOMO_EPARSE;
		xml_error_to_diag(&p, file);
	} else if (p.err_code) {
		rc = p.err_code;
		somo__diag(diag, rc, file, p.err_line, 0, "%s",
		           p.err_text ? p.err_text : "refused");
		somo__error(rc, "%s:%d: %s", file, p.err_line, p.err_text ? p.err_text : "refused");
	} else if (!man->root) {
		rc = SOMO_EPARSE;
		somo__diag(diag, rc, file, 1, 0, "the document has no root element");
		somo__error(rc, "%s:1: the document has no root element", file);
	} else if (p.c.elements > p.c.max_elements) {
		rc = somo__error(SOMO_ELIMIT, "%s: too many XML elements", file);
		somo__diag(diag, rc, file, 0, 0, "too many XML elements");
	}
	while (p.nst)
		pop(&p);
	somo__free(p.st);
	xmlFreeTextReader(p.r);
	if (rc == 0) {
		somo__mf_detect_standard(&p.c);
		resolve_pending(&p);
		resolve(&p);
		man->collection_ids =
		    somo__mf_vec_finish(&p.coll_ids, &man->arena, &man->collection_count, &p.c.oom);
		man->collections = somo__mf_vec_finish(&p.coll_seqs, &man->arena, &i, &p.c.oom);
		if (!man->metadata)
			man->metadata = &somo__mf_no_metadata;
		if (p.c.oom)
			rc = somo__error_oom();
	}
	for (i = 0; i < p.pending.n; i++) {
		somo__mf_seq *seq = p.pending.v[i];

		if (seq->pending)
			xmlFreeNode(seq->pending);
	}
	for (i = 0; i < p.coll_nodes.n; i++)
		xmlFreeNode(p.coll_nodes.v[i]);
	somo__mf_vec_free(&p.pending);
	somo__mf_vec_free(&p.pending_owner);
	somo__mf_vec_free(&p.coll_nodes);
	somo__mf_vec_free(&p.coll_ids);
	somo__mf_vec_free(&p.coll_seqs);
	somo__mf_vec_free(&p.default_seq_users);
	if (rc < 0) {
		somo_manifest_free(man);
		return rc;
	}
	*out = man;
	return 0;
}

/*
 * The course's title from metadata kept in a file of the package
 * (adlcp:location), when the manifest has no inline LOM title. Best effort:
 * a missing, large or unreadable file leaves the title unset (strict
 * validation reports a missing file).
 */
#define MAX_METADATA_FILE (4u * 1024 * 1024)

static void load_location_title(somo_manifest *man, somo_package *pkg)
{
	somo_metadata *md = (somo_metadata *)man->metadata;
	somo_package_entry e;
	somo__mf_ctx c;
	void *data = NULL;
	size_t size = 0;
	xmlDocPtr doc;

	if (!md || md == &somo__mf_no_metadata || md->title || !md->location)
		return;
	if (somo_package_stat(pkg, md->location, &e) < 0 || e.is_dir ||
	    e.size > MAX_METADATA_FILE || somo_package_read(pkg, md->location, &data, &size) < 0) {
		somo_error_clear();
		return;
	}
	doc = xmlReadMemory(data, (int)size, NULL, NULL,
	                    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING |
	                        XML_PARSE_NOCDATA);
	somo_free(data);
	if (!doc)
		return;
	memset(&c, 0, sizeof(c));
	c.man = man;
	if (!dtd_declares_entities(doc) && xmlDocGetRootElement(doc))
		somo__mf_lom_general(&c, md, xmlDocGetRootElement(doc));
	xmlFreeDoc(doc);
}

/* Keep the package's message (somo__diag formats into the same buffer). */
static int pass_error(somo_diag *diag, int rc)
{
	char msg[512];

	snprintf(msg, sizeof(msg), "%s", somo_error_last()->message);
	return somo__diag(diag, rc, "imsmanifest.xml", 0, 0, "%s", msg);
}

int somo_manifest_load(somo_manifest **out, somo_package *pkg, const somo_manifest_opts *opts,
                       somo_diag *diag)
{
	void *data = NULL;
	size_t size = 0;
	somo_package_entry e;
	size_t max_size = opts && opts->max_size ? opts->max_size : DEFAULT_MAX_SIZE;
	int rc;

	if (diag)
		memset(diag, 0, sizeof(*diag));
	if (!out || !pkg)
		return somo__error(SOMO_EINVAL, "somo_manifest_load: NULL argument");
	*out = NULL;
	if ((rc = somo_package_find_root_file(pkg, "imsmanifest.xml")) < 0) {
		return pass_error(diag, rc);
	}
	if ((rc = somo_package_stat(pkg, "imsmanifest.xml", &e)) < 0) {
		return pass_error(diag, rc);
	}
	if (e.size > max_size) {
		somo__diag(diag, SOMO_ELIMIT, "imsmanifest.xml", 0, 0,
		           "imsmanifest.xml is %llu bytes, over the limit of %zu",
		           (unsigned long long)e.size, max_size);
		return somo__error(SOMO_ELIMIT,
		                   "imsmanifest.xml is %llu bytes, over the limit of %zu",
		                   (unsigned long long)e.size, max_size);
	}
	if ((rc = somo_package_read(pkg, "imsmanifest.xml", &data, &size)) < 0) {
		return pass_error(diag, rc);
	}
	rc = somo_manifest_parse_memory(out, data, size, "imsmanifest.xml", opts, diag);
	somo_free(data);
	if (rc == 0)
		load_location_title(*out, pkg);
	return rc;
}
