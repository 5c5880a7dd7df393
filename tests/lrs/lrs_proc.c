#define _POSIX_C_SOURCE 200809L
#include "lrs_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char *src_dir(void)
{
	const char *s = getenv("SOMO_SOURCE_DIR");
	return s && *s ? s : SOMO_SOURCE_DIR;
}

int lrs_available(void)
{
	char path[1024];
	if (system("node --version >/dev/null 2>&1") != 0) {
		fprintf(stderr, "skipped: node is not installed\n");
		return 77;
	}
	snprintf(path, sizeof path, "%s/tools/node_modules/xapi-statements/dist/server.js",
	         src_dir());
	if (access(path, R_OK) != 0) {
		snprintf(path, sizeof path, "%s/tools/node_modules/xapi-activities/dist/server.js",
		         src_dir());
		fprintf(stderr,
		        "skipped: tools/node_modules lacks the LRS (run scripts/deps.sh)\n");
		return 77;
	}
	return 0;
}

int lrs_start(lrs_proc *p, int port)
{
	char script[1024], portbuf[16], line[256];
	int fds[2];
	size_t got = 0;

	snprintf(script, sizeof script, "%s/tools/lrs/start-lrs.js", src_dir());
	snprintf(portbuf, sizeof portbuf, "%d", port);
	if (!p->dir[0]) {
		snprintf(p->dir, sizeof p->dir, "/tmp/somo-lrs-test-XXXXXX");
		if (!mkdtemp(p->dir))
			return -1;
	}
	if (pipe(fds) < 0)
		return -1;
	p->pid = fork();
	if (p->pid < 0)
		return -1;
	if (p->pid == 0) {
		char log[300];
		snprintf(log, sizeof log, "%s/lrs.log", p->dir);
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd >= 0)
			dup2(fd, 2);
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execlp("node", "node", script, portbuf, p->dir, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	/* Wait (at most 60 s) for "ready URL". */
	for (int waited = 0; waited < 60000 && got < sizeof line - 1;) {
		struct pollfd pf = {fds[0], POLLIN, 0};
		int r = poll(&pf, 1, 200);
		waited += 200;
		if (r <= 0)
			continue;
		ssize_t n = read(fds[0], line + got, sizeof line - 1 - got);
		if (n <= 0)
			break;
		got += (size_t)n;
		line[got] = '\0';
		if (strchr(line, '\n'))
			break;
	}
	close(fds[0]);
	line[got] = '\0';
	if (strncmp(line, "ready ", 6) != 0 || sscanf(line + 6, "%127s", p->url) != 1) {
		fprintf(stderr, "the test LRS did not start: '%s'\n", line);
		lrs_stop(p, 1);
		return -1;
	}
	p->port = atoi(strrchr(p->url, ':') + 1);
	return 0;
}

void lrs_stop(lrs_proc *p, int hard)
{
	if (p->pid <= 0)
		return;
	kill(p->pid, hard ? SIGKILL : SIGTERM);
	waitpid(p->pid, NULL, 0);
	p->pid = 0;
}
