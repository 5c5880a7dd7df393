/*
 * Statement validation: the rules of xAPI 1.0.3 (Data, section 2) and
 * xAPI 2.0 (IEEE 9274.1.1, Part Two) that a statement can be checked
 * against on its own, without what an LRS has stored. Every problem is
 * reported with the JSON path of the value at fault.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/text.h"
#include "util/time.h"
#include "xapi/xapi_internal.h"

#define MAX_DEPTH            32
#define DEFAULT_MAX_PROBLEMS 256

/* One step of the path to the value being checked: a key, or an index
 * when key is NULL. The path is only written out when a problem is found. */
typedef struct {
	const char *key;
	size_t index;
} frame;

typedef struct {
	somo_xapi_version ver;
	somo_xapi_problems *out; /* NULL: only the verdict is wanted */
	size_t max;
	size_t found;
	bool stop;
	int err;
	const char *prefix; /* "$" or "$[3]" */
	int depth;
	frame frames[MAX_DEPTH];
} vctx;

typedef void (*check_fn)(vctx *c, const json_t *v);

/* A property of an object kind and the check of its value (NULL: any value). */
typedef struct {
	const char *key;
	check_fn check;
} field;

#define MAX_FIELDS 16

/* ---- paths and problems ---- */

static bool plain_key(const char *k)
{
	if (!isalpha((unsigned char)*k) && *k != '_')
		return false;
	for (; *k; k++)
		if (!isalnum((unsigned char)*k) && *k != '_')
			return false;
	return true;
}

static void push_key(vctx *c, const char *key)
{
	if (c->depth < MAX_DEPTH)
		c->frames[c->depth] = (frame){key, 0};
	c->depth++;
}

static void push_index(vctx *c, size_t i)
{
	if (c->depth < MAX_DEPTH)
		c->frames[c->depth] = (frame){NULL, i};
	c->depth++;
}

static void pop(vctx *c)
{
	c->depth--;
}

/* $.actor.mbox, $.context.contextActivities.parent[0], $.result.extensions["http://x/y"] */
static int render_path(const vctx *c, somo__buf *b)
{
	int i, n = c->depth < MAX_DEPTH ? c->depth : MAX_DEPTH;
	int rc = somo__buf_puts(b, c->prefix);

	for (i = 0; rc == 0 && i < n; i++) {
		const char *k = c->frames[i].key;
		if (k == NULL) {
			rc = somo__buf_printf(b, "[%zu]", c->frames[i].index);
		} else if (plain_key(k)) {
			rc = somo__buf_putc(b, '.');
			if (rc == 0)
				rc = somo__buf_puts(b, k);
		} else {
			rc = somo__buf_puts(b, "[\"");
			for (; rc == 0 && *k; k++) {
				if (*k == '"' || *k == '\\')
					rc = somo__buf_putc(b, '\\');
				if (rc == 0)
					rc = somo__buf_putc(b, *k);
			}
			if (rc == 0)
				rc = somo__buf_puts(b, "\"]");
		}
		if (rc == 0 && b->len > 1024) {
			rc = somo__buf_puts(b, "...");
			break;
		}
	}
	if (rc == 0 && c->depth > MAX_DEPTH)
		rc = somo__buf_puts(b, "...");
	return rc;
}

static void problem(vctx *c, const char *fmt, ...) SOMO__PRINTF(2, 3);
static void problem(vctx *c, const char *fmt, ...)
{
	somo__buf path = SOMO__BUF_INIT;
	char msg[512];
	va_list ap;

	c->found++;
	if (c->out == NULL || c->stop) {
		c->stop = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (render_path(c, &path) < 0 || somo__xapi_problems_add(c->out, path.ptr, msg) < 0) {
		c->err = SOMO_ENOMEM;
		c->stop = true;
	}
	somo__buf_free(&path);
	if (somo_xapi_problems_count(c->out) >= c->max)
		c->stop = true;
}

static void problem_at(vctx *c, const char *key, const char *fmt, const char *arg)
{
	push_key(c, key);
	problem(c, fmt, arg);
	pop(c);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT:
		return "an object";
	case JSON_ARRAY:
		return "an array";
	case JSON_STRING:
		return "a string";
	case JSON_INTEGER:
	case JSON_REAL:
		return "a number";
	case JSON_TRUE:
	case JSON_FALSE:
		return "a boolean";
	default:
		return "null";
	}
}

/* ---- shapes ---- */

/*
 * Check every member of obj in one pass: a known key's value with its
 * check (the path extended by the key), an unknown key reported. seen[i]
 * gets the value of fields[i], NULL when absent.
 */
