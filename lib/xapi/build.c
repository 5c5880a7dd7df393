/*
 * Building statements part by part. Each function makes its part as a new
 * JSON value first and only then puts it in place, so a bad argument leaves
 * the statement as it was (running out of memory may leave an empty
 * context or result object behind, which is still a valid statement).
 */
#include <string.h>

#include "util/text.h"
#include "util/time.h"
#include "xapi/xapi_internal.h"

static int bad(const char *fn, const char *what)
{
	return somo__error(SOMO_EINVAL, "%s: %s", fn, what);
}

/* Set or (value NULL) delete key; takes the reference to value. */
static int put(json_t *obj, const char *key, json_t *value)
{
	if (value == NULL) {
		json_object_del(obj, key);
		return 0;
	}
	if (json_object_set_new(obj, key, value) != 0)
		return somo__error_oom();
	return 0;
}

static int put_string(json_t *obj, const char *key, const char *s)
{
	json_t *v;

	if (s == NULL)
		return put(obj, key, NULL);
	if ((v = json_string(s)) == NULL)
		return somo__error(SOMO_EINVAL, "'%s' is not valid UTF-8", key);
	return put(obj, key, v);
}

/* The object under key, made when absent. NULL when out of memory. */
static json_t *child(json_t *obj, const char *key)
{
	json_t *c = json_object_get(obj, key);

	if (json_is_object(c))
		return c;
	if ((c = json_object()) == NULL || json_object_set_new(obj, key, c) != 0)
		return NULL;
	return c;
}

static json_t *langmap(const somo_xapi_lang *l, size_t n)
{
	json_t *m = json_object();
	size_t i;

	for (i = 0; m && i < n; i++) {
		json_t *s;
		if (l[i].lang == NULL || l[i].text == NULL ||
		    (s = json_string(l[i].text)) == NULL ||
		    json_object_set_new(m, l[i].lang, s) != 0) {
			json_decref(m);
			return NULL;
		}
	}
	return m;
}

static int set_str(json_t *o, const char *key, const char *s)
{
	json_t *v;

	if (s == NULL)
		return 0;
	if ((v = json_string(s)) == NULL || json_object_set_new(o, key, v) != 0)
		return -1;
	return 0;
}

static json_t *actor_json(const somo_xapi_actor *a, bool force_type)
{
	json_t *o = json_object(), *acct;
	size_t i;

	if (o == NULL)
		return NULL;
	if ((a->is_group || force_type) &&
	    set_str(o, "objectType", a->is_group ? "Group" : "Agent") < 0)
		goto fail;
	if (set_str(o, "name", a->name) < 0 || set_str(o, "mbox", a->mbox) < 0 ||
	    set_str(o, "mbox_sha1sum", a->mbox_sha1sum) < 0 || set_str(o, "openid", a->openid) < 0)
		goto fail;
	if (a->account_home_page || a->account_name) {
		if ((acct = json_object()) == NULL ||
		    json_object_set_new(o, "account", acct) != 0 ||
		    set_str(acct, "homePage", a->account_home_page) < 0 ||
		    set_str(acct, "name", a->account_name) < 0)
			goto fail;
	}
	if (a->is_group && a->member_count) {
		json_t *members = json_array();
		if (members == NULL || json_object_set_new(o, "member", members) != 0 ||
		    a->members == NULL)
			goto fail;
		for (i = 0; i < a->member_count; i++) {
			json_t *m;
			if (a->members[i].is_group ||
			    (m = actor_json(&a->members[i], false)) == NULL ||
			    json_array_append_new(members, m) != 0)
				goto fail;
		}
	}
	return o;
fail:
	json_decref(o);
	return NULL;
}

static const char *const interaction_names[] = {
    NULL,          "true-false", "choice", "fill-in", "long-fill-in", "matching",
    "performance", "sequencing", "likert", "numeric", "other"};
static const char *const component_names[] = {"choices", "scale", "source", "target", "steps"};

static json_t *parse_object_text(const char *text)
{
	json_t *v = json_loads(text, JSON_REJECT_DUPLICATES, NULL);

	if (v != NULL && !json_is_object(v)) {
		json_decref(v);
		return NULL;
	}
	return v;
}

