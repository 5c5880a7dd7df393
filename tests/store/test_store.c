/*
 * Every store operation, run the same way against each backend (memory and
 * SQLite in a fresh temporary file): records, orders, limits, the outbox's
 * rules, documents with preconditions, transactions.
 */
#define _POSIX_C_SOURCE 200809L
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "somo/sys/store.h"

static const char *const REG1 = "0f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a21";
static const char *const REG2 = "1f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a22";
static const char *const REG3 = "2f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a23";
static const char *const ST1 = "a0000000-0000-4000-8000-000000000001";
static const char *const ST2 = "a0000000-0000-4000-8000-000000000002";
static const char *const ST3 = "a0000000-0000-4000-8000-000000000003";
static const char *const ST4 = "a0000000-0000-4000-8000-000000000004";

typedef struct {
	somo_store *st;
	char dir[64];
	char path[128];
	int sqlite;
} fixture;

static int open_store(fixture *f, const somo_store_opts *o)
{
	if (f->sqlite)
		return somo_store_open_sqlite(&f->st, f->path, o);
	return somo_store_open_memory(&f->st, o);
}

static int setup(void **state, int sqlite)
{
	fixture *f = calloc(1, sizeof(*f));
	somo_store_opts o = SOMO_STORE_OPTS_INIT;

	assert_non_null(f);
	f->sqlite = sqlite;
	o.outbox_max = 3;
	if (sqlite) {
		snprintf(f->dir, sizeof(f->dir), "/tmp/somo-store-XXXXXX");
		assert_non_null(mkdtemp(f->dir));
		snprintf(f->path, sizeof(f->path), "%s/store.db", f->dir);
	}
	if (open_store(f, &o) != 0) {
		fprintf(stderr, "open: %s\n", somo_error_last()->message);
		return -1;
	}
	*state = f;
	return 0;
}

static int setup_memory(void **state)
{
	return setup(state, 0);
}

static int setup_sqlite(void **state)
{
	return setup(state, 1);
}

static int teardown(void **state)
{
	fixture *f = *state;
	char cmd[160];

	somo_store_close(f->st);
	if (f->sqlite) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		if (system(cmd) != 0)
			return -1;
	}
	free(f);
	return 0;
}

/* Collect a listing as one string: "a|b|c". */
typedef struct {
	char text[4096];
	int n;
	int stop_at; /* return 7 from the stop_at-th record (1-based), 0: never */
} collect;

static int add(collect *c, const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(c->text);

	if (len)
		snprintf(c->text + len, sizeof(c->text) - len, "|");
	len = strlen(c->text);
	va_start(ap, fmt);
	vsnprintf(c->text + len, sizeof(c->text) - len, fmt, ap);
	va_end(ap);
	c->n++;
	return c->stop_at && c->n == c->stop_at ? 7 : 0;
}

static int on_learner(const somo_store_learner *r, void *p)
{
	return add(p, "%s=%s", r->id, r->name);
}

static int on_package(const somo_store_package *r, void *p)
{
	return add(p, "%s:%s:%s:%s:%s", r->id, r->path, r->digest, r->title, r->standard);
}

static int on_registration(const somo_store_registration *r, void *p)
{
	return add(p, "%.2s:%s:%s", r->id, r->learner_id, r->package_id);
}

static int on_attempt(const somo_store_attempt *r, void *p)
{
	return add(p, "%u:%d", r->number, (int)r->state);
}

static int on_runtime(const somo_store_runtime *r, void *p)
{
	return add(p, "%s=%s#%llu", r->activity_id, r->state, (unsigned long long)r->commits);
}

static int on_shared(const somo_store_shared_data *r, void *p)
{
	return add(p, "%s/%s=%s", r->package_id, r->target_id, r->data);
}

static int on_objective(const somo_store_objective *r, void *p)
{
	return add(p, "%s/%s", r->scope, r->objective_id);
}

static int on_outbox(const somo_store_outbox_entry *r, void *p)
{
	return add(p, "%.1s%c%d", r->id + 35, "?PDK"[r->state], (int)r -> attempts);
}

static int on_document(const somo_store_document *r, void *p)
{
	return add(p, "%s=%.*s", r->key, (int)r->body_size, (const char *)r->body);
}

static void people(somo_store *st)
{
	somo_store_learner l1 = {"k-001", "Ada"}, l2 = {"k-002", "Grace"};
	somo_store_package p = {"golf", "/pk/golf.zip", "sha256:ab", "Golf Explained",
	                        "scorm2004-4"};

	assert_int_equal(somo_store_learner_put(st, &l1), 0);
	assert_int_equal(somo_store_learner_put(st, &l2), 0);
	assert_int_equal(somo_store_package_put(st, &p), 0);
}