static void walk(vctx *c, const json_t *obj, const field *fields, size_t n, const json_t **seen,
                 const char *what)
{
	const char *key;
	json_t *v;
	size_t i;

	for (i = 0; i < n; i++)
		seen[i] = NULL;
	json_object_foreach((json_t *)obj, key, v)
	{
		for (i = 0; i < n; i++)
			if (fields[i].key[0] == key[0] && strcmp(fields[i].key, key) == 0)
				break;
		push_key(c, key);
		if (i == n) {
			problem(c, "unknown property of %s", what);
		} else {
			seen[i] = v;
			if (fields[i].check)
				fields[i].check(c, v);
		}
		pop(c);
		if (c->stop)
			return;
	}
}

static void require(vctx *c, const json_t *const *seen, const field *fields, size_t i,
                    const char *what)
{
	if (seen[i] == NULL)
		problem(c, "%s must have '%s'", what, fields[i].key);
}

static bool want_object(vctx *c, const json_t *v)
{
	if (json_is_object(v))
		return true;
	problem(c, "must be an object, not %s", type_name(v));
	return false;
}

static bool want_string(vctx *c, const json_t *v)
{
	if (json_is_string(v))
		return true;
	problem(c, "must be a string, not %s", type_name(v));
	return false;
}

static bool is_str(const json_t *v, const char *s)
{
	return json_is_string(v) && strcmp(json_string_value(v), s) == 0;
}

static void check_iri(vctx *c, const json_t *v)
{
	if (want_string(c, v) && !somo__iri_valid(json_string_value(v)))
		problem(c, "'%s' is not an absolute IRI", json_string_value(v));
}

static void check_uuid(vctx *c, const json_t *v)
{
	if (want_string(c, v) && !somo__uuid_valid(json_string_value(v)))
		problem(c, "'%s' is not a UUID", json_string_value(v));
}

static void check_bool(vctx *c, const json_t *v)
{
	if (!json_is_boolean(v))
		problem(c, "must be true or false, not %s", type_name(v));
}

static void check_string(vctx *c, const json_t *v)
{
	want_string(c, v);
}

static void check_objecttype(vctx *c, const json_t *v)
{
	want_string(c, v);
}

static void check_langmap(vctx *c, const json_t *v)
{
	const char *key;
	json_t *item;

	if (!want_object(c, v))
		return;
	json_object_foreach((json_t *)v, key, item)
	{
		push_key(c, key);
		if (!somo__langtag_valid(key))
			problem(c, "'%s' is not a language tag (RFC 5646)", key);
		else
			want_string(c, item);
		pop(c);
		if (c->stop)
			return;
	}
}

static void check_extensions(vctx *c, const json_t *v)
{
	const char *key;
	json_t *item;

	if (!want_object(c, v))
		return;
	json_object_foreach((json_t *)v, key, item)
	{
		(void)item;
		if (!somo__iri_valid(key)) {
			push_key(c, key);
			problem(c, "extension key '%s' is not an absolute IRI", key);
			pop(c);
		}
		if (c->stop)
			return;
	}
}

/* Check every item of an array with check. */
static void each(vctx *c, const json_t *v, check_fn check, const char *what)
{
	json_t *item;
	size_t i;

	if (!json_is_array(v)) {
		problem(c, "must be an array of %s, not %s", what, type_name(v));
		return;
	}
	json_array_foreach(v, i, item)
	{
		push_index(c, i);
		check(c, item);
		pop(c);
		if (c->stop)
			return;
	}
}

/* ---- agents and groups ---- */

static bool hexstr(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return false;
	return s[n] == '\0';
}

static void check_mbox(vctx *c, const json_t *v)
{
	const char *s, *at, *p;

	if (!want_string(c, v))
		return;
	s = json_string_value(v);
	if (strncmp(s, "mailto:", 7) != 0) {
		problem(c, "'%s' is not a mailto: IRI", s);
		return;
	}
	s += 7;
	at = strchr(s, '@');
	for (p = s; *p; p++)
		if ((unsigned char)*p <= ' ')
			break;
	if (at == NULL || at == s || at[1] == '\0' || strchr(at + 1, '@') || *p)
		problem(c, "'%s' is not an email address", s);
}

static void check_sha1(vctx *c, const json_t *v)
{
	if (want_string(c, v) && !hexstr(json_string_value(v), 40))
		problem(c, "'%s' is not a hex SHA-1 sum", json_string_value(v));
}

