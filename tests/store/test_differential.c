/*
 * The memory and SQLite backends have the same semantics: random sequences
 * of operations (with colliding ids, missing references, conflicting outbox
 * contents, document preconditions, transactions committed and rolled back)
 * are applied to both, and every return code and, every few steps, the
 * whole content of both stores (everything but the times the store sets
 * itself) must be the same.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "somo/store.h"

#define SEEDS 25
#define STEPS 400

static uint64_t rng;

static unsigned pick(unsigned n)
{
	/* xorshift64*: the same sequence on every machine */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return (unsigned)((rng * 2685821657736338717ULL) >> 33) % n;
}

static const char *const learners[] = {"L0", "L1", "L2", "L3"};
static const char *const packages[] = {"P0", "P1", "P2"};
static const char *const regs[] = {
    "00000000-0000-4000-8000-000000000000", "00000000-0000-4000-8000-000000000001",
    "00000000-0000-4000-8000-000000000002", "00000000-0000-4000-8000-00000000000A"};
static const char *const acts[] = {"sco-a", "sco-b", "sco-c"};
static const char *const scopes[] = {"", "P0", "P1"};
static const char *const targets[] = {"t1", "t2"};
static const char *const stmts[] = {
    "a0000000-0000-4000-8000-000000000000", "a0000000-0000-4000-8000-000000000001",
    "a0000000-0000-4000-8000-000000000002", "a0000000-0000-4000-8000-000000000003",
    "a0000000-0000-4000-8000-000000000004", "a0000000-0000-4000-8000-000000000005"};
static const char *const texts[] = {"{\"v\":1}", "{\"v\":2}", "{}"};
static const char *const keys[] = {"k|a", "k|b", "x|a"};
static const char *const etags[] = {"", "\"e1\"", "\"e2\""};

#define PICK(a) a[pick(sizeof(a) / sizeof(a[0]))]

typedef struct {
	char *p;
	size_t len, cap;
} text;

static void put(text *t, const char *fmt, ...)
{
	va_list ap;
	char line[1024];

	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = sizeof(line) - 1;
	if (t->len + (size_t)n + 2 > t->cap) {
		t->cap = (t->len + (size_t)n + 2) * 2;
		t->p = realloc(t->p, t->cap);
		if (!t->p)
			abort();
	}
	memcpy(t->p + t->len, line, (size_t)n);
	t->len += (size_t)n;
	t->p[t->len++] = '\n';
	t->p[t->len] = '\0';
}

/* Listing callbacks into a text (times the store sets are left out). */
static int d_learner(const somo_store_learner *r, void *p)
{
	put(p, "learner %s %s", r->id, r->name);
	return 0;
}
static int d_package(const somo_store_package *r, void *p)
{
	put(p, "package %s %s", r->id, r->title);
	return 0;
}
static int d_reg(const somo_store_registration *r, void *p)
{
	put(p, "registration %s %s %s %lld", r->id, r->learner_id, r->package_id,
	    (long long)r->created);
	return 0;
}
static int d_attempt(const somo_store_attempt *r, void *p)
{
	put(p, "attempt %s %u %d %lld %lld", r->registration, r->number, (int)r->state,
	    (long long)r->started, (long long)r->ended);
	return 0;
}
static int d_runtime(const somo_store_runtime *r, void *p)
{
	put(p, "runtime %s %u %s %s %u %llu", r->registration, r->attempt, r->activity_id, r->state,
	    r->sessions, (unsigned long long)r->commits);
	return 0;
}
static int d_shared(const somo_store_shared_data *r, void *p)
{
	put(p, "shared %s [%s] %s %s", r->learner_id, r->package_id, r->target_id, r->data);
	return 0;
}
static int d_objective(const somo_store_objective *r, void *p)
{
	put(p, "objective %s [%s] %s %d %d%g %d%g %d", r->learner_id, r->scope, r->objective_id,
	    (int)r->success, r->has_measure, r->measure, r->has_raw, r->raw, (int)r->completion);
	return 0;
}
static int d_outbox(const somo_store_outbox_entry *r, void *p)
{
	put(p, "outbox %s %s %d [%s] %u %lld", r->id, r->statement, (int)r->state, r->message,
	    r->attempts,
	    /* next_attempt is the test's own small number, or a current time */
	    r->next_attempt < 1000000 ? (long long)r->next_attempt : -1LL);
	return 0;
}
static int d_document(const somo_store_document *r, void *p)
{
	put(p, "document %d %s %s %.*s %s", (int)r->kind, r->key, r->content_type,
	    (int)r->body_size, (const char *)r->body, r->etag);
	return 0;
}

