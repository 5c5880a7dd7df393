/* Allocation through the caller's hook (somo_set_alloc_funcs). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/util.h"

static somo_malloc_fn alloc_malloc = malloc;
static somo_realloc_fn alloc_realloc = realloc;
static somo_free_fn alloc_free = free;

SOMO_API void somo_set_alloc_funcs(somo_malloc_fn m, somo_realloc_fn r, somo_free_fn f)
{
	alloc_malloc = m ? m : malloc;
	alloc_realloc = r ? r : realloc;
	alloc_free = f ? f : free;
}

SOMO_API void somo_free(void *ptr)
{
	if (ptr)
		alloc_free(ptr);
}

void *somo__malloc(size_t n)
{
	void *p = alloc_malloc(n ? n : 1);
	if (!p)
		somo__error_oom();
	return p;
}

void *somo__calloc(size_t count, size_t size)
{
	void *p;

	if (size && count > SIZE_MAX / size) {
		somo__error_oom();
		return NULL;
	}
	if ((p = somo__malloc(count * size)) != NULL)
		memset(p, 0, count * size);
	return p;
}

void *somo__realloc(void *p, size_t n)
{
	void *q = alloc_realloc(p, n ? n : 1);
	if (!q)
		somo__error_oom();
	return q;
}

void somo__free(void *p)
{
	if (p)
		alloc_free(p);
}

char *somo__strndup(const char *s, size_t n)
{
	char *d;

	if (!s)
		return NULL;
	if ((d = somo__malloc(n + 1)) == NULL)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *somo__strdup(const char *s)
{
	return s ? somo__strndup(s, strlen(s)) : NULL;
}

char *somo__sprintf(const char *fmt, ...)
{
	somo__buf b = SOMO__BUF_INIT;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = somo__buf_vprintf(&b, fmt, ap);
	va_end(ap);
	if (rc < 0) {
		somo__buf_free(&b);
		return NULL;
	}
	return somo__buf_detach(&b);
}