static const field account_fields[] = {{"homePage", check_iri}, {"name", check_string}};

static void check_account(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, account_fields, 2, seen, "an account");
	require(c, seen, account_fields, 0, "an account");
	require(c, seen, account_fields, 1, "an account");
}

enum { WANT_AGENT = 1, WANT_GROUP = 2, WANT_ANY = 3 };

static void check_member_agent(vctx *c, const json_t *v);

static void check_members(vctx *c, const json_t *v)
{
	each(c, v, check_member_agent, "agents");
}

/* Agents and groups share their first six fields; the inverse functional
 * identifiers are 2..5. */
enum { A_TYPE, A_NAME, A_MBOX, A_SHA1, A_OPENID, A_ACCOUNT, A_MEMBER, A_COUNT };
static const field actor_fields[] = {{"objectType", NULL},     {"name", check_string},
                                     {"mbox", check_mbox},     {"mbox_sha1sum", check_sha1},
                                     {"openid", check_iri},    {"account", check_account},
                                     {"member", check_members}};

/* An agent or group; seen (may be NULL) receives its fields. */
static void check_actor_fields(vctx *c, const json_t *v, int want, bool need_type,
                               const json_t **seen_out)
{
	const json_t *seen_local[MAX_FIELDS], **seen = seen_out ? seen_out : seen_local;
	json_t *ot;
	bool group = false;
	int nifi = 0, i;

	for (i = 0; i < A_COUNT; i++)
		seen[i] = NULL;
	if (!want_object(c, v))
		return;
	ot = json_object_get(v, "objectType");
	if (ot != NULL) {
		if (is_str(ot, "Group"))
			group = true;
		else if (!is_str(ot, "Agent")) {
			problem_at(c, "objectType",
			           "objectType of an agent or group must be 'Agent' or 'Group'",
			           NULL);
			return;
		}
	} else if (need_type || want == WANT_GROUP) {
		problem(c, "must have objectType ('%s')",
		        want == WANT_GROUP ? "Group" : "Agent' or 'Group");
	}
	if (group && !(want & WANT_GROUP)) {
		problem(c, "must be an Agent, not a Group");
		return;
	}
	if (!group && !(want & WANT_AGENT) && ot != NULL) {
		problem(c, "must be a Group, not an Agent");
		return;
	}
	walk(c, v, actor_fields, group ? A_COUNT : A_MEMBER, seen, group ? "a group" : "an agent");
	if (c->stop)
		return;
	for (i = A_MBOX; i <= A_ACCOUNT; i++)
		if (seen[i])
			nifi++;
	if (group) {
		const json_t *member = seen[A_MEMBER];
		if (nifi > 1)
			problem(
			    c,
			    "a group must have at most one inverse functional identifier, not %d",
			    nifi);
		else if (nifi == 0 && (member == NULL ||
		                       (json_is_array(member) && json_array_size(member) == 0)))
			problem(c, "an anonymous group (no identifier) must list its members");
	} else if (nifi != 1) {
		problem(c,
		        "an agent must have exactly one inverse functional identifier "
		        "(mbox, mbox_sha1sum, openid or account), not %d",
		        nifi);
	}
}

static void check_member_agent(vctx *c, const json_t *v)
{
	check_actor_fields(c, v, WANT_AGENT, false, NULL);
}

static void check_actor(vctx *c, const json_t *v)
{
	check_actor_fields(c, v, WANT_ANY, false, NULL);
}

static void check_team(vctx *c, const json_t *v)
{
	check_actor_fields(c, v, WANT_GROUP, true, NULL);
}

static void check_authority(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	check_actor_fields(c, v, WANT_ANY, false, seen);
	if (c->stop || !is_str(seen[A_TYPE], "Group"))
		return;
	/* A group as authority is the OAuth pair: two agents, no identifier. */
	if (!json_is_array(seen[A_MEMBER]) || json_array_size(seen[A_MEMBER]) != 2)
		problem(c, "a group as authority must have exactly two members");
	if (seen[A_MBOX] || seen[A_SHA1] || seen[A_OPENID] || seen[A_ACCOUNT])
		problem(c, "a group as authority must be anonymous (no identifier)");
}

/* ---- verbs and activities ---- */

static const field verb_fields[] = {{"id", check_iri}, {"display", check_langmap}};

static void check_verb(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, verb_fields, 2, seen, "a verb");
	require(c, seen, verb_fields, 0, "a verb");
}

static const char *const interaction_types[] = {
    "true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
    "sequencing", "likert", "numeric", "other",        NULL};

