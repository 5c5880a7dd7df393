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

#define PATH_MAX_LEN 512
#define DEFAULT_MAX_PROBLEMS 256

typedef struct {
	somo_xapi_version ver;
	somo_xapi_problems *out; /* NULL: only the verdict is wanted */
	size_t max;
	size_t found;
	bool stop;
	int err;
	size_t plen;
	char path[PATH_MAX_LEN];
} vctx;

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

/* Append text to the path; a path too long for the buffer is cut with "...". */
static void path_append(vctx *c, const char *s, size_t n)
{
	if (c->plen + n + 4 >= PATH_MAX_LEN) {
		if (c->plen + 4 < PATH_MAX_LEN) {
			memcpy(c->path + c->plen, "...", 4);
			c->plen += 3;
		}
		return;
	}
	memcpy(c->path + c->plen, s, n);
	c->plen += n;
	c->path[c->plen] = '\0';
}

static size_t push_key(vctx *c, const char *key)
{
	size_t mark = c->plen;

	if (plain_key(key)) {
		path_append(c, ".", 1);
		path_append(c, key, strlen(key));
	} else {
		/* ["http://example.com/ext"], quotes and backslashes escaped */
		char tmp[PATH_MAX_LEN];
		size_t n = 0;
		tmp[n++] = '[';
		tmp[n++] = '"';
		for (; *key && n < sizeof(tmp) - 4; key++) {
			if (*key == '"' || *key == '\\')
				tmp[n++] = '\\';
			tmp[n++] = *key;
		}
		tmp[n++] = '"';
		tmp[n++] = ']';
		path_append(c, tmp, n);
	}
	return mark;
}

static size_t push_index(vctx *c, size_t i)
{
	size_t mark = c->plen;
	char tmp[32];
	int n = snprintf(tmp, sizeof(tmp), "[%zu]", i);

	path_append(c, tmp, (size_t)n);
	return mark;
}

static void pop(vctx *c, size_t mark)
{
	c->plen = mark;
	c->path[mark] = '\0';
}

static void problem(vctx *c, const char *fmt, ...) SOMO__PRINTF(2, 3);
static void problem(vctx *c, const char *fmt, ...)
{
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
	if (somo__xapi_problems_add(c->out, c->path, msg) < 0) {
		c->err = SOMO_ENOMEM;
		c->stop = true;
	}
	if (somo_xapi_problems_count(c->out) >= c->max)
		c->stop = true;
}

static void problem_at(vctx *c, const char *key, const char *fmt, const char *arg)
{
	size_t m = push_key(c, key);
	problem(c, fmt, arg);
	pop(c, m);
}

static const char *type_name(const json_t *v)
{
	switch (json_typeof(v)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "a boolean";
	default: return "null";
	}
}

/* ---- shapes ---- */

