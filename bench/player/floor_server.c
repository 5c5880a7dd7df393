/*
 * The browser's floor for the SetValue benchmark: the least a libmicrohttpd
 * server can do for a synchronous XHR. It answers GET / with an empty page
 * and any other request (POST /api, GET /api?q=...) with the JSON the player answers a SetValue
 * with, after reading the body; nothing is parsed, nothing stored. Like the player it runs
 * libmicrohttpd on one thread (epoll) on 127.0.0.1, with keep-alive connections.
 *
 *   floor_server        prints "http://127.0.0.1:PORT/" and serves until SIGTERM
 */
#define _POSIX_C_SOURCE 200809L
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct MHD_Response *page, *json;

static enum MHD_Result answer(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *data,
                              size_t *size, void **state)
{
	static int seen;

	(void)cls;
	(void)version;
	(void)data;
	if (!*state) { /* the head: come back with the body */
		*state = &seen;
		return MHD_YES;
	}
	if (*size) { /* a piece of the body: dropped */
		*size = 0;
		return MHD_YES;
	}
	return MHD_queue_response(c, MHD_HTTP_OK,
	                          !strcmp(method, "GET") && !strcmp(url, "/") ? page : json);
}

int main(void)
{
	static const char html[] = "<!DOCTYPE html><title>floor</title>";
	static const char body[] = "{\"ret\":\"true\",\"err\":\"0\"}";
	struct sockaddr_in sa;
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	sigset_t set;
	int sig;

	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	page =
	    MHD_create_response_from_buffer(sizeof(html) - 1, (void *)html, MHD_RESPMEM_PERSISTENT);
	json =
	    MHD_create_response_from_buffer(sizeof(body) - 1, (void *)body, MHD_RESPMEM_PERSISTENT);
	if (!page || !json)
		return 1;
	MHD_add_response_header(page, "Content-Type", "text/html");
	MHD_add_response_header(json, "Content-Type", "application/json");
	MHD_add_response_header(json, "Cache-Control", "no-store");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	sigaddset(&set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &set, NULL); /* before the server's thread starts */
	d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL, 0, NULL, NULL, answer,
	                     NULL, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_END);
	if (!d || !(info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT))) {
		fprintf(stderr, "floor_server: cannot listen on 127.0.0.1\n");
		return 1;
	}
	printf("http://127.0.0.1:%u/\n", (unsigned)info->port);
	fflush(stdout);
	sigwait(&set, &sig);
	MHD_stop_daemon(d);
	MHD_destroy_response(page);
	MHD_destroy_response(json);
	return 0;
}