static const field component_fields[] = {{"id", check_string}, {"description", check_langmap}};

static void check_component(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, component_fields, 2, seen, "an interaction component");
	require(c, seen, component_fields, 0, "an interaction component");
}

static void check_components(vctx *c, const json_t *v)
{
	json_t *item;
	size_t i, j;

	each(c, v, check_component, "interaction components");
	if (c->stop || !json_is_array(v))
		return;
	/* ids are distinct within one list */
	json_array_foreach(v, i, item)
	{
		json_t *id = json_object_get(item, "id");
		for (j = 0; json_is_string(id) && j < i; j++) {
			if (is_str(json_object_get(json_array_get(v, j), "id"),
			           json_string_value(id))) {
				push_index(c, i);
				problem_at(
				    c, "id",
				    "interaction component id '%s' is used twice in this list",
				    json_string_value(id));
				pop(c);
				break;
			}
		}
	}
}

static void check_string_item(vctx *c, const json_t *v)
{
	want_string(c, v);
}

static void check_string_array(vctx *c, const json_t *v)
{
	each(c, v, check_string_item, "strings");
}

static void check_interaction_type(vctx *c, const json_t *v)
{
	const char *const *t;

	if (!want_string(c, v))
		return;
	for (t = interaction_types; *t; t++)
		if (strcmp(*t, json_string_value(v)) == 0)
			return;
	problem(c, "'%s' is not an interaction type", json_string_value(v));
}

enum {
	D_NAME,
	D_DESC,
	D_TYPE,
	D_MORE,
	D_EXT,
	D_ITYPE,
	D_CRP,
	D_CHOICES,
	D_SCALE,
	D_SOURCE,
	D_TARGET,
	D_STEPS,
	D_COUNT
};
static const field definition_fields[] = {{"name", check_langmap},
                                          {"description", check_langmap},
                                          {"type", check_iri},
                                          {"moreInfo", check_iri},
                                          {"extensions", check_extensions},
                                          {"interactionType", check_interaction_type},
                                          {"correctResponsesPattern", check_string_array},
                                          {"choices", check_components},
                                          {"scale", check_components},
                                          {"source", check_components},
                                          {"target", check_components},
                                          {"steps", check_components}};

/* Which component lists an interaction type may have (bits D_CHOICES..D_STEPS). */
static unsigned components_allowed(const char *type)
{
	if (strcmp(type, "choice") == 0 || strcmp(type, "sequencing") == 0)
		return 1u << D_CHOICES;
	if (strcmp(type, "likert") == 0)
		return 1u << D_SCALE;
	if (strcmp(type, "matching") == 0)
		return (1u << D_SOURCE) | (1u << D_TARGET);
	if (strcmp(type, "performance") == 0)
		return 1u << D_STEPS;
	return 0;
}

static void check_definition(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS], *it;
	unsigned allowed;
	int i;

	if (!want_object(c, v))
		return;
	walk(c, v, definition_fields, D_COUNT, seen, "an activity definition");
	if (c->stop)
		return;
	it = seen[D_ITYPE];
	if (seen[D_CRP] && it == NULL)
		problem_at(c, "correctResponsesPattern",
		           "correctResponsesPattern needs an interactionType", NULL);
	allowed = json_is_string(it) ? components_allowed(json_string_value(it)) : 0;
	for (i = D_CHOICES; i <= D_STEPS; i++) {
		if (seen[i] == NULL)
			continue;
		if (it == NULL)
			problem_at(c, definition_fields[i].key,
			           "interaction components need an interactionType", NULL);
		else if (json_is_string(it) && !(allowed & (1u << i)))
			problem_at(c, definition_fields[i].key,
			           "interactionType '%s' has no such component list",
			           json_string_value(it));
	}
}

static void check_activity_type(vctx *c, const json_t *v)
{
	if (!is_str(v, "Activity"))
		problem(c, "objectType of an activity must be 'Activity'");
}

static const field activity_fields[] = {
    {"objectType", check_activity_type}, {"id", check_iri}, {"definition", check_definition}};

static void check_activity(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, activity_fields, 3, seen, "an activity");
	require(c, seen, activity_fields, 1, "an activity");
}

static const field ref_fields[] = {{"objectType", check_objecttype}, {"id", check_uuid}};

static void check_statement_ref(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, ref_fields, 2, seen, "a statement reference");
	if (!is_str(seen[0], "StatementRef"))
		problem(c, "a statement reference must have objectType 'StatementRef'");
	require(c, seen, ref_fields, 1, "a statement reference");
}