static void dump(somo_store *st, text *t)
{
	put(t, "rc %d", somo_store_learner_list(st, d_learner, t));
	put(t, "rc %d", somo_store_package_list(st, d_package, t));
	put(t, "rc %d", somo_store_registration_list(st, NULL, NULL, d_reg, t));
	for (size_t i = 0; i < 4; i++) {
		put(t, "rc %d", somo_store_attempt_list(st, regs[i], d_attempt, t));
		for (uint32_t a = 1; a <= 3; a++) {
			somo_store_sequencing *q = NULL;
			put(t, "rc %d", somo_store_runtime_list(st, regs[i], a, d_runtime, t));
			int rc = somo_store_sequencing_get(st, regs[i], a, &q);
			put(t, "sequencing %d %s", rc, rc == 0 ? q->state : "-");
			somo_free(q);
		}
	}
	for (size_t i = 0; i < 4; i++) {
		put(t, "rc %d", somo_store_shared_data_list(st, learners[i], NULL, d_shared, t));
		put(t, "rc %d", somo_store_objective_list(st, learners[i], NULL, d_objective, t));
	}
	put(t, "rc %d", somo_store_outbox_list(st, 0, 0, d_outbox, t));
	put(t, "rc %d", somo_store_outbox_due(st, 1000000, 2, d_outbox, t));
	somo_store_outbox_counts n;
	put(t, "rc %d", somo_store_outbox_count(st, &n));
	put(t, "counts %llu %llu %llu", (unsigned long long)n.pending,
	    (unsigned long long)n.delivered, (unsigned long long)n.parked);
	for (int k = 1; k <= 3; k++)
		put(t, "rc %d",
		    somo_store_document_list(st, (somo_store_doc_kind)k, "k|", d_document, t));
}

/* One random operation on st; the choices come from the generator, which
 * the caller rewinds so that both stores get the same operation. */
