/* The launcher's files, compiled in from lib/player/assets (embed-assets.cmake). */
#ifndef SOMO_PLAYER_ASSETS_H
#define SOMO_PLAYER_ASSETS_H

#include <stddef.h>

typedef struct {
	const char *name;           /* file name, e.g. "launcher.js" */
	const unsigned char *bytes; /* followed by a NUL not counted in size */
	size_t size;
} somo__player_asset;

/* Every asset, ending with {NULL, NULL, 0}. */
extern const somo__player_asset somo__player_assets[];

#endif