/* ---- result ---- */

static void check_number(vctx *c, const json_t *v)
{
	if (!json_is_number(v))
		problem(c, "must be a number, not %s", type_name(v));
}

enum { S_SCALED, S_RAW, S_MIN, S_MAX };
static const field score_fields[] = {
    {"scaled", check_number}, {"raw", check_number}, {"min", check_number}, {"max", check_number}};

static void check_score(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS], *scaled, *raw, *min, *max;

	if (!want_object(c, v))
		return;
	walk(c, v, score_fields, 4, seen, "a score");
	scaled = seen[S_SCALED];
	raw = seen[S_RAW];
	min = seen[S_MIN];
	max = seen[S_MAX];
	if (json_is_number(scaled) &&
	    (json_number_value(scaled) < -1.0 || json_number_value(scaled) > 1.0))
		problem_at(c, "scaled", "scaled score must be between -1 and 1", NULL);
	if (json_is_number(min) && json_is_number(max) &&
	    json_number_value(min) > json_number_value(max))
		problem_at(c, "min", "min must not be greater than max", NULL);
	if (json_is_number(raw) && json_is_number(min) &&
	    json_number_value(raw) < json_number_value(min))
		problem_at(c, "raw", "raw score must not be less than min", NULL);
	if (json_is_number(raw) && json_is_number(max) &&
	    json_number_value(raw) > json_number_value(max))
		problem_at(c, "raw", "raw score must not be greater than max", NULL);
}

static void check_duration(vctx *c, const json_t *v)
{
	if (want_string(c, v) &&
	    somo__duration_parse(json_string_value(v), SOMO__DUR_XAPI, NULL) != 0)
		problem(c, "'%s' is not an ISO 8601 duration", json_string_value(v));
}

static const field result_fields[] = {
    {"score", check_score},     {"success", check_bool},      {"completion", check_bool},
    {"response", check_string}, {"duration", check_duration}, {"extensions", check_extensions}};

static void check_result(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (want_object(c, v))
		walk(c, v, result_fields, 6, seen, "a result");
}

/* ---- context ---- */

static void check_activity_list(vctx *c, const json_t *v)
{
	/* An activity or an array of them (a single one is the 0.95 form, still valid). */
	if (json_is_object(v))
		check_activity(c, v);
	else
		each(c, v, check_activity, "activities");
}

static const field context_activities_fields[] = {{"parent", check_activity_list},
                                                  {"grouping", check_activity_list},
                                                  {"category", check_activity_list},
                                                  {"other", check_activity_list}};

static void check_context_activities(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (want_object(c, v))
		walk(c, v, context_activities_fields, 4, seen, "contextActivities");
}

static void check_langtag(vctx *c, const json_t *v)
{
	if (want_string(c, v) && !somo__langtag_valid(json_string_value(v)))
		problem(c, "'%s' is not a language tag (RFC 5646)", json_string_value(v));
}

static void check_relevant_types(vctx *c, const json_t *v)
{
	each(c, v, check_iri, "IRIs");
	if (json_is_array(v) && json_array_size(v) == 0)
		problem(c, "relevantTypes must not be empty");
}

static const field context_agent_fields[] = {{"objectType", check_objecttype},
                                             {"agent", check_member_agent},
                                             {"relevantTypes", check_relevant_types}};
static const field context_group_fields[] = {{"objectType", check_objecttype},
                                             {"group", check_team},
                                             {"relevantTypes", check_relevant_types}};

static void check_context_agent(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, context_agent_fields, 3, seen, "a context agent");
	if (!is_str(seen[0], "contextAgent"))
		problem(c, "a context agent must have objectType 'contextAgent'");
	require(c, seen, context_agent_fields, 1, "a context agent");
}

static void check_context_group(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, context_group_fields, 3, seen, "a context group");
	if (!is_str(seen[0], "contextGroup"))
		problem(c, "a context group must have objectType 'contextGroup'");
	require(c, seen, context_group_fields, 1, "a context group");
}

static void check_context_agents(vctx *c, const json_t *v)
{
	each(c, v, check_context_agent, "context agents");
}

static void check_context_groups(vctx *c, const json_t *v)
{
	each(c, v, check_context_group, "context groups");
}

static void check_statement_ref_value(vctx *c, const json_t *v);