/* Report every key of obj not in the NULL-terminated list. */
static void only_keys(vctx *c, const json_t *obj, const char *const *allowed, const char *what)
{
	const char *key;
	json_t *item;

	json_object_foreach((json_t *)obj, key, item) {
		const char *const *a;
		(void)item;
		for (a = allowed; *a; a++)
			if (**a == *key && strcmp(*a, key) == 0)
				break;
		if (*a == NULL) {
			size_t m = push_key(c, key);
			problem(c, "unknown property of %s", what);
			pop(c, m);
		}
		if (c->stop)
			return;
	}
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

/* Apply check to obj[key] when present, with the path extended. */
#define OPTIONAL(c, obj, key, check)                          \
	do {                                                  \
		json_t *v_ = json_object_get((obj), (key));   \
		if (v_ != NULL && !(c)->stop) {               \
			size_t m_ = push_key((c), (key));     \
			check((c), v_);                       \
			pop((c), m_);                         \
		}                                             \
	} while (0)

#define REQUIRED(c, obj, key, what, check)                                     \
	do {                                                                   \
		json_t *v_ = json_object_get((obj), (key));                    \
		if (v_ == NULL)                                                \
			problem((c), "%s must have '%s'", (what), (key));      \
		else if (!(c)->stop) {                                         \
			size_t m_ = push_key((c), (key));                      \
			check((c), v_);                                        \
			pop((c), m_);                                          \
		}                                                              \
	} while (0)

static void check_string(vctx *c, const json_t *v)
{
	want_string(c, v);
}

static void check_langmap(vctx *c, const json_t *v)
{
	const char *key;
	json_t *item;

	if (!want_object(c, v))
		return;
	json_object_foreach((json_t *)v, key, item) {
		size_t m = push_key(c, key);
		if (!somo__langtag_valid(key))
			problem(c, "'%s' is not a language tag (RFC 5646)", key);
		else
			want_string(c, item);
		pop(c, m);
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
	json_object_foreach((json_t *)v, key, item) {
		(void)item;
		if (!somo__iri_valid(key)) {
			size_t m = push_key(c, key);
			problem(c, "extension key '%s' is not an absolute IRI", key);
			pop(c, m);
		}
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

static void check_account(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"homePage", "name", NULL};

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "an account");
	REQUIRED(c, v, "homePage", "an account", check_iri);
	REQUIRED(c, v, "name", "an account", check_string);
}

enum { WANT_AGENT = 1, WANT_GROUP = 2, WANT_ANY = 3 };

static void check_actor_as(vctx *c, const json_t *v, int want, bool need_type);

static void check_member_agent(vctx *c, const json_t *v)
{
	check_actor_as(c, v, WANT_AGENT, false);
}

static void check_actor_as(vctx *c, const json_t *v, int want, bool need_type)
{
	static const char *const agent_keys[] = {"objectType", "name", "mbox", "mbox_sha1sum",
						 "openid", "account", NULL};
	static const char *const group_keys[] = {"objectType", "name", "mbox", "mbox_sha1sum",
						 "openid", "account", "member", NULL};
	static const char *const ifis[] = {"mbox", "mbox_sha1sum", "openid", "account"};
	json_t *ot, *member;
	bool group = false;
	int nifi = 0;
	size_t i;

	if (!want_object(c, v))
		return;
	ot = json_object_get(v, "objectType");
	if (ot != NULL) {
		const char *t = json_string_value(ot);
		if (t && strcmp(t, "Group") == 0)
			group = true;
		else if (t == NULL || strcmp(t, "Agent") != 0) {
			problem_at(c, "objectType", "objectType of an agent or group must be 'Agent' or 'Group'%s", "");
			return;
		}
	} else if (need_type || want == WANT_GROUP) {
		problem(c, "must have objectType ('%s')", want == WANT_GROUP ? "Group" : "Agent' or 'Group");
	}
	if (group && !(want & WANT_GROUP)) {
		problem(c, "must be an Agent, not a Group");
		return;
	}
	if (!group && !(want & WANT_AGENT) && ot != NULL) {
		problem(c, "must be a Group, not an Agent");
		return;
	}
	only_keys(c, v, group ? group_keys : agent_keys, group ? "a group" : "an agent");
	OPTIONAL(c, v, "name", check_string);
	for (i = 0; i < SOMO__ARRAY_SIZE(ifis); i++)
		if (json_object_get(v, ifis[i]))
			nifi++;
	OPTIONAL(c, v, "mbox", check_mbox);
	OPTIONAL(c, v, "mbox_sha1sum", check_sha1);
	OPTIONAL(c, v, "openid", check_iri);
	OPTIONAL(c, v, "account", check_account);
	if (c->stop)
		return;
	member = json_object_get(v, "member");
	if (group) {
		if (member != NULL) {
			size_t m = push_key(c, "member");
			if (!json_is_array(member))
				problem(c, "must be an array of agents, not %s", type_name(member));
			else {
				json_t *item;
				json_array_foreach(member, i, item) {
					size_t mi = push_index(c, i);
					check_member_agent(c, item);
					pop(c, mi);
					if (c->stop)
						break;
				}
			}
			pop(c, m);
		}
		if (nifi > 1)
			problem(c, "a group must have at most one inverse functional identifier, not %d", nifi);
		else if (nifi == 0 && (member == NULL || (json_is_array(member) && json_array_size(member) == 0)))
			problem(c, "an anonymous group (no identifier) must list its members");
	} else if (nifi != 1) {
		problem(c, "an agent must have exactly one inverse functional identifier "
			   "(mbox, mbox_sha1sum, openid or account), not %d", nifi);
	}
}

static void check_actor(vctx *c, const json_t *v)
{
	check_actor_as(c, v, WANT_ANY, false);
}

static void check_team(vctx *c, const json_t *v)
{
	check_actor_as(c, v, WANT_GROUP, true);
}

static void check_authority(vctx *c, const json_t *v)
{
	json_t *ot, *member;

	check_actor_as(c, v, WANT_ANY, false);
	if (c->stop || !json_is_object(v))
		return;
	/* A group as authority is the OAuth pair: exactly two agents. */
	ot = json_object_get(v, "objectType");
	member = json_object_get(v, "member");
	if (!(json_is_string(ot) && strcmp(json_string_value(ot), "Group") == 0))
		return;
	if (!json_is_array(member) || json_array_size(member) != 2)
		problem(c, "a group as authority must have exactly two members");
	if (json_object_get(v, "mbox") || json_object_get(v, "mbox_sha1sum") ||
	    json_object_get(v, "openid") || json_object_get(v, "account"))
		problem(c, "a group as authority must be anonymous (no identifier)");
}

/* ---- verbs and activities ---- */

static void check_verb(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"id", "display", NULL};

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "a verb");
	REQUIRED(c, v, "id", "a verb", check_iri);
	OPTIONAL(c, v, "display", check_langmap);
}