static json_t *activity_json(const somo_xapi_activity *a)
{
	json_t *o = json_object(), *def = json_object();
	size_t i, k;

	if (o == NULL || def == NULL || a->id == NULL || set_str(o, "objectType", "Activity") < 0 ||
	    set_str(o, "id", a->id) < 0)
		goto fail;
	if (a->name_count && json_object_set_new(def, "name", langmap(a->name, a->name_count)) != 0)
		goto fail;
	if (a->description_count &&
	    json_object_set_new(def, "description",
	                        langmap(a->description, a->description_count)) != 0)
		goto fail;
	if (set_str(def, "type", a->type) < 0 || set_str(def, "moreInfo", a->more_info) < 0)
		goto fail;
	if (a->interaction_type != SOMO_XAPI_INTERACTION_NONE) {
		if ((unsigned)a->interaction_type >= SOMO__ARRAY_SIZE(interaction_names) ||
		    set_str(def, "interactionType", interaction_names[a->interaction_type]) < 0)
			goto fail;
	}
	if (a->correct_response_count) {
		json_t *crp = json_array();
		if (crp == NULL || json_object_set_new(def, "correctResponsesPattern", crp) != 0 ||
		    a->correct_responses == NULL)
			goto fail;
		for (i = 0; i < a->correct_response_count; i++)
			if (a->correct_responses[i] == NULL ||
			    json_array_append_new(crp, json_string(a->correct_responses[i])) != 0)
				goto fail;
	}
	for (k = 0; k < SOMO_XAPI_COMPONENTS_COUNT_; k++) {
		json_t *list;
		if (a->component_count[k] == 0)
			continue;
		if ((list = json_array()) == NULL ||
		    json_object_set_new(def, component_names[k], list) != 0 ||
		    a->components[k] == NULL)
			goto fail;
		for (i = 0; i < a->component_count[k]; i++) {
			const somo_xapi_component *cp = &a->components[k][i];
			json_t *c = json_object();
			if (c == NULL || json_array_append_new(list, c) != 0 || cp->id == NULL ||
			    set_str(c, "id", cp->id) < 0)
				goto fail;
			if (cp->description_count &&
			    json_object_set_new(c, "description",
			                        langmap(cp->description, cp->description_count)) !=
			        0)
				goto fail;
		}
	}
	if (a->extensions_json) {
		json_t *ext = parse_object_text(a->extensions_json);
		if (ext == NULL || json_object_set_new(def, "extensions", ext) != 0)
			goto fail;
	}
	if (json_object_size(def) > 0) {
		if (json_object_set_new(o, "definition", def) != 0)
			def = NULL;
		else
			return o;
		goto fail;
	}
	json_decref(def);
	return o;
fail:
	json_decref(def);
	json_decref(o);
	return NULL;
}

static json_t *statement_ref(const char *uuid)
{
	return json_pack("{s:s, s:s}", "objectType", "StatementRef", "id", uuid);
}

SOMO_API int somo_xapi_statement_new(somo_xapi_statement **out)
{
	json_t *root;

	if (out == NULL)
		return bad("somo_xapi_statement_new", "out is NULL");
	*out = NULL;
	if ((root = json_object()) == NULL)
		return somo__error_oom();
	return somo__xapi_wrap(out, root);
}

SOMO_API int somo_xapi_statement_set_id(somo_xapi_statement *st, const char *uuid)
{
	if (st == NULL)
		return bad("somo_xapi_statement_set_id", "statement is NULL");
	return put_string(st->root, "id", uuid);
}

SOMO_API int somo_xapi_statement_ensure_id(somo_xapi_statement *st)
{
	char uuid[37];
	int rc;

	if (st == NULL)
		return bad("somo_xapi_statement_ensure_id", "statement is NULL");
	if (json_is_string(json_object_get(st->root, "id")))
		return 0;
	if ((rc = somo__uuid_v4(uuid)) < 0)
		return somo__error(rc, "no randomness for a statement id");
	return put_string(st->root, "id", uuid);
}