/* 1.0.3 knows the first nine; 2.0 adds contextAgents and contextGroups. */
enum {
	C_REG,
	C_INSTR,
	C_TEAM,
	C_CA,
	C_REV,
	C_PLAT,
	C_LANG,
	C_STMT,
	C_EXT,
	C_AGENTS,
	C_GROUPS,
	C_COUNT
};
static const field context_fields[] = {{"registration", check_uuid},
                                       {"instructor", check_actor},
                                       {"team", check_team},
                                       {"contextActivities", check_context_activities},
                                       {"revision", check_string},
                                       {"platform", check_string},
                                       {"language", check_langtag},
                                       {"statement", check_statement_ref_value},
                                       {"extensions", check_extensions},
                                       {"contextAgents", check_context_agents},
                                       {"contextGroups", check_context_groups}};

static void check_context(vctx *c, const json_t *v, bool object_is_activity)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, context_fields, c->ver == SOMO_XAPI_1_0_3 ? C_AGENTS : C_COUNT, seen,
	     "a context");
	/* Data 2.4.6: revision and platform only describe an activity. */
	if (!object_is_activity) {
		if (seen[C_REV])
			problem_at(c, "revision",
			           "revision may only be given when the object is an activity",
			           NULL);
		if (seen[C_PLAT])
			problem_at(c, "platform",
			           "platform may only be given when the object is an activity",
			           NULL);
	}
}

/* ---- timestamps, versions, attachments ---- */

static void check_timestamp(vctx *c, const json_t *v)
{
	const char *s;
	somo__time t;
	size_t n;

	if (!want_string(c, v))
		return;
	s = json_string_value(v);
	if (somo__time_parse(s, SOMO__TIME_XAPI, &t) != 0 || t.precision < 6) {
		problem(c, "'%s' is not an ISO 8601 date and time", s);
		return;
	}
	/* RFC 3339 4.3: -00:00 means "offset unknown", which xAPI refuses. */
	n = strlen(s);
	if ((n >= 6 && strcmp(s + n - 6, "-00:00") == 0) ||
	    (n >= 5 && strcmp(s + n - 5, "-0000") == 0) ||
	    (n >= 3 && strcmp(s + n - 3, "-00") == 0))
		problem(c, "'%s' has the unknown offset -00:00", s);
}

/* "1.0" or "1.0.N" (and "2.0", "2.0.N" under 2.0). */
static void check_version(vctx *c, const json_t *v)
{
	const char *s, *p;

	if (!want_string(c, v))
		return;
	s = json_string_value(v);
	if (strncmp(s, "1.0", 3) == 0 || (c->ver != SOMO_XAPI_1_0_3 && strncmp(s, "2.0", 3) == 0)) {
		p = s + 3;
		if (*p == '\0')
			return;
		if (*p == '.' && isdigit((unsigned char)p[1])) {
			for (p++; isdigit((unsigned char)*p); p++)
				;
			if (*p == '\0')
				return;
		}
	}
	problem(c, "'%s' is not a version this xAPI accepts (%s)", s,
	        c->ver == SOMO_XAPI_1_0_3 ? "1.0.x" : "1.0.x or 2.0.x");
}

static void check_length(vctx *c, const json_t *v)
{
	if (!json_is_integer(v) || json_integer_value(v) < 0)
		problem(c, "must be a whole number of octets, not %s", type_name(v));
}

static void check_sha2(vctx *c, const json_t *v)
{
	const char *s;
	size_t n;

	if (!want_string(c, v))
		return;
	s = json_string_value(v);
	n = strlen(s);
	if (!((n == 56 || n == 64 || n == 96 || n == 128) && hexstr(s, n)))
		problem(c, "'%s' is not a hex SHA-2 sum", s);
}

static void check_content_type(vctx *c, const json_t *v)
{
	const char *s, *slash;

	if (!want_string(c, v))
		return;
	s = json_string_value(v);
	slash = strchr(s, '/');
	if (slash == NULL || slash == s || slash[1] == '\0')
		problem(c, "'%s' is not an Internet media type", s);
}

enum { T_USAGE, T_DISPLAY, T_DESC, T_CTYPE, T_LENGTH, T_SHA2, T_URL, T_COUNT };
static const field attachment_fields[] = {
    {"usageType", check_iri},       {"display", check_langmap},
    {"description", check_langmap}, {"contentType", check_content_type},
    {"length", check_length},       {"sha2", check_sha2},
    {"fileUrl", check_iri}};

static void check_attachment(vctx *c, const json_t *v)
{
	const json_t *seen[MAX_FIELDS];

	if (!want_object(c, v))
		return;
	walk(c, v, attachment_fields, T_COUNT, seen, "an attachment");
	require(c, seen, attachment_fields, T_USAGE, "an attachment");
	require(c, seen, attachment_fields, T_DISPLAY, "an attachment");
	require(c, seen, attachment_fields, T_CTYPE, "an attachment");
	require(c, seen, attachment_fields, T_LENGTH, "an attachment");
	require(c, seen, attachment_fields, T_SHA2, "an attachment");
}

