/* The error model, allocator hook and buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "somo.h"
#include "util/util.h"

static void error_last_is_thread_state(void **state)
{
	(void)state;
	somo_error_clear();
	assert_int_equal(somo_error_last()->code, SOMO_OK);
	assert_string_equal(somo_error_last()->message, "");
	assert_int_equal(somo__error(SOMO_EINVAL, "bad '%s'", "x"), SOMO_EINVAL);
	assert_int_equal(somo_error_last()->code, SOMO_EINVAL);
	assert_string_equal(somo_error_last()->message, "bad 'x'");
	assert_string_equal(somo_strerror(SOMO_ENOMEM), "out of memory");
	assert_string_equal(somo_strerror(-999), "unknown error");
}

static size_t hook_allocs;
static void *hook_malloc(size_t n)
{
	hook_allocs++;
	return malloc(n);
}

static void alloc_hook_is_used(void **state)
{
	char *s;
	(void)state;
	somo_set_alloc_funcs(hook_malloc, NULL, NULL);
	s = somo__strdup("abc");
	assert_non_null(s);
	assert_true(hook_allocs >= 1);
	somo_free(s);
	somo_set_alloc_funcs(NULL, NULL, NULL);
	assert_null(somo__strdup(NULL));
}

static void buffers_grow_and_detach(void **state)
{
	somo__buf b = SOMO__BUF_INIT;
	char *s;
	int i;
	(void)state;
	for (i = 0; i < 1000; i++)
		assert_int_equal(somo__buf_printf(&b, "%d,", i), 0);
	assert_true(b.len > 1000);
	assert_int_equal(strncmp(b.ptr, "0,1,2,", 6), 0);
	assert_int_equal(b.ptr[b.len], '\0');
	s = somo__buf_detach(&b);
	assert_null(b.ptr);
	somo__free(s);
	s = somo__buf_detach(&b);
	assert_string_equal(s, "");
	somo__free(s);
}

static void strings(void **state)
{
	char *t;
	(void)state;
	assert_true(somo__str_ieq("Suspend", "suspend"));
	assert_false(somo__str_ieq("suspend", "suspended"));
	assert_true(somo__str_starts("cmi.core.score", "cmi.core."));
	t = somo__str_trim_dup("  \t activity_1 \r\n");
	assert_string_equal(t, "activity_1");
	somo__free(t);
	t = somo__sprintf("%s-%d", "a", 7);
	assert_string_equal(t, "a-7");
	somo__free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(error_last_is_thread_state),
		cmocka_unit_test(alloc_hook_is_used),
		cmocka_unit_test(buffers_grow_and_detach),
		cmocka_unit_test(strings),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
