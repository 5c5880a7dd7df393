/*
 * The SQLite store's file: what it is made of, and every kind of bad file
 * (not SQLite, another application's, newer, damaged, truncated, read-only,
 * empty, a folder) refused with a clear error and left as it was.
 */
#define _POSIX_C_SOURCE 200809L
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "somo/store.h"
#include "store/store_int.h"

static char dir[64];
static char path[128];

static const char *const REG = "0f8e6a4c-2b1d-4c3e-9a5f-7d6e5c4b3a21";

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof(dir), "/tmp/somo-files-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/store.db", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *p, size_t *n)
{
	FILE *f = fopen(p, "rb");
	char *buf;
	long len;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)len + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*n = (size_t)len;
	return buf;
}

static void spit(const char *p, const void *data, size_t n)
{
	FILE *f = fopen(p, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, n, f), n);
	fclose(f);
}

/* A store with a few of everything, closed (so the WAL is checkpointed). */
static void make_store(int rows)
{
	somo_store *st = NULL;
	somo_store_learner l = {"k-001", "Ada"};
	somo_store_package p = {"golf", "", "", "Golf", "scorm2004-4"};
	somo_store_registration r = {REG, "k-001", "golf", 0};
	somo_store_attempt a = {REG, 1, SOMO_STORE_ATTEMPT_ACTIVE, 0, 0};
	char id[32], state[600];

	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), 0);
	assert_int_equal(somo_store_begin(st), 0);
	assert_int_equal(somo_store_learner_put(st, &l), 0);
	assert_int_equal(somo_store_package_put(st, &p), 0);
	assert_int_equal(somo_store_registration_put(st, &r), 0);
	assert_int_equal(somo_store_attempt_put(st, &a), 0);
	memset(state, 'x', sizeof(state) - 1);
	state[sizeof(state) - 1] = '\0';
	for (int i = 0; i < rows; i++) {
		snprintf(id, sizeof(id), "sco-%04d", i);
		somo_store_runtime rt = {REG, 1, id, state, 1, 0, 0};
		assert_int_equal(somo_store_runtime_put(st, &rt), 0);
	}
	assert_int_equal(somo_store_commit(st), 0);
	somo_store_close(st);
}

static int64_t pragma(const char *p, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(p, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &q, NULL), SQLITE_OK);
	if (sqlite3_step(q) == SQLITE_ROW)
		v = sqlite3_column_int64(q, 0);
	sqlite3_finalize(q);
	sqlite3_close(db);
	return v;
}

static void raw_exec(const char *p, const char *sql)
{
	sqlite3 *db;
	assert_int_equal(sqlite3_open(p, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static int count_rt(const somo_store_runtime *r, void *p)
{
	(void)r;
	(*(int *)p)++;
	return 0;
}

/* Opening fails with code, the message names the file, and the file is unchanged. */
static void refused(int code, const char *needle)
{
	somo_store *st = (somo_store *)1;
	size_t n1, n2;
	char *before = slurp(path, &n1), *after;

	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), code);
	assert_null(st);
	assert_non_null(strstr(somo_error_last()->message, path));
	if (needle && !strstr(somo_error_last()->message, needle))
		fail_msg("message '%s' lacks '%s'", somo_error_last()->message, needle);
	after = slurp(path, &n2);
	assert_int_equal(n1, n2);
	assert_memory_equal(before, after, n1);
	free(before);
	free(after);
}

static void test_new_file(void **state)
{
	somo_store *st = NULL;
	somo_store_learner *l = NULL;

	(void)state;
	make_store(3);
	assert_int_equal(pragma(path, "PRAGMA application_id"), SOMO__STORE_APPLICATION_ID);
	assert_int_equal(pragma(path, "PRAGMA user_version"), SOMO__STORE_SCHEMA_VERSION);
	/* WAL mode is recorded in the file header: bytes 18 and 19 are 2. */
	size_t n;
	char *bytes = slurp(path, &n);
	assert_true(n >= 100);
	assert_int_equal(bytes[18], 2);
	assert_int_equal(bytes[19], 2);
	free(bytes);
	/* Reopened: everything is there. */
	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), 0);
	assert_string_equal(somo_store_backend_name(st), "sqlite");
	assert_int_equal(somo_store_learner_get(st, "k-001", &l), 0);
	assert_string_equal(l->name, "Ada");
	somo_free(l);
	int count = 0;
	assert_int_equal(somo_store_runtime_list(st, REG, 1, count_rt, &count), 0);
	assert_int_equal(count, 3);
	somo_store_close(st);
}