SOMO_API const char *somo_xapi_statement_id(const somo_xapi_statement *st)
{
	return st ? json_string_value(json_object_get(st->root, "id")) : NULL;
}

SOMO_API int somo_xapi_statement_set_actor(somo_xapi_statement *st, const somo_xapi_actor *actor)
{
	json_t *v;

	if (st == NULL || actor == NULL)
		return bad("somo_xapi_statement_set_actor", "NULL argument");
	if ((v = actor_json(actor, false)) == NULL)
		return bad("somo_xapi_statement_set_actor", "malformed actor");
	return put(st->root, "actor", v);
}

SOMO_API int somo_xapi_statement_set_verb(somo_xapi_statement *st, const char *iri,
                                          const char *lang, const char *display)
{
	json_t *v;

	if (st == NULL || iri == NULL || (lang == NULL) != (display == NULL))
		return bad("somo_xapi_statement_set_verb", "NULL argument or lang without display");
	if (lang)
		v = json_pack("{s:s, s:{s:s}}", "id", iri, "display", lang, display);
	else
		v = json_pack("{s:s}", "id", iri);
	if (v == NULL)
		return bad("somo_xapi_statement_set_verb", "text is not UTF-8");
	return put(st->root, "verb", v);
}

SOMO_API const char *somo_xapi_statement_verb_id(const somo_xapi_statement *st)
{
	return st ? json_string_value(json_object_get(json_object_get(st->root, "verb"), "id"))
	          : NULL;
}

SOMO_API int somo_xapi_statement_set_object_activity(somo_xapi_statement *st,
                                                     const somo_xapi_activity *activity)
{
	json_t *v;

	if (st == NULL || activity == NULL)
		return bad("somo_xapi_statement_set_object_activity", "NULL argument");
	if ((v = activity_json(activity)) == NULL)
		return bad("somo_xapi_statement_set_object_activity", "malformed activity");
	return put(st->root, "object", v);
}

SOMO_API int somo_xapi_statement_set_object_actor(somo_xapi_statement *st,
                                                  const somo_xapi_actor *actor)
{
	json_t *v;

	if (st == NULL || actor == NULL)
		return bad("somo_xapi_statement_set_object_actor", "NULL argument");
	if ((v = actor_json(actor, true)) == NULL)
		return bad("somo_xapi_statement_set_object_actor", "malformed actor");
	return put(st->root, "object", v);
}

SOMO_API int somo_xapi_statement_set_object_statement_ref(somo_xapi_statement *st, const char *uuid)
{
	json_t *v;

	if (st == NULL || uuid == NULL || (v = statement_ref(uuid)) == NULL)
		return bad("somo_xapi_statement_set_object_statement_ref",
		           "NULL or malformed argument");
	return put(st->root, "object", v);
}

SOMO_API int somo_xapi_statement_set_object_substatement(somo_xapi_statement *st,
                                                         const somo_xapi_statement *sub)
{
	static const char *const keys[] = {"actor",   "verb",      "object",     "result",
	                                   "context", "timestamp", "attachments"};
	json_t *v;
	size_t i;

	if (st == NULL || sub == NULL || st == sub)
		return bad("somo_xapi_statement_set_object_substatement", "NULL or same statement");
	if ((v = json_pack("{s:s}", "objectType", "SubStatement")) == NULL)
		return somo__error_oom();
	for (i = 0; i < SOMO__ARRAY_SIZE(keys); i++) {
		json_t *part = json_object_get(sub->root, keys[i]);
		if (part && json_object_set_new(v, keys[i], json_deep_copy(part)) != 0) {
			json_decref(v);
			return somo__error_oom();
		}
	}
	return put(st->root, "object", v);
}