static void registered(somo_store *st)
{
	somo_store_registration r = {REG1, "k-001", "golf", 0};
	somo_store_attempt a = {REG1, 1, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};

	people(st);
	assert_int_equal(somo_store_registration_put(st, &r), 0);
	assert_int_equal(somo_store_attempt_put(st, &a), 0);
}

/* ------------------------------------------------------------------------ */

static void test_learners(void **state)
{
	fixture *f = *state;
	somo_store_learner *got = NULL, nul = {"k-003", NULL};
	collect c = {0};
	char longid[SOMO_STORE_MAX_ID + 2];

	people(f->st);
	assert_int_equal(somo_store_learner_put(f->st, &nul), 0);
	assert_int_equal(somo_store_learner_get(f->st, "k-001", &got), 0);
	assert_string_equal(got->id, "k-001");
	assert_string_equal(got->name, "Ada");
	somo_free(got);
	somo_store_learner l1b = {"k-001", "Ada Lovelace"};
	assert_int_equal(somo_store_learner_put(f->st, &l1b), 0);
	assert_int_equal(somo_store_learner_list(f->st, on_learner, &c), 0);
	assert_string_equal(c.text, "k-001=Ada Lovelace|k-002=Grace|k-003=");

	assert_int_equal(somo_store_learner_get(f->st, "nobody", &got), SOMO_ENOTFOUND);
	assert_null(got);
	somo_store_learner bad = {"", "x"};
	assert_int_equal(somo_store_learner_put(f->st, &bad), SOMO_EINVAL);
	bad.id = "tab\there";
	assert_int_equal(somo_store_learner_put(f->st, &bad), SOMO_EINVAL);
	bad.id = "\xff\xfe";
	assert_int_equal(somo_store_learner_put(f->st, &bad), SOMO_EINVAL);
	memset(longid, 'x', sizeof(longid) - 1);
	longid[sizeof(longid) - 1] = '\0';
	bad.id = longid;
	assert_int_equal(somo_store_learner_put(f->st, &bad), SOMO_ELIMIT);
	bad.id = NULL;
	assert_int_equal(somo_store_learner_put(f->st, &bad), SOMO_EINVAL);
	assert_int_equal(somo_store_learner_put(f->st, NULL), SOMO_EINVAL);
	assert_int_equal(somo_store_learner_put(NULL, &l1b), SOMO_EINVAL);

	/* A callback's non-zero return stops the listing and is returned. */
	collect stop = {.stop_at = 2};
	assert_int_equal(somo_store_learner_list(f->st, on_learner, &stop), 7);
	assert_int_equal(stop.n, 2);
}

static void test_packages(void **state)
{
	fixture *f = *state;
	somo_store_package *got = NULL, p2 = {"alpha", NULL, NULL, NULL, NULL};
	collect c = {0};

	registered(f->st);
	assert_int_equal(somo_store_package_put(f->st, &p2), 0);
	/* Replacing a package that registrations refer to keeps them. */
	somo_store_package p = {"golf", "/pk/golf2.zip", "sha256:cd", "Golf", "scorm12"};
	assert_int_equal(somo_store_package_put(f->st, &p), 0);
	assert_int_equal(somo_store_package_list(f->st, on_package, &c), 0);
	assert_string_equal(c.text, "alpha::::|golf:/pk/golf2.zip:sha256:cd:Golf:scorm12");
	assert_int_equal(somo_store_package_get(f->st, "golf", &got), 0);
	assert_string_equal(got->title, "Golf");
	somo_free(got);
	somo_store_registration *r = NULL;
	assert_int_equal(somo_store_registration_get(f->st, REG1, &r), 0);
	somo_free(r);
	assert_int_equal(somo_store_package_get(f->st, "nope", &got), SOMO_ENOTFOUND);
}