static void test_not_sqlite(void **state)
{
	(void)state;
	char page[150];
	memset(page, '.', sizeof(page));
	memcpy(page, "<html>not a database</html>", 27);
	spit(path, page, sizeof(page));
	refused(SOMO_ECORRUPT, "not a SQLite database");
	spit(path, "SQLite", 6);
	refused(SOMO_ECORRUPT, "not a SQLite database");
}

static void test_foreign(void **state)
{
	(void)state;
	raw_exec(path, "CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT);"
	               "INSERT INTO moz_places(url) VALUES('https://example.org/')");
	refused(SOMO_ECORRUPT, "another application");
	assert_int_equal(unlink(path), 0);
	/* Another application's id on an otherwise empty database. */
	raw_exec(path, "PRAGMA application_id = 252006673; PRAGMA user_version = 3");
	refused(SOMO_ECORRUPT, "another application");
}

static void test_newer(void **state)
{
	(void)state;
	make_store(1);
	raw_exec(path, "PRAGMA user_version = 99");
	refused(SOMO_EUNSUPPORTED, "newer");
}

static void test_corrupt_header(void **state)
{
	size_t n;
	char *bytes;

	(void)state;
	make_store(50);
	bytes = slurp(path, &n);
	memcpy(bytes, "garbage garbage garbage garbage!", 32);
	spit(path, bytes, n);
	free(bytes);
	refused(SOMO_ECORRUPT, NULL);
}

static void test_corrupt_pages(void **state)
{
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	somo_store *st = NULL;
	size_t n;
	char *bytes;

	(void)state;
	make_store(50);
	bytes = slurp(path, &n);
	assert_true(n > 8192);
	/* Overwrite everything after the first page with a pattern. */
	for (size_t i = 4096; i < n; i++)
		bytes[i] = (char)(i * 31 + 7);
	spit(path, bytes, n);
	free(bytes);
	/* The check at open finds it. */
	refused(SOMO_ECORRUPT, "damaged");
	/* Without that check, every use reports it and nothing crashes. */
	o.skip_check = 1;
	int rc = somo_store_open_sqlite(&st, path, &o);
	if (rc == 0) {
		int count = 0;
		somo_store_learner *l = NULL;
		int r1 = somo_store_runtime_list(st, REG, 1, count_rt, &count);
		int r2 = somo_store_learner_get(st, "k-001", &l);
		somo_free(l);
		assert_true(r1 == SOMO_ECORRUPT || r2 == SOMO_ECORRUPT);
		somo_store_close(st);
	} else {
		assert_int_equal(rc, SOMO_ECORRUPT);
	}
}

static void test_truncated(void **state)
{
	size_t n;
	char *bytes;

	(void)state;
	make_store(50);
	bytes = slurp(path, &n);
	assert_true(n > 8192);
	spit(path, bytes, n / 2);
	free(bytes);
	refused(SOMO_ECORRUPT, "truncated");
	/* Shorter than the header. */
	bytes = slurp(path, &n);
	spit(path, bytes, 60);
	free(bytes);
	refused(SOMO_ECORRUPT, "truncated");
}

static void test_read_only(void **state)
{
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	somo_store *st = NULL;
	somo_store_learner *l = NULL, nl = {"k-002", "Grace"};
	char uri[160];

	(void)state;
	o.read_only = 1;
	assert_int_equal(somo_store_open_sqlite(&st, path, &o), SOMO_ENOTFOUND);
	make_store(2);
	for (int way = 0; way < 2; way++) {
		if (way == 0) {
			assert_int_equal(somo_store_open_sqlite(&st, path, &o), 0);
		} else {
			snprintf(uri, sizeof(uri), "file:%s?mode=ro", path);
			assert_int_equal(somo_store_open_sqlite(&st, uri, NULL), 0);
		}
		assert_int_equal(somo_store_learner_get(st, "k-001", &l), 0);
		somo_free(l);
		assert_int_equal(somo_store_learner_put(st, &nl), SOMO_EIO);
		assert_non_null(strstr(somo_error_last()->message, "read-only"));
		assert_int_equal(somo_store_outbox_enqueue(st, REG, "{}"), SOMO_EIO);
		int rc = somo_store_begin(st);
		if (rc == 0) {
			assert_int_equal(somo_store_learner_put(st, &nl), SOMO_EIO);
			assert_int_equal(somo_store_rollback(st), 0);
		} else {
			assert_int_equal(rc, SOMO_EIO);
		}
		somo_store_close(st);
	}
	/* Nothing was written. */
	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), 0);
	assert_int_equal(somo_store_learner_get(st, "k-002", &l), SOMO_ENOTFOUND);
	somo_store_close(st);
}