static const char *const interaction_types[] = {
	"true-false", "choice", "fill-in", "long-fill-in", "matching", "performance",
	"sequencing", "likert", "numeric", "other", NULL};

static const char *const component_lists[] = {"choices", "scale", "source", "target", "steps"};

/* Which component lists each interaction type may have (bits of component_lists). */
static unsigned components_allowed(const char *type)
{
	if (strcmp(type, "choice") == 0 || strcmp(type, "sequencing") == 0)
		return 1u << 0;
	if (strcmp(type, "likert") == 0)
		return 1u << 1;
	if (strcmp(type, "matching") == 0)
		return (1u << 2) | (1u << 3);
	if (strcmp(type, "performance") == 0)
		return 1u << 4;
	return 0;
}

static void check_components(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"id", "description", NULL};
	json_t *item;
	size_t i, j;

	if (!json_is_array(v)) {
		problem(c, "must be an array of interaction components, not %s", type_name(v));
		return;
	}
	json_array_foreach(v, i, item) {
		size_t m = push_index(c, i);
		if (want_object(c, item)) {
			json_t *id = json_object_get(item, "id");
			only_keys(c, item, keys, "an interaction component");
			REQUIRED(c, item, "id", "an interaction component", check_string);
			OPTIONAL(c, item, "description", check_langmap);
			/* ids are distinct within one list */
			for (j = 0; json_is_string(id) && j < i; j++) {
				json_t *other = json_object_get(json_array_get(v, j), "id");
				if (json_is_string(other) &&
				    strcmp(json_string_value(other), json_string_value(id)) == 0) {
					problem_at(c, "id", "interaction component id '%s' is used twice in this list",
						   json_string_value(id));
					break;
				}
			}
		}
		pop(c, m);
		if (c->stop)
			return;
	}
}

static void check_string_array(vctx *c, const json_t *v)
{
	json_t *item;
	size_t i;

	if (!json_is_array(v)) {
		problem(c, "must be an array of strings, not %s", type_name(v));
		return;
	}
	json_array_foreach(v, i, item) {
		if (!json_is_string(item)) {
			size_t m = push_index(c, i);
			problem(c, "must be a string, not %s", type_name(item));
			pop(c, m);
		}
	}
}