static void test_registrations(void **state)
{
	fixture *f = *state;
	somo_store_registration *got = NULL;
	collect c = {0};

	people(f->st);
	somo_store_package p2 = {"alpha", "", "", "", ""};
	assert_int_equal(somo_store_package_put(f->st, &p2), 0);

	somo_store_registration r = {REG1, "k-001", "golf", 1000};
	assert_int_equal(somo_store_registration_put(f->st, &r), 0);
	/* The same again: nothing changes (created stays). */
	r.created = 5000;
	assert_int_equal(somo_store_registration_put(f->st, &r), 0);
	assert_int_equal(somo_store_registration_get(f->st, REG1, &got), 0);
	assert_int_equal(got->created, 1000);
	assert_string_equal(got->learner_id, "k-001");
	somo_free(got);
	/* Another learner on that id: refused. */
	r.learner_id = "k-002";
	assert_int_equal(somo_store_registration_put(f->st, &r), SOMO_EEXISTS);
	/* Missing learner or package. */
	somo_store_registration bad = {REG2, "ghost", "golf", 0};
	assert_int_equal(somo_store_registration_put(f->st, &bad), SOMO_ENOTFOUND);
	bad.learner_id = "k-001";
	bad.package_id = "ghost";
	assert_int_equal(somo_store_registration_put(f->st, &bad), SOMO_ENOTFOUND);
	bad.id = "not-a-uuid";
	assert_int_equal(somo_store_registration_put(f->st, &bad), SOMO_EINVAL);

	/* Upper case ids are the same registration. */
	somo_store_registration r2 = {"1F8E6A4C-2B1D-4C3E-9A5F-7D6E5C4B3A22", "k-001", "alpha",
	                              500};
	somo_store_registration r3 = {REG3, "k-002", "golf", 2000};
	assert_int_equal(somo_store_registration_put(f->st, &r2), 0);
	assert_int_equal(somo_store_registration_put(f->st, &r3), 0);
	assert_int_equal(somo_store_registration_get(f->st, REG2, &got), 0);
	assert_string_equal(got->id, REG2);
	somo_free(got);
	assert_int_equal(
	    somo_store_registration_get(f->st, "1F8E6A4C-2B1D-4C3E-9A5F-7D6E5C4B3A22", &got), 0);
	somo_free(got);

	assert_int_equal(somo_store_registration_list(f->st, NULL, NULL, on_registration, &c), 0);
	assert_string_equal(c.text, "1f:k-001:alpha|0f:k-001:golf|2f:k-002:golf");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_registration_list(f->st, "k-001", NULL, on_registration, &c),
	                 0);
	assert_string_equal(c.text, "1f:k-001:alpha|0f:k-001:golf");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_registration_list(f->st, NULL, "golf", on_registration, &c), 0);
	assert_string_equal(c.text, "0f:k-001:golf|2f:k-002:golf");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_registration_list(f->st, "k-002", "alpha", on_registration, &c),
	                 0);
	assert_string_equal(c.text, "");
}

static void test_attempts(void **state)
{
	fixture *f = *state;
	somo_store_attempt *got = NULL;
	collect c = {0};

	registered(f->st);
	somo_store_attempt a = {REG1, 1, SOMO_STORE_ATTEMPT_SUSPENDED, 100, 0};
	assert_int_equal(somo_store_attempt_put(f->st, &a), 0);
	a.number = 3;
	a.state = SOMO_STORE_ATTEMPT_ACTIVE;
	assert_int_equal(somo_store_attempt_put(f->st, &a), 0);
	a.number = 2;
	a.state = SOMO_STORE_ATTEMPT_COMPLETED;
	a.ended = 900;
	assert_int_equal(somo_store_attempt_put(f->st, &a), 0);
	assert_int_equal(somo_store_attempt_list(f->st, REG1, on_attempt, &c), 0);
	assert_string_equal(c.text, "1:2|2:3|3:1");

	assert_int_equal(somo_store_attempt_get(f->st, REG1, 2, &got), 0);
	assert_int_equal(got->state, SOMO_STORE_ATTEMPT_COMPLETED);
	assert_int_equal(got->started, 100);
	assert_int_equal(got->ended, 900);
	assert_string_equal(got->registration, REG1);
	somo_free(got);
	assert_int_equal(somo_store_attempt_get(f->st, REG1, 0, &got), 0);
	assert_int_equal(got->number, 3);
	somo_free(got);
	assert_int_equal(somo_store_attempt_get(f->st, REG1, 9, &got), SOMO_ENOTFOUND);
	assert_int_equal(somo_store_attempt_get(f->st, REG2, 0, &got), SOMO_ENOTFOUND);
	assert_null(got);

	somo_store_attempt bad = {REG2, 1, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};
	assert_int_equal(somo_store_attempt_put(f->st, &bad), SOMO_ENOTFOUND);
	bad.registration = REG1;
	bad.number = 0;
	assert_int_equal(somo_store_attempt_put(f->st, &bad), SOMO_EINVAL);
	bad.number = 1;
	bad.state = (somo_store_attempt_state)9;
	assert_int_equal(somo_store_attempt_put(f->st, &bad), SOMO_EINVAL);
	/* started 0: the store sets the current time. */
	somo_store_attempt now = {REG1, 4, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};
	assert_int_equal(somo_store_attempt_put(f->st, &now), 0);
	assert_int_equal(somo_store_attempt_get(f->st, REG1, 4, &got), 0);
	assert_true(got->started > 1700000000000LL);
	somo_free(got);
}