static int step(somo_store *st)
{
	switch (pick(22)) {
	case 0: {
		somo_store_learner l = {PICK(learners), PICK(texts)};
		return somo_store_learner_put(st, &l);
	}
	case 1: {
		somo_store_package p = {PICK(packages), "", "", PICK(texts), ""};
		return somo_store_package_put(st, &p);
	}
	case 2:
	case 3: {
		somo_store_registration r = {PICK(regs), PICK(learners), PICK(packages),
		                             1 + pick(3)};
		return somo_store_registration_put(st, &r);
	}
	case 4:
	case 5: {
		somo_store_attempt a = {PICK(regs), 1 + pick(3),
		                        (somo_store_attempt_state)(1 + pick(4)), 10 + pick(5),
		                        pick(2) ? 0 : 50};
		return somo_store_attempt_put(st, &a);
	}
	case 6:
	case 7: {
		somo_store_runtime r = {PICK(regs), 1 + pick(3), PICK(acts), PICK(texts),
		                        pick(4),    0,           0};
		return somo_store_runtime_put(st, &r);
	}
	case 8: {
		somo_store_sequencing q = {PICK(regs), 1 + pick(3), PICK(texts), 0};
		return somo_store_sequencing_put(st, &q);
	}
	case 9: {
		somo_store_shared_data d = {PICK(learners), PICK(scopes), PICK(targets),
		                            PICK(texts), 0};
		return somo_store_shared_data_put(st, &d);
	}
	case 10: {
		somo_store_objective o;
		memset(&o, 0, sizeof(o));
		o.learner_id = PICK(learners);
		o.scope = PICK(scopes);
		o.objective_id = PICK(targets);
		o.success = (somo_store_success)pick(3);
		o.has_measure = pick(2);
		o.measure = (double)pick(100) / 64.0;
		o.has_raw = pick(2);
		o.raw = -(double)pick(10);
		o.completion = (somo_store_completion)pick(3);
		return somo_store_objective_put(st, &o);
	}
	case 11:
	case 12:
		return somo_store_outbox_enqueue(st, PICK(stmts), PICK(texts));
	case 13:
		return somo_store_outbox_delivered(st, PICK(stmts));
	case 14:
		return somo_store_outbox_retry(st, PICK(stmts), 100 + pick(5), PICK(texts));
	case 15:
		return somo_store_outbox_park(st, PICK(stmts), PICK(texts));
	case 16:
		return somo_store_outbox_requeue(st, PICK(stmts));
	case 17: {
		somo_store_document d = {(somo_store_doc_kind)(1 + pick(3)),
		                         PICK(keys),
		                         "text/plain",
		                         PICK(texts),
		                         3,
		                         PICK(etags),
		                         0};
		const char *if_match = pick(3) == 0 ? PICK(etags) : NULL;
		bool none = pick(4) == 0;
		return somo_store_document_put(st, &d, if_match, none);
	}
	case 18:
		return somo_store_document_delete(st, (somo_store_doc_kind)(1 + pick(3)),
		                                  PICK(keys));
	case 19:
		return somo_store_begin(st);
	case 20:
		return somo_store_commit(st);
	case 21:
		return pick(3) == 0 ? somo_store_rollback(st)
		                    : somo_store_outbox_purge(st, pick(2) ? 0 : INT64_MAX, NULL);
	}
	return 0;
}

int main(void)
{
	char dir[64], path[128], cmd[160];
	int failed = 0;

	snprintf(dir, sizeof(dir), "/tmp/somo-diff-XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	for (uint64_t seed = 1; seed <= SEEDS && !failed; seed++) {
		somo_store *mem = NULL, *sql = NULL;
		somo_store_opts o = SOMO_STORE_OPTS_INIT;

		o.outbox_max = 4;
		snprintf(path, sizeof(path), "%s/s%llu.db", dir, (unsigned long long)seed);
		if (somo_store_open_memory(&mem, &o) || somo_store_open_sqlite(&sql, path, &o)) {
			fprintf(stderr, "open: %s\n", somo_error_last()->message);
			return 1;
		}
		rng = seed * 0x9E3779B97F4A7C15ULL;
		for (int i = 0; i < STEPS && !failed; i++) {
			uint64_t at = rng;
			int rm = step(mem);
			char msg[1024];
			snprintf(msg, sizeof(msg), "%s", somo_error_last()->message);
			rng = at;
			int rs = step(sql);
			if (rm != rs) {
				fprintf(
				    stderr,
				    "seed %llu step %d: memory returned %d (%s), SQLite %d (%s)\n",
				    (unsigned long long)seed, i, rm, msg, rs,
				    somo_error_last()->message);
				failed = 1;
			}
			if (i % 20 == 19 || i == STEPS - 1) {
				text a = {0}, b = {0};
				dump(mem, &a);
				dump(sql, &b);
				if (strcmp(a.p, b.p) != 0) {
					fprintf(stderr,
					        "seed %llu step %d: the stores differ\n--- "
					        "memory\n%s--- "
					        "SQLite\n%s",
					        (unsigned long long)seed, i, a.p, b.p);
					failed = 1;
				}
				free(a.p);
				free(b.p);
			}
		}
		somo_store_close(mem);
		somo_store_close(sql);
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failed = 1;
	printf("store differential: %d seeds x %d steps: %s\n", SEEDS, STEPS,
	       failed ? "FAILED" : "memory and SQLite agree");
	return failed;
}