static void check_definition(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"name", "description", "type", "moreInfo", "extensions",
					   "interactionType", "correctResponsesPattern", "choices",
					   "scale", "source", "target", "steps", NULL};
	json_t *it;
	unsigned allowed = 0;
	size_t i;

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "an activity definition");
	OPTIONAL(c, v, "name", check_langmap);
	OPTIONAL(c, v, "description", check_langmap);
	OPTIONAL(c, v, "type", check_iri);
	OPTIONAL(c, v, "moreInfo", check_iri);
	OPTIONAL(c, v, "extensions", check_extensions);
	it = json_object_get(v, "interactionType");
	if (it != NULL) {
		const char *const *t;
		size_t m = push_key(c, "interactionType");
		if (want_string(c, it)) {
			for (t = interaction_types; *t; t++)
				if (strcmp(*t, json_string_value(it)) == 0)
					break;
			if (*t == NULL)
				problem(c, "'%s' is not an interaction type", json_string_value(it));
			else
				allowed = components_allowed(*t);
		}
		pop(c, m);
	}
	if (json_object_get(v, "correctResponsesPattern") && it == NULL)
		problem_at(c, "correctResponsesPattern", "correctResponsesPattern needs an interactionType%s", "");
	OPTIONAL(c, v, "correctResponsesPattern", check_string_array);
	for (i = 0; i < SOMO__ARRAY_SIZE(component_lists) && !c->stop; i++) {
		json_t *list = json_object_get(v, component_lists[i]);
		if (list == NULL)
			continue;
		if (json_is_string(it) && !(allowed & (1u << i)))
			problem_at(c, component_lists[i], "interactionType '%s' has no such component list",
				   json_string_value(it));
		else if (it == NULL)
			problem_at(c, component_lists[i], "interaction components need an interactionType%s", "");
		OPTIONAL(c, v, component_lists[i], check_components);
	}
}

static void check_activity(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"objectType", "id", "definition", NULL};
	json_t *ot;

	if (!want_object(c, v))
		return;
	ot = json_object_get(v, "objectType");
	if (ot != NULL && !(json_is_string(ot) && strcmp(json_string_value(ot), "Activity") == 0))
		problem_at(c, "objectType", "objectType of an activity must be 'Activity'%s", "");
	only_keys(c, v, keys, "an activity");
	REQUIRED(c, v, "id", "an activity", check_iri);
	OPTIONAL(c, v, "definition", check_definition);
}

static void check_statement_ref(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"objectType", "id", NULL};
	json_t *ot;

	if (!want_object(c, v))
		return;
	ot = json_object_get(v, "objectType");
	if (!(json_is_string(ot) && strcmp(json_string_value(ot), "StatementRef") == 0))
		problem(c, "a statement reference must have objectType 'StatementRef'");
	only_keys(c, v, keys, "a statement reference");
	REQUIRED(c, v, "id", "a statement reference", check_uuid);
}

/* ---- result ---- */

static void check_number(vctx *c, const json_t *v)
{
	if (!json_is_number(v))
		problem(c, "must be a number, not %s", type_name(v));
}

static void check_score(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"scaled", "raw", "min", "max", NULL};
	json_t *scaled, *raw, *min, *max;

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "a score");
	OPTIONAL(c, v, "scaled", check_number);
	OPTIONAL(c, v, "raw", check_number);
	OPTIONAL(c, v, "min", check_number);
	OPTIONAL(c, v, "max", check_number);
	scaled = json_object_get(v, "scaled");
	raw = json_object_get(v, "raw");
	min = json_object_get(v, "min");
	max = json_object_get(v, "max");
	if (json_is_number(scaled) && (json_number_value(scaled) < -1.0 || json_number_value(scaled) > 1.0))
		problem_at(c, "scaled", "scaled score must be between -1 and 1%s", "");
	if (json_is_number(min) && json_is_number(max) && json_number_value(min) > json_number_value(max))
		problem_at(c, "min", "min must not be greater than max%s", "");
	if (json_is_number(raw) && json_is_number(min) && json_number_value(raw) < json_number_value(min))
		problem_at(c, "raw", "raw score must not be less than min%s", "");
	if (json_is_number(raw) && json_is_number(max) && json_number_value(raw) > json_number_value(max))
		problem_at(c, "raw", "raw score must not be greater than max%s", "");
}

