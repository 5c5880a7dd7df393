/*
 * adlcp:prerequisites (AICC script) evaluation: operators, sets and counts,
 * comparisons, precedence, the AND/OR/NOT spelling, malformed text.
 */
#include <stdio.h>
#include <string.h>

#include "session/session_int.h"

static int failures;

/* a=passed b=completed c=failed d=incomplete e=not attempted f=browsed */
static char status_of(const char *id, size_t len, void *payload)
{
	static const char *const ids[] = {"a", "b", "c", "d", "e", "f", "item_10", "2b"};
	static const char codes[] = "pcfinbpi";
	size_t i;

	(void)payload;
	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		if (strlen(ids[i]) == len && memcmp(ids[i], id, len) == 0)
			return codes[i];
	return 0;
}

static void expect(const char *expr, int want)
{
	int got = somo__prereq_eval(expr, status_of, NULL);

	if (got != want) {
		fprintf(stderr, "'%s': want %d, got %d\n", expr, want, got);
		failures++;
	}
}

int main(void)
{
	expect("", 1);
	expect("   ", 1);
	expect("a", 1);
	expect("b", 1);
	expect("c", 0);
	expect("d", 0);
	expect("e", 0);
	expect("item_10", 1);
	expect("a&b", 1);
	expect("a & c", 0);
	expect("c|a", 1);
	expect("c|d", 0);
	expect("~c", 1);
	expect("~a", 0);
	expect("~~a", 1);
	expect("a|c&d", 1); /* & binds tighter */
	expect("(a|c)&d", 0);
	expect("c=failed", 1);
	expect("c = f", 1);
	expect("c=\"failed\"", 1);
	expect("d<>passed", 1);
	expect("a<>p", 0);
	expect("e=not attempted", 1);
	expect("e=n", 1);
	expect("f=browsed", 1);
	expect("{a,b}", 1);
	expect("{a,c}", 0);
	expect("2*{a,b,c}", 1);
	expect("3*{a,b,c}", 0);
	expect("1*{c,d,e}", 0);
	expect("2 * {a, c=failed, d}", 1);
	expect("2b", 0);
	expect("a AND b", 1);
	expect("(a AND c) OR b", 1);
	expect("NOT c and a", 1);
	/* malformed or naming no item: -1 (the caller treats it as no prerequisite) */
	expect("zz", -1);
	expect("a&", -1);
	expect("(a", -1);
	expect("a)", -1);
	expect("2*{a,b", -1);
	expect("c=maybe", -1);
	expect("a b", -1);
	{
		/* deep nesting is bounded */
		char deep[4096];
		memset(deep, '(', 2000);
		strcpy(deep + 2000, "a");
		expect(deep, -1);
	}
	printf("prerequisites: %d failures\n", failures);
	return failures ? 1 : 0;
}