static void test_runtime(void **state)
{
	fixture *f = *state;
	somo_store_runtime *got = NULL;
	collect c = {0};

	registered(f->st);
	somo_store_runtime r = {REG1, 1, "sco-2", "{\"cmi.location\":\"p1\"}", 1, 99, 0};
	assert_int_equal(somo_store_runtime_put(f->st, &r), 0);
	r.state = "{\"cmi.location\":\"p2\"}";
	r.sessions = 2;
	assert_int_equal(somo_store_runtime_put(f->st, &r), 0);
	r.activity_id = "sco-1";
	r.state = "{}";
	assert_int_equal(somo_store_runtime_put(f->st, &r), 0);

	assert_int_equal(somo_store_runtime_get(f->st, REG1, 1, "sco-2", &got), 0);
	assert_string_equal(got->state, "{\"cmi.location\":\"p2\"}");
	assert_int_equal(got->commits, 2);
	assert_int_equal(got->sessions, 2);
	assert_int_equal(got->attempt, 1);
	assert_string_equal(got->activity_id, "sco-2");
	assert_true(got->updated > 1700000000000LL);
	somo_free(got);
	assert_int_equal(somo_store_runtime_list(f->st, REG1, 1, on_runtime, &c), 0);
	assert_string_equal(c.text, "sco-1={}#1|sco-2={\"cmi.location\":\"p2\"}#2");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_runtime_list(f->st, REG1, 2, on_runtime, &c), 0);
	assert_int_equal(c.n, 0);

	assert_int_equal(somo_store_runtime_get(f->st, REG1, 1, "sco-9", &got), SOMO_ENOTFOUND);
	somo_store_runtime bad = {REG1, 2, "sco-1", "{}", 0, 0, 0};
	assert_int_equal(somo_store_runtime_put(f->st, &bad), SOMO_ENOTFOUND);
	bad.attempt = 1;
	bad.state = NULL;
	assert_int_equal(somo_store_runtime_put(f->st, &bad), SOMO_EINVAL);
	bad.state = "\xc3\x28";
	assert_int_equal(somo_store_runtime_put(f->st, &bad), SOMO_EINVAL);

	/* A value over max_value_size is refused. */
	somo_store_close(f->st);
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	o.max_value_size = 16;
	assert_int_equal(open_store(f, &o), 0);
	if (!f->sqlite)
		registered(f->st);
	bad.state = "12345678901234567";
	assert_int_equal(somo_store_runtime_put(f->st, &bad), SOMO_ELIMIT);
	bad.state = "1234567890123456";
	assert_int_equal(somo_store_runtime_put(f->st, &bad), 0);
}

static void test_sequencing(void **state)
{
	fixture *f = *state;
	somo_store_sequencing *got = NULL;

	registered(f->st);
	somo_store_sequencing s = {REG1, 1, "{\"current\":\"a\"}", 0};
	assert_int_equal(somo_store_sequencing_get(f->st, REG1, 1, &got), SOMO_ENOTFOUND);
	assert_int_equal(somo_store_sequencing_put(f->st, &s), 0);
	s.state = "{\"current\":\"b\"}";
	assert_int_equal(somo_store_sequencing_put(f->st, &s), 0);
	assert_int_equal(somo_store_sequencing_get(f->st, REG1, 1, &got), 0);
	assert_string_equal(got->state, "{\"current\":\"b\"}");
	assert_string_equal(got->registration, REG1);
	somo_free(got);
	s.attempt = 2;
	assert_int_equal(somo_store_sequencing_put(f->st, &s), SOMO_ENOTFOUND);
}

static void test_shared_data(void **state)
{
	fixture *f = *state;
	somo_store_shared_data *got = NULL;
	collect c = {0};

	people(f->st);
	somo_store_shared_data d = {"k-001", "golf", "store.b", "B1", 0};
	assert_int_equal(somo_store_shared_data_put(f->st, &d), 0);
	d.target_id = "store.a";
	d.data = "A1";
	assert_int_equal(somo_store_shared_data_put(f->st, &d), 0);
	d.package_id = "";
	d.data = "G";
	assert_int_equal(somo_store_shared_data_put(f->st, &d), 0);
	d.package_id = "golf";
	d.data = "A2";
	assert_int_equal(somo_store_shared_data_put(f->st, &d), 0);
	d.learner_id = "k-002";
	d.data = "other";
	assert_int_equal(somo_store_shared_data_put(f->st, &d), 0);

	assert_int_equal(somo_store_shared_data_list(f->st, "k-001", NULL, on_shared, &c), 0);
	assert_string_equal(c.text, "/store.a=G|golf/store.a=A2|golf/store.b=B1");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_shared_data_list(f->st, "k-001", "", on_shared, &c), 0);
	assert_string_equal(c.text, "/store.a=G");
	assert_int_equal(somo_store_shared_data_get(f->st, "k-001", "golf", "store.a", &got), 0);
	assert_string_equal(got->data, "A2");
	somo_free(got);
	assert_int_equal(somo_store_shared_data_get(f->st, "k-001", "", "store.b", &got),
	                 SOMO_ENOTFOUND);
	d.learner_id = "ghost";
	assert_int_equal(somo_store_shared_data_put(f->st, &d), SOMO_ENOTFOUND);
}

