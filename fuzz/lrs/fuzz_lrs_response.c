/*
 * Fuzz the LRS client's response handling. The input is an HTTP response
 * as the wire has it: header lines up to an empty line, then the body.
 * The first byte picks which request it answers (about, a POST of two
 * statements, a statement query, a document), as the client would read it.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lrs/lrs_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	somo__lrs_resp r = {0};
	const char *p, *end;
	unsigned which;

	if (size < 1)
		return 0;
	which = data[0] % 4;
	p = (const char *)data + 1;
	end = (const char *)data + size;
	r.max_body = 1 << 16;

	/* Headers: lines up to the first empty one. */
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p + 1) : (size_t)(end - p);
		if (len <= 2 && (p[0] == '\n' || p[0] == '\r')) {
			p += len;
			break;
		}
		somo__lrs_resp_header(&r, p, len);
		p += len;
	}
	/* The body, in two writes as curl may give it. */
	size_t blen = (size_t)(end - p);
	somo__lrs_resp_body(&r, p, blen / 2);
	somo__lrs_resp_body(&r, p + blen / 2, blen - blen / 2);

	const char *body = r.body.ptr;
	size_t len = r.body.len;
	somo__lrs_verdict v = somo__lrs_classify(0, r.status);
	char *msg = somo__lrs_error_message(r.status, r.content_type, body, len);
	if (msg && strlen(msg) > SOMO__LRS_MESSAGE_MAX + 16)
		__builtin_trap();
	somo__free(msg);

	switch (which) {
	case 0: {
		char ver[32];
		if (somo__lrs_parse_about(body, len, ver, sizeof ver) == 0 &&
		    strcmp(ver, "1.0.3") != 0 && strcmp(ver, "2.0.0") != 0)
			__builtin_trap();
		break;
	}
	case 1: {
		static const char *const ids[] = {"6690e6c9-3ef0-4ed3-8b37-7f3964730bee",
		                                  "a690e6c9-3ef0-4ed3-8b37-7f3964730bee"};
		(void)v;
		somo__lrs_parse_ids(body, len, ids, 2);
		break;
	}
	case 2: {
		json_t *arr = NULL;
		char *more = NULL, *url = NULL;
		if (somo__lrs_parse_result(body, len, &arr, &more) == 0 && more) {
			if (somo__lrs_resolve_more("http://127.0.0.1:8080/xAPI/", more, &url) ==
			        0 &&
			    strncmp(url, "http://127.0.0.1:8080", 21) != 0)
				__builtin_trap(); /* credentials would go to another host */
			somo__free(url);
		}
		json_decref(arr);
		somo__free(more);
		break;
	}
	default:
		/* A document: the ETag kept is printable and bounded. */
		for (const char *e = r.etag; *e; e++)
			if ((unsigned char)*e < 0x20)
				__builtin_trap();
		break;
	}
	somo__buf_free(&r.body);
	return 0;
}
