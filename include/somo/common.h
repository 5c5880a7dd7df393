/*
 * Somo: what every part of the library shares: export macro, error codes,
 * the thread-local last error, diagnostics and the allocator hook.
 */
#ifndef SOMO_COMMON_H
#define SOMO_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#if defined(SOMO_BUILDING) && defined(__GNUC__)
#define SOMO_API __attribute__((visibility("default")))
#else
#define SOMO_API
#endif

/**
 * Error codes returned by Somo functions: 0 is success, every error is
 * negative. Append only: the values are part of the ABI.
 *
 * SCORM's own error codes (101 ... 408) are not these: they are state of a
 * runtime handle, read with its GetLastError.
 */
typedef enum {
	SOMO_OK = 0,
	SOMO_ERROR = -1,     /**< generic failure */
	SOMO_ENOMEM = -2,    /**< out of memory */
	SOMO_EINVAL = -3,    /**< invalid argument */
	SOMO_ENOTFOUND = -4, /**< no such entry, element or file */
	SOMO_EIO = -5,       /**< reading or writing failed */
	SOMO_EPARSE = -6,    /**< input is not well formed (see somo_diag) */
	SOMO_EINVALID = -7,  /**< well formed but breaks the standard */
	SOMO_ELIMIT = -8,    /**< a size or count limit was exceeded */
	SOMO_EUNSAFE = -9,   /**< a hostile or unsafe input was refused */
	SOMO_EEXISTS = -10,  /**< already exists */
	SOMO_EUNSUPPORTED = -11, /**< a valid input Somo does not handle */
	SOMO_ESTATE = -12,   /**< the call is not allowed in the handle's state */
	SOMO_ENET = -13,     /**< network failure */
	SOMO_EAUTH = -14,    /**< authentication or authorisation refused */
	SOMO_EBUSY = -15,    /**< resource busy, try again */
	SOMO_ECORRUPT = -16, /**< stored data is damaged or foreign */
	SOMO_EFULL = -17,    /**< a bounded store is full */
	SOMO_ECONFLICT = -18 /**< a precondition (ETag, version) failed */
} somo_error_code;

/** The last error raised on the calling thread. */
typedef struct {
	int code;            /**< a somo_error_code */
	const char *message; /**< never NULL; valid until the next failing call on this thread */
} somo_error;

/**
 * The last error raised on this thread. Never NULL: when no error was raised
 * the code is SOMO_OK and the message is empty. Thread-local.
 */
SOMO_API const somo_error *somo_error_last(void);

/** Forget this thread's last error. */
SOMO_API void somo_error_clear(void);

/** A short constant English name of an error code ("out of memory"). */
SOMO_API const char *somo_strerror(int code);

/** Where a parser found a problem, filled by parsing functions on failure. */
typedef struct {
	char file[256]; /**< file inside the package, or "" */
	int line;       /**< 1-based, 0 when unknown */
	int column;     /**< 1-based, 0 when unknown */
	char text[512]; /**< the problem, in words */
} somo_diag;

/**
 * Allocator hook, in the manner of jansson's json_set_alloc_funcs. Set it once
 * before any other Somo call, on one thread; NULL functions restore the C
 * library's. Memory given by Somo to the caller is released with somo_free().
 */
typedef void *(*somo_malloc_fn)(size_t size);
typedef void *(*somo_realloc_fn)(void *ptr, size_t size);
typedef void (*somo_free_fn)(void *ptr);
SOMO_API void somo_set_alloc_funcs(somo_malloc_fn m, somo_realloc_fn r, somo_free_fn f);

/** Release memory that a Somo function returned to the caller. NULL is a no-op. */
SOMO_API void somo_free(void *ptr);

/** The library's version string ("0.1.0"), which may differ from the headers'. */
SOMO_API const char *somo_version(void);

/** The library's version number as 0xMMmmpp. */
SOMO_API unsigned somo_version_num(void);

#ifdef __cplusplus
}
#endif
#endif