static json_t *result_json(const somo_xapi_result *r)
{
	json_t *o = json_object(), *score = json_object();

	if (o == NULL || score == NULL)
		goto fail;
	if (((r->has & SOMO_XAPI_RESULT_SCALED) &&
	     json_object_set_new(score, "scaled", json_real(r->scaled))) ||
	    ((r->has & SOMO_XAPI_RESULT_RAW) &&
	     json_object_set_new(score, "raw", json_real(r->raw))) ||
	    ((r->has & SOMO_XAPI_RESULT_MIN) &&
	     json_object_set_new(score, "min", json_real(r->min))) ||
	    ((r->has & SOMO_XAPI_RESULT_MAX) &&
	     json_object_set_new(score, "max", json_real(r->max))))
		goto fail;
	if (json_object_size(score)) {
		if (json_object_set_new(o, "score", score) != 0) {
			score = NULL;
			goto fail;
		}
	} else
		json_decref(score);
	score = NULL;
	if (((r->has & SOMO_XAPI_RESULT_SUCCESS) &&
	     json_object_set_new(o, "success", json_boolean(r->success))) ||
	    ((r->has & SOMO_XAPI_RESULT_COMPLETION) &&
	     json_object_set_new(o, "completion", json_boolean(r->completion))) ||
	    set_str(o, "response", r->response) < 0 || set_str(o, "duration", r->duration) < 0)
		goto fail;
	if (r->extensions_json) {
		json_t *ext = parse_object_text(r->extensions_json);
		if (ext == NULL || json_object_set_new(o, "extensions", ext) != 0)
			goto fail;
	}
	return o;
fail:
	json_decref(score);
	json_decref(o);
	return NULL;
}

SOMO_API int somo_xapi_statement_set_result(somo_xapi_statement *st, const somo_xapi_result *r)
{
	json_t *v;

	if (st == NULL)
		return bad("somo_xapi_statement_set_result", "statement is NULL");
	if (r == NULL)
		return put(st->root, "result", NULL);
	if ((v = result_json(r)) == NULL)
		return bad("somo_xapi_statement_set_result", "malformed result");
	return put(st->root, "result", v);
}

/* Set or remove context[key]; an emptied context is removed. */
static int context_put(somo_xapi_statement *st, const char *key, json_t *value)
{
	json_t *ctx;
	int rc;

	if (value == NULL) {
		ctx = json_object_get(st->root, "context");
		if (json_is_object(ctx)) {
			json_object_del(ctx, key);
			if (json_object_size(ctx) == 0)
				json_object_del(st->root, "context");
		}
		return 0;
	}
	if ((ctx = child(st->root, "context")) == NULL) {
		json_decref(value);
		return somo__error_oom();
	}
	rc = put(ctx, key, value);
	return rc;
}

static int context_string(somo_xapi_statement *st, const char *fn, const char *key, const char *s)
{
	json_t *v = NULL;

	if (st == NULL)
		return bad(fn, "statement is NULL");
	if (s != NULL && (v = json_string(s)) == NULL)
		return bad(fn, "text is not UTF-8");
	return context_put(st, key, v);
}

SOMO_API int somo_xapi_statement_set_registration(somo_xapi_statement *st, const char *uuid)
{
	return context_string(st, "somo_xapi_statement_set_registration", "registration", uuid);
}

SOMO_API int somo_xapi_statement_set_revision(somo_xapi_statement *st, const char *revision)
{
	return context_string(st, "somo_xapi_statement_set_revision", "revision", revision);
}

SOMO_API int somo_xapi_statement_set_platform(somo_xapi_statement *st, const char *platform)
{
	return context_string(st, "somo_xapi_statement_set_platform", "platform", platform);
}

SOMO_API int somo_xapi_statement_set_language(somo_xapi_statement *st, const char *tag)
{
	return context_string(st, "somo_xapi_statement_set_language", "language", tag);
}

SOMO_API int somo_xapi_statement_set_context_statement(somo_xapi_statement *st, const char *uuid)
{
	json_t *v = NULL;

	if (st == NULL)
		return bad("somo_xapi_statement_set_context_statement", "statement is NULL");
	if (uuid && (v = statement_ref(uuid)) == NULL)
		return bad("somo_xapi_statement_set_context_statement", "malformed id");
	return context_put(st, "statement", v);
}

