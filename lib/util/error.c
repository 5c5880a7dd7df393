/* The thread-local last error, in the manner of libgit2's git_error_last(). */
#include <stdio.h>
#include <string.h>

#include "somo/version.h"
#include "util/util.h"

#define ERROR_MAX 1024

static _Thread_local char error_text[ERROR_MAX];
static _Thread_local somo_error error_last = {SOMO_OK, ""};

static const char *const error_names[] = {
	"success",
	"error",
	"out of memory",
	"invalid argument",
	"not found",
	"input/output error",
	"parse error",
	"invalid",
	"limit exceeded",
	"unsafe input refused",
	"already exists",
	"unsupported",
	"not allowed in this state",
	"network error",
	"authentication refused",
	"busy",
	"corrupt or foreign data",
	"full",
	"conflict",
};

SOMO_API const somo_error *somo_error_last(void)
{
	if (error_last.message == NULL)
		error_last.message = "";
	return &error_last;
}

SOMO_API void somo_error_clear(void)
{
	error_text[0] = '\0';
	error_last.code = SOMO_OK;
	error_last.message = error_text;
}

SOMO_API const char *somo_strerror(int code)
{
	if (code <= 0 && (size_t)-code < SOMO__ARRAY_SIZE(error_names))
		return error_names[-code];
	return "unknown error";
}

static void error_vset(int code, const char *fmt, va_list ap)
{
	if (fmt)
		vsnprintf(error_text, sizeof(error_text), fmt, ap);
	else
		snprintf(error_text, sizeof(error_text), "%s", somo_strerror(code));
	error_last.code = code;
	error_last.message = error_text;
}

int somo__error(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(code, fmt, ap);
	va_end(ap);
	return code;
}

int somo__error_oom(void)
{
	/* No formatting and no allocation: this must work when memory is gone. */
	snprintf(error_text, sizeof(error_text), "out of memory");
	error_last.code = SOMO_ENOMEM;
	error_last.message = error_text;
	return SOMO_ENOMEM;
}

int somo__diag(somo_diag *d, int code, const char *file, int line, int column,
	       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(code, fmt, ap);
	va_end(ap);
	if (d) {
		snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
		d->line = line;
		d->column = column;
		snprintf(d->text, sizeof(d->text), "%s", error_text);
	}
	return code;
}

SOMO_API const char *somo_version(void)
{
	return SOMO_VERSION_STRING;
}

SOMO_API unsigned somo_version_num(void)
{
	return SOMO_VERSION_NUM;
}