static void check_duration(vctx *c, const json_t *v)
{
	if (want_string(c, v) && somo__duration_parse(json_string_value(v), SOMO__DUR_XAPI, NULL) != 0)
		problem(c, "'%s' is not an ISO 8601 duration", json_string_value(v));
}

static void check_result(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"score", "success", "completion", "response",
					   "duration", "extensions", NULL};

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "a result");
	OPTIONAL(c, v, "score", check_score);
	OPTIONAL(c, v, "success", check_bool);
	OPTIONAL(c, v, "completion", check_bool);
	OPTIONAL(c, v, "response", check_string);
	OPTIONAL(c, v, "duration", check_duration);
	OPTIONAL(c, v, "extensions", check_extensions);
}

/* ---- context ---- */

static void check_activity_list(vctx *c, const json_t *v)
{
	json_t *item;
	size_t i;

	/* An activity or an array of them (a single one is the 0.95 form, still valid). */
	if (json_is_object(v)) {
		check_activity(c, v);
		return;
	}
	if (!json_is_array(v)) {
		problem(c, "must be an activity or an array of activities, not %s", type_name(v));
		return;
	}
	json_array_foreach(v, i, item) {
		size_t m = push_index(c, i);
		check_activity(c, item);
		pop(c, m);
		if (c->stop)
			return;
	}
}

static void check_context_activities(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"parent", "grouping", "category", "other", NULL};

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "contextActivities");
	OPTIONAL(c, v, "parent", check_activity_list);
	OPTIONAL(c, v, "grouping", check_activity_list);
	OPTIONAL(c, v, "category", check_activity_list);
	OPTIONAL(c, v, "other", check_activity_list);
}

static void check_langtag(vctx *c, const json_t *v)
{
	if (want_string(c, v) && !somo__langtag_valid(json_string_value(v)))
		problem(c, "'%s' is not a language tag (RFC 5646)", json_string_value(v));
}

static void check_relevant_types(vctx *c, const json_t *v)
{
	json_t *item;
	size_t i;

	if (!json_is_array(v)) {
		problem(c, "must be an array of IRIs, not %s", type_name(v));
		return;
	}
	if (json_array_size(v) == 0)
		problem(c, "relevantTypes must not be empty");
	json_array_foreach(v, i, item) {
		size_t m = push_index(c, i);
		check_iri(c, item);
		pop(c, m);
	}
}

static void check_context_agent(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"objectType", "agent", "relevantTypes", NULL};
	json_t *ot;

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "a context agent");
	ot = json_object_get(v, "objectType");
	if (!(json_is_string(ot) && strcmp(json_string_value(ot), "contextAgent") == 0))
		problem(c, "a context agent must have objectType 'contextAgent'");
	REQUIRED(c, v, "agent", "a context agent", check_member_agent);
	OPTIONAL(c, v, "relevantTypes", check_relevant_types);
}

static void check_context_group(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"objectType", "group", "relevantTypes", NULL};
	json_t *ot;

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "a context group");
	ot = json_object_get(v, "objectType");
	if (!(json_is_string(ot) && strcmp(json_string_value(ot), "contextGroup") == 0))
		problem(c, "a context group must have objectType 'contextGroup'");
	REQUIRED(c, v, "group", "a context group", check_team);
	OPTIONAL(c, v, "relevantTypes", check_relevant_types);
}