static void test_objectives(void **state)
{
	fixture *f = *state;
	somo_store_objective *got = NULL;
	collect c = {0};

	people(f->st);
	somo_store_objective o;
	memset(&o, 0, sizeof(o));
	o.learner_id = "k-001";
	o.scope = "golf";
	o.objective_id = "obj-putting";
	o.success = SOMO_STORE_SUCCESS_SATISFIED;
	o.has_measure = true;
	o.measure = 0.8314;
	o.has_raw = true;
	o.raw = -3.25;
	o.has_max = true;
	o.max = 100;
	o.completion = SOMO_STORE_COMPLETION_INCOMPLETE;
	o.has_progress = true;
	o.progress = 1.0 / 3.0;
	assert_int_equal(somo_store_objective_put(f->st, &o), 0);
	assert_int_equal(somo_store_objective_get(f->st, "k-001", "golf", "obj-putting", &got), 0);
	assert_int_equal(got->success, SOMO_STORE_SUCCESS_SATISFIED);
	assert_true(got->has_measure && got->measure == 0.8314);
	assert_true(got->has_raw && got->raw == -3.25);
	assert_false(got->has_min);
	assert_true(got->has_max && got->max == 100);
	assert_int_equal(got->completion, SOMO_STORE_COMPLETION_INCOMPLETE);
	assert_true(got->has_progress && got->progress == 1.0 / 3.0);
	assert_string_equal(got->objective_id, "obj-putting");
	somo_free(got);

	/* Replacing forgets what the new record does not know. */
	o.has_measure = false;
	o.measure = 5;
	o.success = SOMO_STORE_SUCCESS_UNKNOWN;
	assert_int_equal(somo_store_objective_put(f->st, &o), 0);
	assert_int_equal(somo_store_objective_get(f->st, "k-001", "golf", "obj-putting", &got), 0);
	assert_false(got->has_measure);
	assert_true(got->measure == 0);
	assert_int_equal(got->success, SOMO_STORE_SUCCESS_UNKNOWN);
	somo_free(got);

	o.scope = "";
	o.objective_id = "obj-global";
	assert_int_equal(somo_store_objective_put(f->st, &o), 0);
	o.scope = "golf";
	o.objective_id = "obj-a";
	assert_int_equal(somo_store_objective_put(f->st, &o), 0);
	assert_int_equal(somo_store_objective_list(f->st, "k-001", NULL, on_objective, &c), 0);
	assert_string_equal(c.text, "/obj-global|golf/obj-a|golf/obj-putting");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_objective_list(f->st, "k-001", "", on_objective, &c), 0);
	assert_string_equal(c.text, "/obj-global");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_objective_list(f->st, "k-002", NULL, on_objective, &c), 0);
	assert_int_equal(c.n, 0);

	o.has_measure = true;
	o.measure = NAN;
	assert_int_equal(somo_store_objective_put(f->st, &o), SOMO_EINVAL);
	o.has_measure = false;
	o.success = (somo_store_success)7;
	assert_int_equal(somo_store_objective_put(f->st, &o), SOMO_EINVAL);
	o.success = SOMO_STORE_SUCCESS_UNKNOWN;
	o.learner_id = "ghost";
	assert_int_equal(somo_store_objective_put(f->st, &o), SOMO_ENOTFOUND);
}

