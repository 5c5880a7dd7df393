/* The list of problems validation found, each a JSON path and a message. */
#include <string.h>

#include "xapi/xapi_internal.h"

typedef struct {
	char *path;    /* path, NUL, message, NUL in one block */
	char *message; /* points into the same block */
} problem;

struct somo_xapi_problems {
	problem *items;
	size_t count, cap;
};

somo_xapi_problems *somo__xapi_problems_new(void)
{
	return somo__calloc(1, sizeof(somo_xapi_problems));
}

int somo__xapi_problems_add(somo_xapi_problems *p, const char *path, const char *message)
{
	size_t lp = strlen(path), lm = strlen(message);
	char *block;

	if (p->count == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 8;
		problem *items = somo__realloc(p->items, cap * sizeof(*items));
		if (items == NULL)
			return somo__error_oom();
		p->items = items;
		p->cap = cap;
	}
	if ((block = somo__malloc(lp + lm + 2)) == NULL)
		return somo__error_oom();
	memcpy(block, path, lp + 1);
	memcpy(block + lp + 1, message, lm + 1);
	p->items[p->count].path = block;
	p->items[p->count].message = block + lp + 1;
	p->count++;
	return 0;
}

SOMO_API size_t somo_xapi_problems_count(const somo_xapi_problems *p)
{
	return p ? p->count : 0;
}

SOMO_API const char *somo_xapi_problems_path(const somo_xapi_problems *p, size_t i)
{
	return p && i < p->count ? p->items[i].path : NULL;
}

SOMO_API const char *somo_xapi_problems_message(const somo_xapi_problems *p, size_t i)
{
	return p && i < p->count ? p->items[i].message : NULL;
}

SOMO_API void somo_xapi_problems_free(somo_xapi_problems *p)
{
	size_t i;

	if (p == NULL)
		return;
	for (i = 0; i < p->count; i++)
		somo__free(p->items[i].path);
	somo__free(p->items);
	somo__free(p);
}
