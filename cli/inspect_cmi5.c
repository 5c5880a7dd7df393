/*
 * somo inspect and somo validate for cmi5 courses: a course package whose
 * root holds cmi5.xml, or a cmi5.xml given alone.
 */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "somo/cmi5.h"
#include "somo/package.h"

/*
 * Load the course; a failure is printed as a file:line message (on stdout for
 * validate, like its other messages; on stderr for inspect). Returns 0, or the
 * exit status: 1 when cmi5.xml is there but malformed or refused, 2 when it
 * cannot be read at all.
 */
static int load(somo_cmi5_course **c, somo_package *pkg, const char *path, const char **file,
                FILE *to)
{
	somo_diag d;
	int rc = pkg ? somo_cmi5_load(c, pkg, &d) : somo_cmi5_parse_file(c, path, &d);

	*file = pkg ? "cmi5.xml" : path;
	if (rc >= 0)
		return 0;
	fprintf(to, "%s:%d: error: %s\n", *file, d.line,
	        d.text[0] ? d.text : somo_error_last()->message);
	return rc == SOMO_EPARSE || rc == SOMO_EUNSAFE || rc == SOMO_ELIMIT ? 1 : 2;
}

static json_t *text_map(const somo_cmi5_text *t)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < t->count; i++)
		json_object_set_new(o, t->items[i].lang[0] ? t->items[i].lang : "und",
		                    json_string(t->items[i].text));
	return o;
}

static json_t *refs_json(const somo_cmi5_node *n)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < n->objective_count; i++)
		json_array_append_new(a, json_string(n->objectives[i]));
	return a;
}

static json_t *node_json(const somo_cmi5_node *n)
{
	json_t *o = json_object();
	size_t i;

	json_object_set_new(o, "type", json_string(n->kind == SOMO_CMI5_NODE_AU ? "au" : "block"));
	json_object_set_new(o, "id", json_string(n->id));
	json_object_set_new(o, "title", json_string(somo_cmi5_text_get(&n->title, NULL)));
	json_object_set_new(o, "titles", text_map(&n->title));
	json_object_set_new(o, "description",
	                    json_string(somo_cmi5_text_get(&n->description, NULL)));
	if (n->objective_count)
		json_object_set_new(o, "objectives", refs_json(n));
	if (n->kind == SOMO_CMI5_NODE_AU) {
		json_object_set_new(o, "url", json_string(n->url));
		json_object_set_new(o, "launchMethod",
		                    json_string(somo_cmi5_launch_method_name(n->launch_method)));
		json_object_set_new(o, "moveOn", json_string(somo_cmi5_move_on_name(n->move_on)));
		if (n->has_mastery_score)
			json_object_set_new(o, "masteryScore", json_real(n->mastery_score));
		if (n->activity_type)
			json_object_set_new(o, "activityType", json_string(n->activity_type));
		if (n->launch_parameters)
			json_object_set_new(o, "launchParameters",
			                    json_string(n->launch_parameters));
		if (n->entitlement_key)
			json_object_set_new(o, "entitlementKey", json_string(n->entitlement_key));
	} else {
		json_t *ch = json_array();
		for (i = 0; i < n->child_count; i++)
			json_array_append_new(ch, node_json(n->children[i]));
		json_object_set_new(o, "children", ch);
	}
	return o;
}

static const char *severity(somo_cmi5_severity s)
{
	return s == SOMO_CMI5_ERROR ? "error" : "warning";
}

static int inspect_json(const somo_cmi5_course *c, const somo_cmi5_report *r, const char *file)
{
	const somo_cmi5_node *root = somo_cmi5_root(c);
	json_t *o = json_object(), *structure = json_array(), *aus = json_array(),
	       *objectives = json_array(), *msgs = json_array();
	size_t i;
	int rc;

	json_object_set_new(o, "standard", json_string("cmi5"));
	json_object_set_new(o, "file", json_string(file));
	json_object_set_new(o, "id", json_string(root->id));
	json_object_set_new(o, "title", json_string(somo_cmi5_text_get(&root->title, NULL)));
	json_object_set_new(o, "titles", text_map(&root->title));
	json_object_set_new(o, "description",
	                    json_string(somo_cmi5_text_get(&root->description, NULL)));
	for (i = 0; i < somo_cmi5_objective_count(c); i++) {
		const somo_cmi5_objective *ob = somo_cmi5_objective_at(c, i);
		json_array_append_new(objectives, json_pack("{s:s, s:s}", "id", ob->id, "title",
		                                            somo_cmi5_text_get(&ob->title, NULL)));
	}
	json_object_set_new(o, "objectives", objectives);
	for (i = 0; i < root->child_count; i++)
		json_array_append_new(structure, node_json(root->children[i]));
	json_object_set_new(o, "structure", structure);
	for (i = 0; i < somo_cmi5_au_count(c); i++) {
		const somo_cmi5_node *au = somo_cmi5_au_at(c, i);
		json_array_append_new(aus, json_pack("{s:s, s:s, s:s}", "id", au->id, "title",
		                                     somo_cmi5_text_get(&au->title, NULL), "url",
		                                     au->url));
	}
	json_object_set_new(o, "aus", aus);
	json_object_set_new(o, "valid", json_boolean(somo_cmi5_report_errors(r) == 0));
	for (i = 0; i < somo_cmi5_report_count(r); i++) {
		const somo_cmi5_message *m = somo_cmi5_report_at(r, i);
		json_array_append_new(msgs, json_pack("{s:s, s:i, s:s}", "severity",
		                                      severity(m->severity), "line", m->line,
		                                      "text", m->text));
	}
	json_object_set_new(o, "messages", msgs);
	rc = json_dumpf(o, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10) | JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(o);
	return rc == 0 ? 0 : 2;
}