static int context_actor(somo_xapi_statement *st, const char *fn, const char *key,
                         const somo_xapi_actor *a, bool group_only)
{
	json_t *v = NULL;

	if (st == NULL || (a && group_only && !a->is_group))
		return bad(fn, "NULL statement or an agent where a group belongs");
	if (a && (v = actor_json(a, false)) == NULL)
		return bad(fn, "malformed actor");
	return context_put(st, key, v);
}

SOMO_API int somo_xapi_statement_set_instructor(somo_xapi_statement *st, const somo_xapi_actor *a)
{
	return context_actor(st, "somo_xapi_statement_set_instructor", "instructor", a, false);
}

SOMO_API int somo_xapi_statement_set_team(somo_xapi_statement *st, const somo_xapi_actor *group)
{
	return context_actor(st, "somo_xapi_statement_set_team", "team", group, true);
}

/* Append v (taken) to the array context[outer][inner] (inner NULL: context[outer]). */
static int context_append(somo_xapi_statement *st, const char *outer, const char *inner, json_t *v)
{
	json_t *ctx, *parent, *arr;

	if ((ctx = child(st->root, "context")) == NULL)
		goto oom;
	parent = ctx;
	if (inner != NULL) {
		if ((parent = child(ctx, outer)) == NULL)
			goto oom;
		outer = inner;
	}
	arr = json_object_get(parent, outer);
	if (json_is_object(arr)) {
		/* a single activity (the older form) becomes a list */
		json_t *list = json_array();
		if (list == NULL || json_array_append(list, arr) != 0 ||
		    json_object_set_new(parent, outer, list) != 0) {
			json_decref(list);
			goto oom;
		}
		arr = list;
	} else if (!json_is_array(arr)) {
		if ((arr = json_array()) == NULL || json_object_set_new(parent, outer, arr) != 0)
			goto oom;
	}
	if (json_array_append_new(arr, v) != 0)
		return somo__error_oom();
	return 0;
oom:
	json_decref(v);
	return somo__error_oom();
}

SOMO_API int somo_xapi_statement_add_context_activity(somo_xapi_statement *st,
                                                      somo_xapi_context_list list,
                                                      const somo_xapi_activity *activity)
{
	static const char *const names[] = {"parent", "grouping", "category", "other"};
	json_t *v;

	if (st == NULL || activity == NULL || (unsigned)list >= SOMO__ARRAY_SIZE(names))
		return bad("somo_xapi_statement_add_context_activity", "NULL or unknown list");
	if ((v = activity_json(activity)) == NULL)
		return bad("somo_xapi_statement_add_context_activity", "malformed activity");
	return context_append(st, "contextActivities", names[list], v);
}

SOMO_API int somo_xapi_statement_add_context_actor(somo_xapi_statement *st,
                                                   const somo_xapi_actor *actor,
                                                   const char *const *relevant_types,
                                                   size_t relevant_count)
{
	json_t *v, *a, *types;
	size_t i;

	if (st == NULL || actor == NULL || (relevant_count && relevant_types == NULL))
		return bad("somo_xapi_statement_add_context_actor", "NULL argument");
	if ((a = actor_json(actor, actor->is_group)) == NULL)
		return bad("somo_xapi_statement_add_context_actor", "malformed actor");
	v = json_pack("{s:s, s:o}", "objectType", actor->is_group ? "contextGroup" : "contextAgent",
	              actor->is_group ? "group" : "agent", a);
	if (v == NULL)
		return somo__error_oom();
	if (relevant_count) {
		if ((types = json_array()) == NULL ||
		    json_object_set_new(v, "relevantTypes", types) != 0)
			goto fail;
		for (i = 0; i < relevant_count; i++)
			if (relevant_types[i] == NULL ||
			    json_array_append_new(types, json_string(relevant_types[i])) != 0)
				goto fail;
	}
	return context_append(st, actor->is_group ? "contextGroups" : "contextAgents", NULL, v);
fail:
	json_decref(v);
	return bad("somo_xapi_statement_add_context_actor", "malformed relevant types");
}

