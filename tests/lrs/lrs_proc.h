/* Tests: the test LRS (tools/lrs/start-lrs.js) as a child process. */
#ifndef SOMO_TEST_LRS_PROC_H
#define SOMO_TEST_LRS_PROC_H

#include <sys/types.h>

typedef struct {
	pid_t pid;
	int port;
	char url[128];
	char dir[256];
} lrs_proc;

/* 0 when node and tools/node_modules are there, 77 (skip) otherwise. */
int lrs_available(void);

/* Start the LRS on port (0: any free one) and wait until it listens.
 * Returns 0, or -1 with a message on stderr. */
int lrs_start(lrs_proc *p, int port);

/* SIGKILL (hard) or SIGTERM, and reap. */
void lrs_stop(lrs_proc *p, int hard);

#endif
