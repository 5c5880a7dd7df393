/*
 * The player's handling of what a browser sends, without the network:
 *   first byte 'p': the rest is a request path (after "/content/"): decoded
 *                   once and checked as the player does before any lookup;
 *                   what passes never holds a backslash, a control
 *                   character, a "." or ".." component or an absolute path
 *   'a','b','n','s': the rest is the JSON body of /_somo/api, beacon, nav or
 *                   state; when it is a JSON object it gets the launch token,
 *                   so that the calls reach a session on a small SCORM 2004
 *                   package (memory store) and its answer must be JSON
 */
#define _POSIX_C_SOURCE 200809L
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "player/player_int.h"

static somo_player *player;

static const char manifest[] =
    "<?xml version=\"1.0\"?>\n"
    "<manifest identifier=\"f\" version=\"1\" xmlns=\"http://www.imsglobal.org/xsd/imscp_v1p1\""
    " xmlns:adlcp=\"http://www.adlnet.org/xsd/adlcp_v1p3\">\n"
    "<metadata><schema>ADL SCORM</schema><schemaversion>2004 4th "
    "Edition</schemaversion></metadata>\n"
    "<organizations default=\"o\"><organization identifier=\"o\"><title>F</title>\n"
    "<item identifier=\"a\" identifierref=\"r\"><title>A</title></item>\n"
    "<item identifier=\"b\" identifierref=\"r\"><title>B</title></item>\n"
    "</organization></organizations>\n"
    "<resources><resource identifier=\"r\" type=\"webcontent\" adlcp:scormType=\"sco\""
    " href=\"index.html\"><file href=\"index.html\"/></resource></resources>\n"
    "</manifest>\n";

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		abort();
	fputs(text, f);
	fclose(f);
}

static void start(void)
{
	static char dir[64];
	somo_player_opts o = SOMO_PLAYER_OPTS_INIT;

	snprintf(dir, sizeof(dir), "/tmp/somo-fuzz-player-%ld", (long)getpid());
	mkdir(dir, 0700);
	write_file(dir, "imsmanifest.xml", manifest);
	write_file(dir, "index.html", "<!DOCTYPE html><title>F</title>");
	if (somo_player_new(&player, dir, &o) < 0) {
		fprintf(stderr, "fuzz_player: %s\n", somo_error_last()->message);
		abort();
	}
}

static void check_path(const char *raw)
{
	char *dec = NULL, *norm = NULL;
	size_t i;

	if (somo__player_decode_path(raw, &dec) < 0) {
		if (dec)
			abort();
		return;
	}
	for (i = 0; dec[i]; i++)
		if ((unsigned char)dec[i] < 0x20 || dec[i] == '\\' || dec[i] == 0x7f)
			abort();
	if (somo_package_check_name(dec, strlen(dec), NULL, &norm) == 0) {
		if (norm[0] == '/' || !strcmp(norm, "..") || somo__str_starts(norm, "../") ||
		    strstr(norm, "/../") || strstr(norm, "/./") || strstr(norm, "//"))
			abort();
		somo_free(norm);
	}
	somo__free(dec);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const routes[] = {"api", "beacon", "nav", "state"};
	const char *route = NULL;
	char *text;

	if (size < 1 || size > 1 << 16)
		return 0;
	if (!player)
		start();
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	switch (data[0]) {
	case 'p':
		check_path(text);
		break;
	case 'a':
		route = routes[0];
		break;
	case 'b':
		route = routes[1];
		break;
	case 'n':
		route = routes[2];
		break;
	case 's':
		route = routes[3];
		break;
	default:
		break;
	}
	if (route) {
		json_t *req = json_loadb(text, size - 1, JSON_REJECT_DUPLICATES, NULL);
		char *body = NULL;
		somo__reply r;

		if (json_is_object(req)) {
			json_object_set_new(req, "token", json_string(player->token));
			body = json_dumps(req, JSON_COMPACT);
		}
		memset(&r, 0, sizeof(r));
		somo__player_api(player, route, body ? body : text, body ? strlen(body) : size - 1,
		                 &r);
		if (r.body) {
			json_t *ans = json_loadb(r.body, r.body_len, 0, NULL);

			if (!ans)
				abort(); /* every answer with a body is JSON */
			json_decref(ans);
		} else if (r.status != 204) {
			abort();
		}
		somo__free(r.body);
		somo__free(r.etag);
		free(body);
		json_decref(req);
	}
	free(text);
	return 0;
}