static void print_node(const somo_cmi5_node *n, int depth)
{
	size_t i;

	if (n->kind == SOMO_CMI5_NODE_BLOCK) {
		printf("%*sblock \"%s\" (%s)\n", depth * 2, "", somo_cmi5_text_get(&n->title, NULL),
		       n->id);
	} else {
		printf("%*sau \"%s\" (%s)\n", depth * 2, "", somo_cmi5_text_get(&n->title, NULL),
		       n->id);
		printf("%*s  url: %s\n", depth * 2, "", n->url);
		printf("%*s  moveOn: %s, launchMethod: %s", depth * 2, "",
		       somo_cmi5_move_on_name(n->move_on),
		       somo_cmi5_launch_method_name(n->launch_method));
		if (n->has_mastery_score)
			printf(", masteryScore: %g", n->mastery_score);
		printf("\n");
		if (n->activity_type)
			printf("%*s  activityType: %s\n", depth * 2, "", n->activity_type);
		if (n->launch_parameters)
			printf("%*s  launchParameters: %s\n", depth * 2, "", n->launch_parameters);
		if (n->entitlement_key)
			printf("%*s  entitlementKey: %s\n", depth * 2, "", n->entitlement_key);
	}
	for (i = 0; i < n->objective_count; i++)
		printf("%*s  objective: %s\n", depth * 2, "", n->objectives[i]);
	for (i = 0; i < n->child_count; i++)
		print_node(n->children[i], depth + 1);
}

static void print_messages(const somo_cmi5_report *r, const char *file)
{
	size_t i;

	for (i = 0; i < somo_cmi5_report_count(r); i++) {
		const somo_cmi5_message *m = somo_cmi5_report_at(r, i);
		printf("%s:%d: %s: %s\n", file, m->line, severity(m->severity), m->text);
	}
}

static int inspect(somo_package *pkg, const char *path, int json)
{
	somo_cmi5_course *c = NULL;
	somo_cmi5_report *r = NULL;
	const somo_cmi5_node *root;
	const char *file;
	size_t i;
	int rc;

	if ((rc = load(&c, pkg, path, &file, stderr)) != 0)
		return rc;
	if (somo_cmi5_validate(&r, c, pkg) == SOMO_ENOMEM) {
		somo_cmi5_free(c);
		fprintf(stderr, "%s: out of memory\n", file);
		return 2;
	}
	if (json) {
		rc = inspect_json(c, r, file);
	} else {
		root = somo_cmi5_root(c);
		printf("standard: cmi5\n");
		printf("course: \"%s\" (%s)\n", somo_cmi5_text_get(&root->title, NULL), root->id);
		printf("AUs: %zu\n", somo_cmi5_au_count(c));
		if (somo_cmi5_objective_count(c)) {
			printf("objectives:\n");
			for (i = 0; i < somo_cmi5_objective_count(c); i++) {
				const somo_cmi5_objective *ob = somo_cmi5_objective_at(c, i);
				printf("  \"%s\" (%s)\n", somo_cmi5_text_get(&ob->title, NULL),
				       ob->id);
			}
		}
		printf("structure:\n");
		for (i = 0; i < root->child_count; i++)
			print_node(root->children[i], 1);
		if (somo_cmi5_report_count(r)) {
			printf("messages:\n");
			print_messages(r, file);
		}
		rc = 0;
	}
	somo_cmi5_report_free(r);
	somo_cmi5_free(c);
	return rc;
}

static int validate(somo_package *pkg, const char *path, int strict)
{
	somo_cmi5_course *c = NULL;
	somo_cmi5_report *r = NULL;
	const char *file;
	size_t errors, warnings;
	int rc;

	if ((rc = load(&c, pkg, path, &file, stdout)) != 0) {
		fprintf(stderr, "%s: invalid\n", file);
		return rc;
	}
	if ((rc = somo_cmi5_validate(&r, c, pkg)) < 0 && rc != SOMO_EINVALID) {
		fprintf(stderr, "%s: %s\n", file, somo_error_last()->message);
		somo_cmi5_free(c);
		return 2;
	}
	print_messages(r, file);
	errors = somo_cmi5_report_errors(r);
	warnings = somo_cmi5_report_count(r) - errors;
	if (errors || (strict && warnings))
		rc = 1;
	else
		rc = 0;
	fprintf(stderr, "%s: %s cmi5 course structure (%zu AU%s, %zu error%s, %zu warning%s)\n",
	        file, rc ? "invalid" : "valid", somo_cmi5_au_count(c),
	        somo_cmi5_au_count(c) == 1 ? "" : "s", errors, errors == 1 ? "" : "s", warnings,
	        warnings == 1 ? "" : "s");
	somo_cmi5_report_free(r);
	somo_cmi5_free(c);
	return rc;
}

int somo_cli_inspect_cmi5(struct somo_package *pkg, int json)
{
	return inspect(pkg, NULL, json);
}

int somo_cli_validate_cmi5(struct somo_package *pkg, int strict)
{
	return validate(pkg, NULL, strict);
}

int somo_cli_inspect_cmi5_file(const char *path, int json)
{
	return inspect(NULL, path, json);
}

int somo_cli_validate_cmi5_file(const char *path, int strict)
{
	return validate(NULL, path, strict);
}