static void check_array_of(vctx *c, const json_t *v, void (*check)(vctx *, const json_t *))
{
	json_t *item;
	size_t i;

	if (!json_is_array(v)) {
		problem(c, "must be an array, not %s", type_name(v));
		return;
	}
	json_array_foreach(v, i, item) {
		size_t m = push_index(c, i);
		check(c, item);
		pop(c, m);
		if (c->stop)
			return;
	}
}

static void check_context_agents(vctx *c, const json_t *v)
{
	check_array_of(c, v, check_context_agent);
}

static void check_context_groups(vctx *c, const json_t *v)
{
	check_array_of(c, v, check_context_group);
}

static void check_context(vctx *c, const json_t *v, bool object_is_activity)
{
	static const char *const keys_103[] = {"registration", "instructor", "team",
					       "contextActivities", "revision", "platform",
					       "language", "statement", "extensions", NULL};
	static const char *const keys_20[] = {"registration", "instructor", "team",
					      "contextActivities", "revision", "platform",
					      "language", "statement", "extensions",
					      "contextAgents", "contextGroups", NULL};

	if (!want_object(c, v))
		return;
	only_keys(c, v, c->ver == SOMO_XAPI_1_0_3 ? keys_103 : keys_20, "a context");
	OPTIONAL(c, v, "registration", check_uuid);
	OPTIONAL(c, v, "instructor", check_actor);
	OPTIONAL(c, v, "team", check_team);
	OPTIONAL(c, v, "contextActivities", check_context_activities);
	OPTIONAL(c, v, "revision", check_string);
	OPTIONAL(c, v, "platform", check_string);
	OPTIONAL(c, v, "language", check_langtag);
	OPTIONAL(c, v, "statement", check_statement_ref);
	OPTIONAL(c, v, "extensions", check_extensions);
	if (c->ver != SOMO_XAPI_1_0_3) {
		OPTIONAL(c, v, "contextAgents", check_context_agents);
		OPTIONAL(c, v, "contextGroups", check_context_groups);
	}
	/* Data 2.4.6: revision and platform only describe an activity. */
	if (!object_is_activity) {
		if (json_object_get(v, "revision"))
			problem_at(c, "revision", "revision may only be given when the object is an activity%s", "");
		if (json_object_get(v, "platform"))
			problem_at(c, "platform", "platform may only be given when the object is an activity%s", "");
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

static void check_attachment(vctx *c, const json_t *v)
{
	static const char *const keys[] = {"usageType", "display", "description", "contentType",
					   "length", "sha2", "fileUrl", NULL};

	if (!want_object(c, v))
		return;
	only_keys(c, v, keys, "an attachment");
	REQUIRED(c, v, "usageType", "an attachment", check_iri);
	REQUIRED(c, v, "display", "an attachment", check_langmap);
	OPTIONAL(c, v, "description", check_langmap);
	REQUIRED(c, v, "contentType", "an attachment", check_content_type);
	REQUIRED(c, v, "length", "an attachment", check_length);
	REQUIRED(c, v, "sha2", "an attachment", check_sha2);
	OPTIONAL(c, v, "fileUrl", check_iri);
}

static void check_attachments(vctx *c, const json_t *v)
{
	check_array_of(c, v, check_attachment);
}

/* ---- statements ---- */

static void check_statement(vctx *c, const json_t *v, bool sub);

static void check_object(vctx *c, const json_t *v, bool in_sub)
{
	json_t *ot;
	const char *t;

	if (!want_object(c, v))
		return;
	ot = json_object_get(v, "objectType");
	if (ot != NULL && !json_is_string(ot)) {
		problem_at(c, "objectType", "objectType must be a string%s", "");
		return;
	}
	t = ot ? json_string_value(ot) : "Activity";
	if (strcmp(t, "Activity") == 0)
		check_activity(c, v);
	else if (strcmp(t, "Agent") == 0 || strcmp(t, "Group") == 0)
		check_actor_as(c, v, WANT_ANY, true);
	else if (strcmp(t, "StatementRef") == 0)
		check_statement_ref(c, v);
	else if (strcmp(t, "SubStatement") == 0) {
		if (in_sub)
			problem(c, "a SubStatement may not hold another SubStatement");
		else
			check_statement(c, v, true);
	} else
		problem_at(c, "objectType", "'%s' is not an object type (Activity, Agent, Group, "
					    "StatementRef, SubStatement)", t);
}

static void check_object_top(vctx *c, const json_t *v)
{
	check_object(c, v, false);
}

static void check_object_sub(vctx *c, const json_t *v)
{
	check_object(c, v, true);
}

static void check_statement(vctx *c, const json_t *v, bool sub)
{
	static const char *const keys[] = {"id", "actor", "verb", "object", "result", "context",
					   "timestamp", "stored", "authority", "version",
					   "attachments", NULL};
	static const char *const sub_keys[] = {"objectType", "actor", "verb", "object", "result",
					       "context", "timestamp", "attachments", "id",
					       "stored", "version", "authority", NULL};
	static const char *const sub_forbidden[] = {"id", "stored", "version", "authority"};
	const char *what = sub ? "a SubStatement" : "a statement";
	json_t *obj, *verb, *ctx;
	size_t i;

	if (!want_object(c, v))
		return;
	only_keys(c, v, sub ? sub_keys : keys, what);
	if (sub) {
		for (i = 0; i < SOMO__ARRAY_SIZE(sub_forbidden); i++)
			if (json_object_get(v, sub_forbidden[i]))
				problem_at(c, sub_forbidden[i], "a SubStatement may not have '%s'",
					   sub_forbidden[i]);
	} else {
		OPTIONAL(c, v, "id", check_uuid);
		OPTIONAL(c, v, "stored", check_timestamp);
		OPTIONAL(c, v, "authority", check_authority);
		OPTIONAL(c, v, "version", check_version);
	}
	REQUIRED(c, v, "actor", what, check_actor);
	REQUIRED(c, v, "verb", what, check_verb);
	if (sub)
		REQUIRED(c, v, "object", what, check_object_sub);
	else
		REQUIRED(c, v, "object", what, check_object_top);
	OPTIONAL(c, v, "result", check_result);
	ctx = json_object_get(v, "context");
	obj = json_object_get(v, "object");
	if (ctx != NULL && !c->stop) {
		json_t *ot = json_object_get(obj, "objectType");
		size_t m = push_key(c, "context");
		check_context(c, ctx, ot == NULL || (json_is_string(ot) &&
						     strcmp(json_string_value(ot), "Activity") == 0));
		pop(c, m);
	}
	OPTIONAL(c, v, "timestamp", check_timestamp);
	OPTIONAL(c, v, "attachments", check_attachments);
	/* Voiding: the voided verb takes a StatementRef as its object. */
	verb = json_object_get(v, "verb");
	if (json_is_object(verb) && json_is_object(obj) &&
	    json_is_string(json_object_get(verb, "id")) &&
	    strcmp(json_string_value(json_object_get(verb, "id")), SOMO_XAPI_VERB_VOIDED) == 0) {
		json_t *ot = json_object_get(obj, "objectType");
		if (!(json_is_string(ot) && strcmp(json_string_value(ot), "StatementRef") == 0))
			problem_at(c, "object", "a voiding statement's object must be a StatementRef%s", "");
	}
}

int somo__xapi_validate_tree(const json_t *v, somo_xapi_version ver, const char *prefix,
			     somo_xapi_problems *p, size_t max_problems)
{
	vctx c;

	memset(&c, 0, offsetof(vctx, path));
	c.ver = ver ? ver : SOMO_XAPI_2_0;
	c.out = p;
	c.max = max_problems ? max_problems : DEFAULT_MAX_PROBLEMS;
	c.path[0] = '\0';
	path_append(&c, prefix, strlen(prefix));
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
		json_array_foreach(root, i, item) {
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
