/*
 * The store's internals shared by its files: the built-in backends and what
 * the tests reach (schema versions, making an older file).
 */
#ifndef SOMO_STORE_STORE_INT_H
#define SOMO_STORE_STORE_INT_H

#include "somo/sys/store.h"

/* "SOMO": PRAGMA application_id of a Somo store. */
#define SOMO__STORE_APPLICATION_ID 0x534F4D4F
/* The schema version this library writes (PRAGMA user_version). */
#define SOMO__STORE_SCHEMA_VERSION 3

extern const somo_store_backend somo__store_sqlite_backend;
extern const somo_store_backend somo__store_memory_backend;

/* Open the SQLite backend's handle on path with resolved options (every
 * field set). */
int somo__store_sqlite_open(void **impl, const char *path, const somo_store_opts *o);
/* Open an empty memory backend handle. */
int somo__store_memory_open(void **impl);

/* Create a new store file at path with the schema of an older version
 * (1 .. SOMO__STORE_SCHEMA_VERSION), as that version of Somo made it; for
 * the migration tests. */
int somo__store_sqlite_create_at(const char *path, int version);

#endif