static void check_attachments(vctx *c, const json_t *v)
{
	each(c, v, check_attachment, "attachments");
}

/* ---- statements ---- */

static void check_statement(vctx *c, const json_t *v, bool sub);

static void check_statement_ref_value(vctx *c, const json_t *v)
{
	check_statement_ref(c, v);
}

static void check_object(vctx *c, const json_t *v, bool in_sub)
{
	json_t *ot;
	const char *t;

	if (!want_object(c, v))
		return;
	ot = json_object_get(v, "objectType");
	if (ot != NULL && !json_is_string(ot)) {
		problem_at(c, "objectType", "objectType must be a string", NULL);
		return;
	}
	t = ot ? json_string_value(ot) : "Activity";
	if (strcmp(t, "Activity") == 0)
		check_activity(c, v);
	else if (strcmp(t, "Agent") == 0 || strcmp(t, "Group") == 0)
		check_actor_fields(c, v, WANT_ANY, true, NULL);
	else if (strcmp(t, "StatementRef") == 0)
		check_statement_ref(c, v);
	else if (strcmp(t, "SubStatement") == 0) {
		if (in_sub)
			problem(c, "a SubStatement may not hold another SubStatement");
		else
			check_statement(c, v, true);
	} else
		problem_at(c, "objectType",
		           "'%s' is not an object type (Activity, Agent, Group, "
		           "StatementRef, SubStatement)",
		           t);
}

static void check_object_top(vctx *c, const json_t *v)
{
	check_object(c, v, false);
}

static void check_object_sub(vctx *c, const json_t *v)
{
	check_object(c, v, true);
}

static void check_not_in_sub(vctx *c, const json_t *v)
{
	(void)v;
	problem(c, "a SubStatement may not have '%s'",
	        c->depth <= MAX_DEPTH ? c->frames[c->depth - 1].key : "this property");
}

/* The context is checked after the walk: it needs to know the object. */
enum {
	ST_ACTOR,
	ST_VERB,
	ST_OBJECT,
	ST_RESULT,
	ST_CONTEXT,
	ST_TIMESTAMP,
	ST_ATTACH,
	ST_ID,
	ST_STORED,
	ST_AUTHORITY,
	ST_VERSION,
	ST_COUNT
};
static const field statement_fields[] = {{"actor", check_actor},
                                         {"verb", check_verb},
                                         {"object", check_object_top},
                                         {"result", check_result},
                                         {"context", NULL},
                                         {"timestamp", check_timestamp},
                                         {"attachments", check_attachments},
                                         {"id", check_uuid},
                                         {"stored", check_timestamp},
                                         {"authority", check_authority},
                                         {"version", check_version}};
static const field substatement_fields[] = {{"actor", check_actor},
                                            {"verb", check_verb},
                                            {"object", check_object_sub},
                                            {"result", check_result},
                                            {"context", NULL},
                                            {"timestamp", check_timestamp},
                                            {"attachments", check_attachments},
                                            {"id", check_not_in_sub},
                                            {"stored", check_not_in_sub},
                                            {"authority", check_not_in_sub},
                                            {"version", check_not_in_sub},
                                            {"objectType", NULL}};

static void check_statement(vctx *c, const json_t *v, bool sub)
{
	const char *what = sub ? "a SubStatement" : "a statement";
	const field *fields = sub ? substatement_fields : statement_fields;
	const json_t *seen[MAX_FIELDS], *obj, *verb;
	int i;

	if (!want_object(c, v))
		return;
	walk(c, v, fields, sub ? ST_COUNT + 1 : ST_COUNT, seen, what);
	for (i = ST_ACTOR; i <= ST_OBJECT; i++)
		require(c, seen, fields, (size_t)i, what);
	obj = seen[ST_OBJECT];
	if (seen[ST_CONTEXT] && !c->stop) {
		json_t *ot = json_object_get(obj, "objectType");
		push_key(c, "context");
		check_context(c, seen[ST_CONTEXT], ot == NULL || is_str(ot, "Activity"));
		pop(c);
	}
	/* Voiding: the voided verb takes a StatementRef as its object. */
	verb = seen[ST_VERB];
	if (json_is_object(verb) && json_is_object(obj) &&
	    is_str(json_object_get(verb, "id"), SOMO_XAPI_VERB_VOIDED) &&
	    !is_str(json_object_get(obj, "objectType"), "StatementRef"))
		problem_at(c, "object", "a voiding statement's object must be a StatementRef",
		           NULL);
}