static void test_outbox(void **state)
{
	fixture *f = *state;
	somo_store_outbox_entry *got = NULL;
	somo_store_outbox_counts n;
	collect c = {0};

	assert_int_equal(somo_store_outbox_enqueue(f->st, ST1, "{\"v\":1}"), 0);
	/* Same id, same content: nothing happens. Upper case is the same id. */
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST1, "{\"v\":1}"), 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(f->st, "A0000000-0000-4000-8000-000000000001", "{\"v\":1}"),
	    0);
	/* Same id, other content: refused, the first content kept. */
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST1, "{\"v\":2}"), SOMO_EEXISTS);
	assert_int_equal(somo_store_outbox_get(f->st, ST1, &got), 0);
	assert_string_equal(got->statement, "{\"v\":1}");
	assert_int_equal(got->state, SOMO_STORE_OUTBOX_PENDING);
	assert_int_equal(got->attempts, 0);
	assert_true(got->enqueued > 1700000000000LL);
	assert_int_equal(got->next_attempt, got->enqueued);
	int64_t t0 = got->enqueued;
	somo_free(got);
	assert_int_equal(somo_store_outbox_enqueue(f->st, "nope", "{}"), SOMO_EINVAL);

	/* Bounded: three undelivered at most (the fixture's outbox_max). */
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST2, "{\"v\":2}"), 0);
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST3, "{\"v\":3}"), 0);
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST4, "{\"v\":4}"), SOMO_EFULL);
	assert_non_null(strstr(somo_error_last()->message, "full"));
	/* A known id is still a no-op when full. */
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST2, "{\"v\":2}"), 0);

	assert_int_equal(somo_store_outbox_due(f->st, t0 + 100000, 0, on_outbox, &c), 0);
	assert_string_equal(c.text, "1P0|2P0|3P0");

	/* A failed delivery: due later, counted. */
	assert_int_equal(somo_store_outbox_retry(f->st, ST1, t0 + 60000, "HTTP 503"), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_due(f->st, t0 + 1000, 0, on_outbox, &c), 0);
	assert_string_equal(c.text, "2P0|3P0");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_due(f->st, t0 + 60000, 1, on_outbox, &c), 0);
	assert_string_equal(c.text, "1P1");
	assert_int_equal(somo_store_outbox_get(f->st, ST1, &got), 0);
	assert_string_equal(got->message, "HTTP 503");
	assert_int_equal(got->next_attempt, t0 + 60000);
	somo_free(got);

	/* Delivery frees room; a parked statement still takes it. */
	assert_int_equal(somo_store_outbox_delivered(f->st, ST2), 0);
	assert_int_equal(somo_store_outbox_delivered(f->st, ST2), 0);
	assert_int_equal(somo_store_outbox_get(f->st, ST2, &got), 0);
	assert_int_equal(got->state, SOMO_STORE_OUTBOX_DELIVERED);
	assert_true(got->delivered >= t0);
	somo_free(got);
	assert_int_equal(somo_store_outbox_retry(f->st, ST2, 0, NULL), SOMO_ESTATE);
	assert_int_equal(somo_store_outbox_park(f->st, ST2, "x"), SOMO_ESTATE);
	assert_int_equal(somo_store_outbox_park(f->st, ST3, "400: bad verb"), 0);
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST4, "{\"v\":4}"), 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(f->st, "b0000000-0000-4000-8000-000000000005", "{}"),
	    SOMO_EFULL);
	/* Delivered: a different content for that id is still refused. */
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST2, "{\"v\":22}"), SOMO_EEXISTS);

	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_list(f->st, 0, 0, on_outbox, &c), 0);
	assert_string_equal(c.text, "1P1|2D0|3K1|4P0");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_list(f->st, SOMO_STORE_OUTBOX_PARKED, 0, on_outbox, &c),
	                 0);
	assert_string_equal(c.text, "3K1");
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_due(f->st, INT64_MAX, 0, on_outbox, &c), 0);
	assert_string_equal(c.text, "1P1|4P0");
	assert_int_equal(somo_store_outbox_count(f->st, &n), 0);
	assert_int_equal(n.pending, 2);
	assert_int_equal(n.delivered, 1);
	assert_int_equal(n.parked, 1);

	assert_int_equal(somo_store_outbox_get(f->st, ST3, &got), 0);
	assert_string_equal(got->message, "400: bad verb");
	somo_free(got);
	assert_int_equal(somo_store_outbox_requeue(f->st, ST3), 0);
	assert_int_equal(somo_store_outbox_requeue(f->st, ST3), SOMO_ESTATE);
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_due(f->st, INT64_MAX, 0, on_outbox, &c), 0);
	assert_string_equal(c.text, "1P1|3P1|4P0");

	assert_int_equal(somo_store_outbox_delivered(f->st, "b0000000-0000-4000-8000-000000000009"),
	                 SOMO_ENOTFOUND);

	/* Purge: only delivered ones before the time given. */
	uint64_t removed = 9;
	assert_int_equal(somo_store_outbox_purge(f->st, t0 - 1, &removed), 0);
	assert_int_equal(removed, 0);
	assert_int_equal(somo_store_outbox_purge(f->st, INT64_MAX, &removed), 0);
	assert_int_equal(removed, 1);
	assert_int_equal(somo_store_outbox_get(f->st, ST2, &got), SOMO_ENOTFOUND);
	assert_int_equal(somo_store_outbox_count(f->st, &n), 0);
	assert_int_equal(n.pending + n.delivered + n.parked, 3);
	/* A purged id may come again, even with other content; it is the newest. */
	assert_int_equal(somo_store_outbox_delivered(f->st, ST4), 0);
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST2, "{\"v\":22}"), 0);
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_outbox_list(f->st, 0, 0, on_outbox, &c), 0);
	assert_string_equal(c.text, "1P1|3P1|4D0|2P0");
}

