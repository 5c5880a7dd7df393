/* UTF-8, UUIDs and identifiers (IRIs, language tags). All functions are
 * pure and thread-safe except somo__uuid_v4, which reads the kernel's
 * random generator; none of them sets the last error on a plain "false". */
#ifndef SOMO_UTIL_TEXT_H
#define SOMO_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF) in the len
 * bytes at s, NULs included. s NULL is valid only with len 0. */
bool somo__utf8_valid(const char *s, size_t len);
/* Number of code points in well-formed UTF-8 (for ill-formed input: the
 * number of bytes that are not continuation bytes). */
size_t somo__utf8_length(const char *s, size_t len);
/* Decode the code point at s (len bytes available): its length in bytes
 * (1..4) with *cp set (cp may be NULL), or 0 when the bytes there are not
 * well-formed UTF-8 or len is 0. */
size_t somo__utf8_decode(const char *s, size_t len, uint32_t *cp);

/* A random (version 4, RFC 9562) UUID, lowercase, 36 characters + NUL, from
 * getrandom(2), or /dev/urandom where that is missing. Returns 0, SOMO_EIO
 * when no randomness is to be had, SOMO_EINVAL for out NULL. */
int somo__uuid_v4(char out[37]);
/* A UUID in 8-4-4-4-12 hex form (any version, either case), nothing around
 * it (no braces, no "urn:uuid:"). NULL is not valid. */
bool somo__uuid_valid(const char *s);

/* An absolute IRI (RFC 3987 2.2: scheme ":" ihier-part ["?" iquery]
 * ["#" ifragment]), as xAPI and cmi5 require: well-formed UTF-8 of ucschar
 * (iprivate in the query only), percent-escapes with two hex digits, IPv6
 * and IPvFuture literals, a numeric port. No space, no control character,
 * no backslash, '"', '<', '>', '^', '`', '{', '|', '}'. NULL is not valid. */
bool somo__iri_valid(const char *s);
/* A well-formed RFC 5646 language tag (as used in language maps and
 * {lang=}): the ABNF of 2.1, any case, with the grandfathered tags
 * (i-klingon, en-GB-oed, zh-min-nan, ...) and private use (x-...). Subtags
 * are not looked up in the IANA registry. At most 64 subtags. NULL and ""
 * are not valid. */
bool somo__langtag_valid(const char *s);

#endif
