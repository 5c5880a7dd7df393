/* somo inspect and somo validate for Tin Can packages (tincan.xml at the package root). */
#include <stdio.h>
#include <string.h>

#include <jansson.h>

#include "commands.h"
#include "somo/package.h"
#include "somo/tincan.h"

/* Load tincan.xml; as for cmi5, 1 when it is malformed or refused, 2 when unreadable. */
static int load(somo_tincan **tc, somo_package *pkg, FILE *to)
{
	somo_diag d;
	int rc = somo_tincan_load(tc, pkg, &d);

	if (rc >= 0)
		return 0;
	fprintf(to, "tincan.xml:%d: error: %s\n", d.line,
	        d.text[0] ? d.text : somo_error_last()->message);
	return rc == SOMO_EPARSE || rc == SOMO_EUNSAFE || rc == SOMO_ELIMIT ? 1 : 2;
}

static json_t *text_map(const somo_tincan_text *t)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < t->count; i++)
		json_object_set_new(o, t->items[i].lang[0] ? t->items[i].lang : "und",
		                    json_string(t->items[i].text));
	return o;
}

static void print_messages(const somo_tincan_report *r)
{
	size_t i;

	for (i = 0; i < somo_tincan_report_count(r); i++) {
		const somo_tincan_message *m = somo_tincan_report_at(r, i);
		printf("tincan.xml:%d: %s: %s\n", m->line,
		       m->severity == SOMO_TINCAN_ERROR ? "error" : "warning", m->text);
	}
}

static int inspect_json(const somo_tincan *tc, const somo_tincan_report *r)
{
	const somo_tincan_activity *launch = somo_tincan_launch_activity(tc);
	json_t *o = json_object(), *acts = json_array(), *msgs = json_array();
	size_t i;
	int rc;

	json_object_set_new(o, "standard", json_string("tincan"));
	json_object_set_new(o, "file", json_string(somo_tincan_file(tc)));
	json_object_set_new(o, "title",
	                    json_string(launch ? somo_tincan_text_get(&launch->name, NULL) : ""));
	if (launch)
		json_object_set_new(
		    o, "launch", json_pack("{s:s, s:s}", "id", launch->id, "url", launch->launch));
	else
		json_object_set_new(o, "launch", json_null());
	for (i = 0; i < somo_tincan_activity_count(tc); i++) {
		const somo_tincan_activity *a = somo_tincan_activity_at(tc, i);
		json_t *ja = json_object();
		json_object_set_new(ja, "id", json_string(a->id));
		json_object_set_new(ja, "type", a->type ? json_string(a->type) : json_null());
		json_object_set_new(ja, "name", json_string(somo_tincan_text_get(&a->name, NULL)));
		json_object_set_new(ja, "names", text_map(&a->name));
		json_object_set_new(ja, "description",
		                    json_string(somo_tincan_text_get(&a->description, NULL)));
		json_object_set_new(ja, "launch", a->launch ? json_string(a->launch) : json_null());
		json_array_append_new(acts, ja);
	}
	json_object_set_new(o, "activities", acts);
	json_object_set_new(o, "valid", json_boolean(somo_tincan_report_errors(r) == 0));
	for (i = 0; i < somo_tincan_report_count(r); i++) {
		const somo_tincan_message *m = somo_tincan_report_at(r, i);
		json_array_append_new(
		    msgs, json_pack("{s:s, s:i, s:s}", "severity",
		                    m->severity == SOMO_TINCAN_ERROR ? "error" : "warning", "line",
		                    m->line, "text", m->text));
	}
	json_object_set_new(o, "messages", msgs);
	rc = json_dumpf(o, stdout, JSON_INDENT(2));
	fputc('\n', stdout);
	json_decref(o);
	return rc == 0 ? 0 : 2;
}

int somo_cli_inspect_tincan(struct somo_package *pkg, int json)
{
	somo_tincan *tc = NULL;
	somo_tincan_report *r = NULL;
	const somo_tincan_activity *launch;
	size_t i;
	int rc = 0;

	if ((rc = load(&tc, pkg, stderr)) != 0)
		return rc;
	if (somo_tincan_validate(&r, tc, pkg) == SOMO_ENOMEM) {
		somo_tincan_free(tc);
		fprintf(stderr, "tincan.xml: out of memory\n");
		return 2;
	}
	if (json) {
		rc = inspect_json(tc, r);
	} else {
		launch = somo_tincan_launch_activity(tc);
		printf("standard: tincan\n");
		if (launch)
			printf("launch: %s (\"%s\", %s)\n", launch->launch,
			       somo_tincan_text_get(&launch->name, NULL), launch->id);
		else
			printf("launch: none\n");
		printf("activities:\n");
		for (i = 0; i < somo_tincan_activity_count(tc); i++) {
			const somo_tincan_activity *a = somo_tincan_activity_at(tc, i);
			printf("  \"%s\" (%s)\n", somo_tincan_text_get(&a->name, NULL), a->id);
			if (a->type)
				printf("    type: %s\n", a->type);
			if (a->launch)
				printf("    launch: %s\n", a->launch);
		}
		if (somo_tincan_report_count(r)) {
			printf("messages:\n");
			print_messages(r);
		}
	}
	somo_tincan_report_free(r);
	somo_tincan_free(tc);
	return rc;
}

int somo_cli_validate_tincan(struct somo_package *pkg, int strict)
{
	somo_tincan *tc = NULL;
	somo_tincan_report *r = NULL;
	size_t errors, warnings;
	int rc;

	if ((rc = load(&tc, pkg, stdout)) != 0) {
		fprintf(stderr, "tincan.xml: invalid\n");
		return rc;
	}
	if ((rc = somo_tincan_validate(&r, tc, pkg)) < 0 && rc != SOMO_EINVALID) {
		fprintf(stderr, "tincan.xml: %s\n", somo_error_last()->message);
		somo_tincan_free(tc);
		return 2;
	}
	print_messages(r);
	errors = somo_tincan_report_errors(r);
	warnings = somo_tincan_report_count(r) - errors;
	rc = errors || (strict && warnings) ? 1 : 0;
	fprintf(stderr,
	        "tincan.xml: %s Tin Can package (%zu activit%s, %zu error%s, %zu warning%s)\n",
	        rc ? "invalid" : "valid", somo_tincan_activity_count(tc),
	        somo_tincan_activity_count(tc) == 1 ? "y" : "ies", errors, errors == 1 ? "" : "s",
	        warnings, warnings == 1 ? "" : "s");
	somo_tincan_report_free(r);
	somo_tincan_free(tc);
	return rc;
}