int somo__xapi_validate_tree(const json_t *v, somo_xapi_version ver, const char *prefix,
                             somo_xapi_problems *p, size_t max_problems)
{
	vctx c;

	memset(&c, 0, offsetof(vctx, frames));
	c.ver = ver ? ver : SOMO_XAPI_2_0;
	c.out = p;
	c.max = max_problems ? max_problems : DEFAULT_MAX_PROBLEMS;
	c.prefix = prefix;
	check_statement(&c, v, false);
	if (c.err)
		return somo__error_oom();
	return (int)(c.found > 0x7fffffff ? 0x7fffffff : c.found);
}

static int validate_opts(const somo_xapi_validate_opts *opts, somo_xapi_version *ver, size_t *max)
{
	*ver = SOMO_XAPI_2_0;
	*max = DEFAULT_MAX_PROBLEMS;
	if (opts == NULL)
		return 0;
	if (opts->xapi != 0 && opts->xapi != SOMO_XAPI_1_0_3 && opts->xapi != SOMO_XAPI_2_0)
		return somo__error(SOMO_EINVAL, "unknown xAPI version %d", (int)opts->xapi);
	if (opts->xapi)
		*ver = opts->xapi;
	if (opts->max_problems)
		*max = opts->max_problems;
	return 0;
}

SOMO_API int somo_xapi_statement_validate(const somo_xapi_statement *st,
                                          const somo_xapi_validate_opts *opts,
                                          somo_xapi_problems **problems)
{
	somo_xapi_problems *p = NULL;
	somo_xapi_version ver;
	size_t max;
	int rc;

	if (problems)
		*problems = NULL;
	if (st == NULL)
		return somo__error(SOMO_EINVAL, "somo_xapi_statement_validate: statement is NULL");
	if ((rc = validate_opts(opts, &ver, &max)) < 0)
		return rc;
	if (problems && (p = somo__xapi_problems_new()) == NULL)
		return somo__error_oom();
	rc = somo__xapi_validate_tree(st->root, ver, "$", p, max);
	if (rc < 0) {
		somo_xapi_problems_free(p);
		return rc;
	}
	if (problems)
		*problems = p;
	if (rc > 0)
		return somo__error(SOMO_EINVALID, "the statement breaks the xAPI rules");
	return 0;
}

SOMO_API int somo_xapi_validate_json(const char *json, size_t len,
                                     const somo_xapi_validate_opts *opts,
                                     somo_xapi_problems **problems, somo_diag *diag)
{
	somo_xapi_parse_opts popts = SOMO_XAPI_PARSE_OPTS_INIT;
	somo_xapi_problems *p = NULL;
	somo_xapi_version ver;
	json_t *root = NULL;
	size_t max;
	int rc, found = 0;

	if (problems)
		*problems = NULL;
	if (json == NULL)
		return somo__error(SOMO_EINVAL, "somo_xapi_validate_json: json is NULL");
	if ((rc = validate_opts(opts, &ver, &max)) < 0)
		return rc;
	popts.max_bytes = opts && opts->max_bytes ? opts->max_bytes : (size_t)16 * 1024 * 1024;
	if ((rc = somo__xapi_parse_json(&root, json, len, &popts, diag)) < 0)
		return somo__error(rc, "%s", diag ? diag->text : "not JSON");
	if (problems && (p = somo__xapi_problems_new()) == NULL) {
		json_decref(root);
		return somo__error_oom();
	}
	if (json_is_array(root)) {
		json_t *item;
		size_t i;
		json_array_foreach(root, i, item)
		{
			char prefix[32];
			snprintf(prefix, sizeof(prefix), "$[%zu]", i);
			rc = somo__xapi_validate_tree(item, ver, prefix, p, max);
			if (rc < 0)
				break;
			found += rc;
			if (found && (p == NULL || somo_xapi_problems_count(p) >= max))
				break;
		}
	} else {
		rc = somo__xapi_validate_tree(root, ver, "$", p, max);
		if (rc > 0)
			found = rc;
	}
	json_decref(root);
	if (rc < 0) {
		somo_xapi_problems_free(p);
		return rc;
	}
	if (problems)
		*problems = p;
	if (found > 0)
		return somo__error(SOMO_EINVALID, "the statements break the xAPI rules");
	return 0;
}
