/* UTF-8 checks and UUIDs. */
#define _POSIX_C_SOURCE 200809L /* open(O_CLOEXEC), read, close */

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

#include "util/text.h"
#include "util/util.h"

size_t somo__utf8_decode(const char *s, size_t len, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t c, min;
	size_t n, i;

	if (!s || len == 0)
		return 0;
	c = u[0];
	if (c < 0x80) {
		n = 1;
		min = 0;
	} else if (c >= 0xC2 && c <= 0xDF) {
		n = 2;
		c &= 0x1F;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		n = 3;
		c &= 0x0F;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		n = 4;
		c &= 0x07;
		min = 0x10000;
	} else {
		return 0; /* continuation byte, C0/C1 overlong lead, or F5..FF */
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((u[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (u[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	if (cp)
		*cp = c;
	return n;
}

bool somo__utf8_valid(const char *s, size_t len)
{
	size_t i = 0, n;

	if (!s)
		return len == 0;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		if ((n = somo__utf8_decode(s + i, len - i, NULL)) == 0)
			return false;
		i += n;
	}
	return true;
}

size_t somo__utf8_length(const char *s, size_t len)
{
	size_t i, count = 0;

	if (!s)
		return 0;
	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			count++;
	return count;
}

/* Fill buf from the kernel's generator: getrandom(2), else /dev/urandom. */
static int random_bytes(unsigned char *buf, size_t len)
{
	size_t got = 0;
	int fd;

	while (got < len) {
		ssize_t n = getrandom(buf + got, len - got, 0);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		break;
	}
	if (got == len)
		return 0;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) < 0)
		return somo__error(SOMO_EIO, "no source of randomness: %s", strerror(errno));
	while (got < len) {
		ssize_t n = read(fd, buf + got, len - got);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		close(fd);
		return somo__error(SOMO_EIO, "reading /dev/urandom failed");
	}
	close(fd);
	return 0;
}

int somo__uuid_v4(char out[37])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[16];
	size_t i, o = 0;
	int rc;

	if (!out)
		return somo__error(SOMO_EINVAL, "no buffer for the UUID");
	if ((rc = random_bytes(b, sizeof(b))) < 0)
		return rc;
	b[6] = (unsigned char)((b[6] & 0x0F) | 0x40); /* version 4 (RFC 9562 5.4) */
	b[8] = (unsigned char)((b[8] & 0x3F) | 0x80); /* variant 10 */
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			out[o++] = '-';
		out[o++] = hex[b[i] >> 4];
		out[o++] = hex[b[i] & 0x0F];
	}
	out[o] = '\0';
	return 0;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

bool somo__uuid_valid(const char *s)
{
	size_t i;

	if (!s)
		return false;
	for (i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!is_hex(s[i])) {
			return false;
		}
	}
	return s[36] == '\0';
}
