/*
 * Member names: what an archive may call its members, and their one
 * normalised spelling ('/' separated, no "." or empty components).
 */
#include <stdio.h>
#include <string.h>

#include "package/package_int.h"
#include "util/text.h"

void somo__pkg_opts_resolve(somo_package_opts *out, const somo_package_opts *in)
{
	somo_package_opts o = SOMO_PACKAGE_OPTS_INIT;

	if (in)
		o = *in;
	if (!o.max_entries)
		o.max_entries = SOMO__PKG_MAX_ENTRIES;
	if (!o.max_total_size)
		o.max_total_size = SOMO__PKG_MAX_TOTAL;
	if (!o.max_entry_size)
		o.max_entry_size = SOMO__PKG_MAX_ENTRY;
	if (!o.max_ratio)
		o.max_ratio = SOMO__PKG_MAX_RATIO;
	if (!o.max_depth)
		o.max_depth = SOMO__PKG_MAX_DEPTH;
	if (!o.max_name_length)
		o.max_name_length = SOMO__PKG_MAX_NAME;
	if (!o.ratio_min_size)
		o.ratio_min_size = SOMO__PKG_RATIO_MIN_SIZE;
	*out = o;
}

void somo__pkg_quote(const char *s, size_t len, char *out, size_t outsz)
{
	size_t o = 0, i;

	if (outsz == 0)
		return;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (o + 8 >= outsz) {
			/* Room is left for "..." and the NUL. */
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (c < 0x20 || c == 0x7f || c == '\\' || c == '\'') {
			snprintf(out + o, outsz - o, "\\x%02x", c);
			o += 4;
		} else {
			out[o++] = (char)c;
		}
	}
	out[o] = '\0';
}

static bool is_drive_letter(const char *s, size_t len)
{
	return len >= 2 && ((s[0] >= 'A' && s[0] <= 'Z') || (s[0] >= 'a' && s[0] <= 'z')) &&
	       s[1] == ':';
}

int somo__pkg_check_name(const char *name, size_t len, const somo_package_opts *opts,
                         char **normalised, bool *is_dir)
{
	somo_package_opts o;
	char q[160];
	char *norm;
	size_t i, start, n = 0;
	uint32_t depth = 0;

	somo__pkg_opts_resolve(&o, opts);
	if (normalised)
		*normalised = NULL;
	if (is_dir)
		*is_dir = false;
	if (!name)
		return somo__error(SOMO_EINVAL, "member name is NULL");
	somo__pkg_quote(name, len, q, sizeof(q));
	if (len == 0)
		return somo__error(SOMO_EUNSAFE, "member '': the name is empty");
	if (len > o.max_name_length)
		return somo__error(SOMO_ELIMIT,
		                   "member '%s': the name is %zu bytes long (limit %u)", q, len,
		                   (unsigned)o.max_name_length);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)name[i];
		if (c == '\0')
			return somo__error(SOMO_EUNSAFE, "member '%s': NUL byte in the name", q);
		if (c == '\\')
			return somo__error(SOMO_EUNSAFE,
			                   "member '%s': backslash in the name (a Windows path "
			                   "separator, refused)",
			                   q);
		if (c < 0x20 || c == 0x7f)
			return somo__error(SOMO_EUNSAFE,
			                   "member '%s': control character 0x%02x in the name", q,
			                   c);
	}
	if (!somo__utf8_valid(name, len))
		return somo__error(SOMO_EUNSAFE, "member '%s': the name is not valid UTF-8", q);
	if (name[0] == '/')
		return somo__error(SOMO_EUNSAFE, "member '%s': absolute path", q);
	if (is_drive_letter(name, len))
		return somo__error(SOMO_EUNSAFE, "member '%s': drive letter in the path", q);

	if ((norm = somo__malloc(len + 1)) == NULL)
		return SOMO_ENOMEM;
	for (start = 0; start <= len; start = i + 1) {
		size_t clen;
		for (i = start; i < len && name[i] != '/'; i++)
			;
		clen = i - start;
		if (clen == 0 || (clen == 1 && name[start] == '.'))
			continue;
		if (clen == 2 && name[start] == '.' && name[start + 1] == '.') {
			somo__free(norm);
			return somo__error(
			    SOMO_EUNSAFE, "member '%s': '..' in the path climbs out of the package",
			    q);
		}
		if (++depth > o.max_depth) {
			somo__free(norm);
			return somo__error(SOMO_ELIMIT,
			                   "member '%s': the path is more than %u folders deep", q,
			                   (unsigned)o.max_depth);
		}
		if (n)
			norm[n++] = '/';
		memcpy(norm + n, name + start, clen);
		n += clen;
	}
	norm[n] = '\0';
	if (n == 0) {
		somo__free(norm);
		return somo__error(SOMO_EUNSAFE, "member '%s': the name names no file", q);
	}
	if (is_drive_letter(norm, n)) {
		/* "./C:/x" is a drive letter too once normalised. */
		somo__free(norm);
		return somo__error(SOMO_EUNSAFE, "member '%s': drive letter in the path", q);
	}
	if (is_dir)
		*is_dir = name[len - 1] == '/';
	if (normalised)
		*normalised = norm;
	else
		somo__free(norm);
	return 0;
}

SOMO_API int somo_package_check_name(const char *name, size_t len, const somo_package_opts *opts,
                                     char **normalised)
{
	return somo__pkg_check_name(name, len, opts, normalised, NULL);
}