static void test_documents(void **state)
{
	fixture *f = *state;
	somo_store_document *got = NULL;
	collect c = {0};
	static const char bin[] = {'a', 0, 'b', (char)0xff};

	somo_store_document d = {SOMO_STORE_DOC_STATE,
	                         "act|agent|reg|bookmark",
	                         "application/octet-stream",
	                         bin,
	                         sizeof(bin),
	                         "\"e1\"",
	                         0};
	assert_int_equal(somo_store_document_put(f->st, &d, NULL, true), 0);
	assert_int_equal(somo_store_document_put(f->st, &d, NULL, true), SOMO_ECONFLICT);
	assert_int_equal(somo_store_document_get(f->st, SOMO_STORE_DOC_STATE, d.key, &got), 0);
	assert_int_equal(got->body_size, sizeof(bin));
	assert_memory_equal(got->body, bin, sizeof(bin));
	assert_string_equal(got->etag, "\"e1\"");
	assert_string_equal(got->content_type, "application/octet-stream");
	assert_true(got->updated > 1700000000000LL);
	somo_free(got);
	/* Same key, other kind: another document. */
	assert_int_equal(somo_store_document_get(f->st, SOMO_STORE_DOC_AGENT_PROFILE, d.key, &got),
	                 SOMO_ENOTFOUND);

	somo_store_document d2 = {SOMO_STORE_DOC_STATE, d.key, "text/plain", "v2", 2, "\"e2\"", 0};
	assert_int_equal(somo_store_document_put(f->st, &d2, "\"zz\"", false), SOMO_ECONFLICT);
	assert_int_equal(somo_store_document_put(f->st, &d2, "\"e1\"", false), 0);
	assert_int_equal(somo_store_document_put(f->st, &d2, "\"e1\"", false), SOMO_ECONFLICT);
	somo_store_document d3 = {SOMO_STORE_DOC_STATE, "act|agent|reg|a", NULL, "x", 1, NULL, 0};
	assert_int_equal(somo_store_document_put(f->st, &d3, "\"e1\"", false), SOMO_ECONFLICT);
	assert_int_equal(somo_store_document_put(f->st, &d3, NULL, false), 0);
	somo_store_document d4 = {SOMO_STORE_DOC_STATE, "other|x", "", "", 0, "", 0};
	assert_int_equal(somo_store_document_put(f->st, &d4, NULL, false), 0);
	somo_store_document d5 = {SOMO_STORE_DOC_ACTIVITY_PROFILE, "act|p", "", "p", 1, "", 0};
	assert_int_equal(somo_store_document_put(f->st, &d5, NULL, false), 0);

	assert_int_equal(
	    somo_store_document_list(f->st, SOMO_STORE_DOC_STATE, "act|", on_document, &c), 0);
	assert_string_equal(c.text, "act|agent|reg|a=x|act|agent|reg|bookmark=v2");
	memset(&c, 0, sizeof(c));
	assert_int_equal(
	    somo_store_document_list(f->st, SOMO_STORE_DOC_STATE, NULL, on_document, &c), 0);
	assert_int_equal(c.n, 3);

	assert_int_equal(somo_store_document_delete(f->st, SOMO_STORE_DOC_STATE, d.key), 0);
	assert_int_equal(somo_store_document_delete(f->st, SOMO_STORE_DOC_STATE, d.key),
	                 SOMO_ENOTFOUND);
	assert_int_equal(somo_store_document_get(f->st, (somo_store_doc_kind)0, "k", &got),
	                 SOMO_EINVAL);
}

