/*
 * Internal helpers shared by every module: allocation through the hook,
 * raising errors, growable buffers, small string helpers.
 * Names are somo__x: internal to the library, never exported.
 */
#ifndef SOMO_UTIL_UTIL_H
#define SOMO_UTIL_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "somo/common.h"

#define SOMO__ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#if defined(__GNUC__)
#define SOMO__PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define SOMO__PRINTF(f, a)
#endif

/* Allocation through the hook of somo_set_alloc_funcs(). */
void *somo__malloc(size_t n);
void *somo__calloc(size_t count, size_t size); /* zeroed; checks overflow */
void *somo__realloc(void *p, size_t n);
void somo__free(void *p);
char *somo__strdup(const char *s);            /* NULL in, NULL out */
char *somo__strndup(const char *s, size_t n);
char *somo__sprintf(const char *fmt, ...) SOMO__PRINTF(1, 2);

/*
 * Record the thread's last error and return code, so that a failing path
 * reads: return somo__error(SOMO_EINVAL, "bad element '%s'", name);
 */
int somo__error(int code, const char *fmt, ...) SOMO__PRINTF(2, 3);
int somo__error_oom(void);

/* Fill a diag (which may be NULL) and return code. */
int somo__diag(somo_diag *d, int code, const char *file, int line, int column,
	       const char *fmt, ...) SOMO__PRINTF(6, 7);

/* A growable byte buffer, always NUL-terminated when ptr is not NULL. */
typedef struct {
	char *ptr;
	size_t len;
	size_t cap;
} somo__buf;

#define SOMO__BUF_INIT {NULL, 0, 0}

int somo__buf_grow(somo__buf *b, size_t extra); /* room for extra more bytes + NUL */
int somo__buf_put(somo__buf *b, const void *data, size_t len);
int somo__buf_puts(somo__buf *b, const char *s);
int somo__buf_putc(somo__buf *b, char c);
int somo__buf_printf(somo__buf *b, const char *fmt, ...) SOMO__PRINTF(2, 3);
int somo__buf_vprintf(somo__buf *b, const char *fmt, va_list ap);
char *somo__buf_detach(somo__buf *b); /* caller frees with somo__free; "" when empty */
void somo__buf_clear(somo__buf *b);   /* len = 0, keeps memory */
void somo__buf_free(somo__buf *b);

/* Strings. */
bool somo__str_ieq(const char *a, const char *b); /* ASCII case-insensitive equality */
bool somo__str_starts(const char *s, const char *prefix);
/* Copy s without leading and trailing XML whitespace (space, tab, CR, LF). */
char *somo__str_trim_dup(const char *s);

#endif