SOMO_API int somo_xapi_statement_set_extension(somo_xapi_statement *st, somo_xapi_ext_place where,
                                               const char *key, const char *value_json)
{
	json_t *value, *part, *ext;

	if (st == NULL || key == NULL || value_json == NULL ||
	    (where != SOMO_XAPI_EXT_RESULT && where != SOMO_XAPI_EXT_CONTEXT))
		return bad("somo_xapi_statement_set_extension", "NULL argument or unknown place");
	value = json_loads(value_json, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, NULL);
	if (value == NULL)
		return bad("somo_xapi_statement_set_extension", "value is not JSON");
	if ((part = child(st->root, where == SOMO_XAPI_EXT_RESULT ? "result" : "context")) ==
	        NULL ||
	    (ext = child(part, "extensions")) == NULL) {
		json_decref(value);
		return somo__error_oom();
	}
	return put(ext, key, value);
}

SOMO_API int somo_xapi_statement_set_timestamp(somo_xapi_statement *st, const char *timestamp)
{
	if (st == NULL)
		return bad("somo_xapi_statement_set_timestamp", "statement is NULL");
	return put_string(st->root, "timestamp", timestamp);
}

SOMO_API int somo_xapi_statement_set_timestamp_now(somo_xapi_statement *st)
{
	char buf[64];
	int64_t sec;
	int32_t ns;
	int rc;

	if (st == NULL)
		return bad("somo_xapi_statement_set_timestamp_now", "statement is NULL");
	somo__time_now(&sec, &ns);
	if ((rc = somo__time_format_xapi(sec, ns, buf, sizeof(buf))) < 0)
		return rc;
	return put_string(st->root, "timestamp", buf);
}

SOMO_API const char *somo_xapi_statement_timestamp(const somo_xapi_statement *st)
{
	return st ? json_string_value(json_object_get(st->root, "timestamp")) : NULL;
}

SOMO_API int somo_xapi_statement_set_stored(somo_xapi_statement *st, const char *timestamp)
{
	if (st == NULL)
		return bad("somo_xapi_statement_set_stored", "statement is NULL");
	return put_string(st->root, "stored", timestamp);
}

SOMO_API int somo_xapi_statement_set_authority(somo_xapi_statement *st, const somo_xapi_actor *a)
{
	json_t *v = NULL;

	if (st == NULL)
		return bad("somo_xapi_statement_set_authority", "statement is NULL");
	if (a && (v = actor_json(a, false)) == NULL)
		return bad("somo_xapi_statement_set_authority", "malformed actor");
	return put(st->root, "authority", v);
}

SOMO_API int somo_xapi_statement_set_version(somo_xapi_statement *st, const char *version)
{
	if (st == NULL)
		return bad("somo_xapi_statement_set_version", "statement is NULL");
	return put_string(st->root, "version", version);
}

SOMO_API int somo_xapi_statement_add_attachment(somo_xapi_statement *st,
                                                const somo_xapi_attachment *att)
{
	json_t *a, *list;

	if (st == NULL || att == NULL || att->usage_type == NULL || att->content_type == NULL ||
	    att->sha2 == NULL || att->display_count == 0)
		return bad("somo_xapi_statement_add_attachment", "NULL or missing required field");
	a = json_pack("{s:s, s:o, s:s, s:I, s:s}", "usageType", att->usage_type, "display",
	              langmap(att->display, att->display_count), "contentType", att->content_type,
	              "length", (json_int_t)att->length, "sha2", att->sha2);
	if (a == NULL)
		return bad("somo_xapi_statement_add_attachment", "malformed attachment");
	if ((att->description_count &&
	     json_object_set_new(a, "description",
	                         langmap(att->description, att->description_count)) != 0) ||
	    set_str(a, "fileUrl", att->file_url) < 0) {
		json_decref(a);
		return bad("somo_xapi_statement_add_attachment", "malformed attachment");
	}
	list = json_object_get(st->root, "attachments");
	if (!json_is_array(list)) {
		if ((list = json_array()) == NULL ||
		    json_object_set_new(st->root, "attachments", list) != 0) {
			json_decref(a);
			return somo__error_oom();
		}
	}
	if (json_array_append_new(list, a) != 0)
		return somo__error_oom();
	return 0;
}