static void test_transactions(void **state)
{
	fixture *f = *state;
	somo_store_learner *got = NULL;
	collect c = {0};

	assert_false(somo_store_in_transaction(f->st));
	assert_int_equal(somo_store_commit(f->st), SOMO_ESTATE);
	assert_int_equal(somo_store_rollback(f->st), SOMO_ESTATE);

	assert_int_equal(somo_store_begin(f->st), 0);
	assert_true(somo_store_in_transaction(f->st));
	assert_int_equal(somo_store_begin(f->st), SOMO_ESTATE);
	people(f->st);
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST1, "{}"), 0);
	assert_int_equal(somo_store_rollback(f->st), 0);
	assert_false(somo_store_in_transaction(f->st));
	assert_int_equal(somo_store_learner_list(f->st, on_learner, &c), 0);
	assert_int_equal(c.n, 0);
	somo_store_outbox_entry *gone = NULL;
	assert_int_equal(somo_store_outbox_get(f->st, ST1, &gone), SOMO_ENOTFOUND);
	assert_null(gone);

	/* A failing call inside a transaction leaves the rest of it alone. */
	assert_int_equal(somo_store_begin(f->st), 0);
	people(f->st);
	somo_store_registration bad = {REG1, "ghost", "golf", 0};
	assert_int_equal(somo_store_registration_put(f->st, &bad), SOMO_ENOTFOUND);
	somo_store_registration r = {REG1, "k-001", "golf", 0};
	assert_int_equal(somo_store_registration_put(f->st, &r), 0);
	assert_int_equal(somo_store_outbox_enqueue(f->st, ST1, "{}"), 0);
	assert_int_equal(somo_store_outbox_delivered(f->st, ST1), 0);
	assert_int_equal(somo_store_commit(f->st), 0);
	assert_int_equal(somo_store_learner_get(f->st, "k-002", &got), 0);
	somo_free(got);
	somo_store_outbox_entry *e = NULL;
	assert_int_equal(somo_store_outbox_get(f->st, ST1, &e), 0);
	assert_int_equal(e->state, SOMO_STORE_OUTBOX_DELIVERED);
	somo_free(e);

	/* Writes from inside a listing's callback. */
	memset(&c, 0, sizeof(c));
	assert_int_equal(somo_store_learner_list(f->st, on_learner, &c), 0);
	assert_string_equal(c.text, "k-001=Ada|k-002=Grace");

	/* Closing with a transaction open rolls it back. */
	if (f->sqlite) {
		assert_int_equal(somo_store_begin(f->st), 0);
		somo_store_learner l = {"k-009", "Late"};
		assert_int_equal(somo_store_learner_put(f->st, &l), 0);
		somo_store_close(f->st);
		assert_int_equal(open_store(f, NULL), 0);
		assert_int_equal(somo_store_learner_get(f->st, "k-009", &got), SOMO_ENOTFOUND);
		assert_int_equal(somo_store_learner_get(f->st, "k-001", &got), 0);
		somo_free(got);
	}
}

static int rename_cb(const somo_store_learner *r, void *p)
{
	somo_store *st = p;
	char name[64];
	somo_store_learner l = {r->id, name};

	snprintf(name, sizeof(name), "%s!", r->name);
	return somo_store_learner_put(st, &l);
}

static void test_write_while_listing(void **state)
{
	fixture *f = *state;
	collect c = {0};

	people(f->st);
	assert_int_equal(somo_store_learner_list(f->st, rename_cb, f->st), 0);
	assert_int_equal(somo_store_learner_list(f->st, on_learner, &c), 0);
	assert_string_equal(c.text, "k-001=Ada!|k-002=Grace!");
}

/* A backend table with almost nothing in it. */
static void close_counter(void *impl)
{
	(*(int *)impl)++;
}

static void test_backend_table(void **state)
{
	static const somo_store_backend empty = {
	    .version = SOMO_STORE_BACKEND_VERSION, .name = "empty", .close = close_counter};
	static const somo_store_backend future = {
	    .version = SOMO_STORE_BACKEND_VERSION + 1, .name = "future", .close = close_counter};
	somo_store *st = NULL;
	int closed = 0;
	somo_store_learner l = {"a", "b"};

	(void)state;
	assert_int_equal(somo_store_open_backend(&st, &future, &closed, NULL), SOMO_EUNSUPPORTED);
	assert_null(st);
	assert_int_equal(closed, 1);
	assert_int_equal(somo_store_open_backend(&st, &empty, &closed, NULL), 0);
	assert_string_equal(somo_store_backend_name(st), "empty");
	assert_int_equal(somo_store_learner_put(st, &l), SOMO_EUNSUPPORTED);
	assert_non_null(strstr(somo_error_last()->message, "learner_put"));
	assert_int_equal(somo_store_begin(st), SOMO_EUNSUPPORTED);
	somo_store_close(st);
	assert_int_equal(closed, 2);
	somo_store_opts bad = SOMO_STORE_OPTS_INIT;
	bad.version = 99;
	assert_int_equal(somo_store_open_memory(&st, &bad), SOMO_EINVAL);
}

int main(void)
{
	const struct CMUnitTest memory_tests[] = {
	    cmocka_unit_test_setup_teardown(test_learners, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_packages, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_registrations, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_attempts, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_runtime, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_sequencing, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_shared_data, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_objectives, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_documents, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions, setup_memory, teardown),
	    cmocka_unit_test_setup_teardown(test_write_while_listing, setup_memory, teardown),
	    cmocka_unit_test(test_backend_table),
	};
	const struct CMUnitTest sqlite_tests[] = {
	    cmocka_unit_test_setup_teardown(test_learners, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_packages, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_registrations, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_attempts, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_runtime, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_sequencing, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_shared_data, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_objectives, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_outbox, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_documents, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_transactions, setup_sqlite, teardown),
	    cmocka_unit_test_setup_teardown(test_write_while_listing, setup_sqlite, teardown),
	};
	int failed = cmocka_run_group_tests_name("store-memory", memory_tests, NULL, NULL);
	failed += cmocka_run_group_tests_name("store-sqlite", sqlite_tests, NULL, NULL);
	return failed ? 1 : 0;
}
