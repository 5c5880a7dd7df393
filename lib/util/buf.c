/* Growable buffers and small string helpers. */
#include <stdio.h>
#include <string.h>

#include "util/util.h"

int somo__buf_grow(somo__buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (extra > SIZE_MAX - b->len - 1)
		return somo__error_oom();
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	if ((p = somo__realloc(b->ptr, cap)) == NULL)
		return SOMO_ENOMEM;
	b->ptr = p;
	b->cap = cap;
	return 0;
}

int somo__buf_put(somo__buf *b, const void *data, size_t len)
{
	int rc;

	if ((rc = somo__buf_grow(b, len)) < 0)
		return rc;
	if (len)
		memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
	return 0;
}

int somo__buf_puts(somo__buf *b, const char *s)
{
	return somo__buf_put(b, s, strlen(s));
}

int somo__buf_putc(somo__buf *b, char c)
{
	return somo__buf_put(b, &c, 1);
}

int somo__buf_vprintf(somo__buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n, rc;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		return somo__error(SOMO_EINVAL, "bad format string");
	if ((rc = somo__buf_grow(b, (size_t)n)) < 0)
		return rc;
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

int somo__buf_printf(somo__buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = somo__buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

char *somo__buf_detach(somo__buf *b)
{
	char *p = b->ptr;

	if (!p)
		p = somo__strdup("");
	b->ptr = NULL;
	b->len = b->cap = 0;
	return p;
}

void somo__buf_clear(somo__buf *b)
{
	b->len = 0;
	if (b->ptr)
		b->ptr[0] = '\0';
}

void somo__buf_free(somo__buf *b)
{
	somo__free(b->ptr);
	b->ptr = NULL;
	b->len = b->cap = 0;
}

bool somo__str_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a, y = *b;
		if (x >= 'A' && x <= 'Z')
			x = (char)(x - 'A' + 'a');
		if (y >= 'A' && y <= 'Z')
			y = (char)(y - 'A' + 'a');
		if (x != y)
			return false;
	}
	return *a == *b;
}

bool somo__str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool is_xml_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

char *somo__str_trim_dup(const char *s)
{
	const char *e;

	if (!s)
		return NULL;
	while (is_xml_space(*s))
		s++;
	e = s + strlen(s);
	while (e > s && is_xml_space(e[-1]))
		e--;
	return somo__strndup(s, (size_t)(e - s));
}
