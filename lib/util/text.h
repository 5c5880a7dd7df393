/* UTF-8, UUIDs and identifiers (IRIs, language tags). */
#ifndef SOMO_UTIL_TEXT_H
#define SOMO_UTIL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF). */
bool somo__utf8_valid(const char *s, size_t len);
/* Number of code points in well-formed UTF-8 (for ill-formed input: the
 * number of bytes that are not continuation bytes). */
size_t somo__utf8_length(const char *s, size_t len);
/* Decode the code point at s (len bytes available): its length in bytes
 * (1..4) with *cp set (cp may be NULL), or 0 when the bytes there are not
 * well-formed UTF-8 or len is 0. */
size_t somo__utf8_decode(const char *s, size_t len, uint32_t *cp);

/* A random (version 4) UUID, lowercase, 36 characters + NUL. Returns 0 or
 * SOMO_EIO when no randomness is to be had. */
int somo__uuid_v4(char out[37]);
/* A UUID in 8-4-4-4-12 hex form (any version, either case). */
bool somo__uuid_valid(const char *s);

/* An absolute IRI (RFC 3987: scheme ":" ...), as xAPI and cmi5 require. */
bool somo__iri_valid(const char *s);
/* An RFC 5646 language tag (as used in language maps and {lang=}). */
bool somo__langtag_valid(const char *s);

#endif