/* A file that cannot be written even by root (chattr +i, where the file
 * system and privileges allow it): opened for reading, every write refused. */
static void test_immutable(void **state)
{
	somo_store *st = NULL;
	somo_store_learner *l = NULL, nl = {"k-002", "Grace"};
	char cmd[200];

	(void)state;
	make_store(2);
	snprintf(cmd, sizeof(cmd), "chattr +i '%s' 2>/dev/null", path);
	if (system(cmd) != 0) {
		printf("chattr +i is not available here: immutable file case not run\n");
		return;
	}
	int rc = somo_store_open_sqlite(&st, path, NULL);
	if (rc == 0) {
		assert_int_equal(somo_store_learner_get(st, "k-001", &l), 0);
		somo_free(l);
		rc = somo_store_learner_put(st, &nl);
		somo_store_close(st);
	}
	snprintf(cmd, sizeof(cmd), "chattr -i '%s'", path);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(rc, SOMO_EIO);
	assert_non_null(strstr(somo_error_last()->message, path));
	assert_non_null(strstr(somo_error_last()->message, "read-only"));
}

/* A writer waits for another handle's transaction up to busy_timeout_ms,
 * then gets SOMO_EBUSY; readers are never blocked (WAL). */
static void test_busy(void **state)
{
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	somo_store *a = NULL, *b = NULL;
	somo_store_learner *l = NULL, la = {"k-a", "A"}, lb = {"k-b", "B"};

	(void)state;
	make_store(1);
	o.busy_timeout_ms = 50;
	assert_int_equal(somo_store_open_sqlite(&a, path, NULL), 0);
	assert_int_equal(somo_store_open_sqlite(&b, path, &o), 0);
	assert_int_equal(somo_store_begin(a), 0);
	assert_int_equal(somo_store_learner_put(a, &la), 0);
	assert_int_equal(somo_store_learner_put(b, &lb), SOMO_EBUSY);
	assert_non_null(strstr(somo_error_last()->message, path));
	assert_int_equal(somo_store_begin(b), SOMO_EBUSY);
	assert_false(somo_store_in_transaction(b));
	/* b still reads, and does not see a's uncommitted write. */
	assert_int_equal(somo_store_learner_get(b, "k-001", &l), 0);
	somo_free(l);
	assert_int_equal(somo_store_learner_get(b, "k-a", &l), SOMO_ENOTFOUND);
	assert_int_equal(somo_store_commit(a), 0);
	assert_int_equal(somo_store_learner_put(b, &lb), 0);
	assert_int_equal(somo_store_learner_get(b, "k-a", &l), 0);
	somo_free(l);
	somo_store_close(a);
	somo_store_close(b);
}

static void test_empty_and_folder(void **state)
{
	somo_store *st = NULL;
	somo_store_learner l = {"k-001", "Ada"};

	(void)state;
	/* An empty file is a new store. */
	spit(path, "", 0);
	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), 0);
	assert_int_equal(somo_store_learner_put(st, &l), 0);
	somo_store_close(st);
	/* A folder is not. */
	assert_int_equal(somo_store_open_sqlite(&st, dir, NULL), SOMO_EIO);
	assert_non_null(strstr(somo_error_last()->message, dir));
	/* Nor a file in a folder that does not exist. */
	char missing[200];
	snprintf(missing, sizeof(missing), "%s/no/such/folder.db", dir);
	assert_int_equal(somo_store_open_sqlite(&st, missing, NULL), SOMO_EIO);
	assert_non_null(strstr(somo_error_last()->message, missing));
}

static void test_migration(void **state)
{
	somo_store *st = NULL;
	somo_store_learner *l = NULL;
	somo_store_document d = {SOMO_STORE_DOC_STATE, "k", "", "b", 1, "", 0};

	(void)state;
	assert_int_equal(somo__store_sqlite_create_at(path, 1), 0);
	assert_int_equal(pragma(path, "PRAGMA user_version"), 1);
	assert_int_equal(pragma(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'document'"),
	                 0);
	raw_exec(path, "INSERT INTO learner(id, name) VALUES('k-old', 'From version 1');"
	               "INSERT INTO outbox(id, statement, enqueued, state, message, attempts,"
	               " next_attempt, delivered) VALUES"
	               " ('b0000000-0000-4000-8000-000000000001', '{}', 1, 1, '', 0, 1, 0),"
	               " ('b0000000-0000-4000-8000-000000000002', '{}', 1, 3, 'no', 1, 1, 0),"
	               " ('b0000000-0000-4000-8000-000000000003', '{}', 1, 2, '', 0, 1, 5)");
	/* Read-only cannot migrate: refused, not half-opened. */
	somo_store_opts o = SOMO_STORE_OPTS_INIT;
	o.read_only = 1;
	assert_int_equal(somo_store_open_sqlite(&st, path, &o), SOMO_EUNSUPPORTED);
	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), 0);
	assert_int_equal(pragma(path, "PRAGMA user_version"), SOMO__STORE_SCHEMA_VERSION);
	assert_int_equal(pragma(path, "SELECT undelivered FROM outbox_stats"), 2);
	assert_int_equal(somo_store_learner_get(st, "k-old", &l), 0);
	assert_string_equal(l->name, "From version 1");
	somo_free(l);
	assert_int_equal(somo_store_document_put(st, &d, NULL, false), 0);
	somo_store_close(st);

	/* The outbox's count of undelivered statements starts from what version 1
	 * held (a pending and a parked one) and follows every change. */
	o.read_only = 0;
	o.outbox_max = 3;
	assert_int_equal(somo_store_open_sqlite(&st, path, &o), 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(st, "b0000000-0000-4000-8000-000000000004", "{}"), 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(st, "b0000000-0000-4000-8000-000000000005", "{}"),
	    SOMO_EFULL);
	assert_int_equal(somo_store_outbox_delivered(st, "b0000000-0000-4000-8000-000000000002"),
	                 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(st, "b0000000-0000-4000-8000-000000000005", "{}"), 0);
	assert_int_equal(somo_store_outbox_purge(st, INT64_MAX, NULL), 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(st, "b0000000-0000-4000-8000-000000000006", "{}"),
	    SOMO_EFULL);
	assert_int_equal(somo_store_outbox_park(st, "b0000000-0000-4000-8000-000000000005", "x"),
	                 0);
	assert_int_equal(
	    somo_store_outbox_enqueue(st, "b0000000-0000-4000-8000-000000000006", "{}"),
	    SOMO_EFULL);
	somo_store_close(st);
	assert_int_equal(pragma(path, "SELECT undelivered FROM outbox_stats"),
	                 pragma(path, "SELECT count(*) FROM outbox WHERE state IN (1, 3)"));
}

static void test_damaged_schema(void **state)
{
	somo_store *st = NULL;
	somo_store_learner l = {"k-001", "Ada"};

	(void)state;
	make_store(1);
	raw_exec(path, "DROP TABLE shared_data");
	assert_int_equal(somo_store_open_sqlite(&st, path, NULL), 0);
	assert_int_equal(somo_store_learner_put(st, &l), 0);
	somo_store_shared_data d = {"k-001", "", "t", "v", 0};
	assert_int_equal(somo_store_shared_data_put(st, &d), SOMO_ECORRUPT);
	assert_non_null(strstr(somo_error_last()->message, "schema"));
	somo_store_close(st);
}

#define T(t) cmocka_unit_test_setup_teardown(t, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
	    T(test_new_file),  T(test_not_sqlite),     T(test_foreign),
	    T(test_newer),     T(test_corrupt_header), T(test_corrupt_pages),
	    T(test_truncated), T(test_read_only),      T(test_empty_and_folder),
	    T(test_migration), T(test_damaged_schema), T(test_immutable),
	    T(test_busy),
	};
	return cmocka_run_group_tests_name("store-files", tests, NULL, NULL);
}
