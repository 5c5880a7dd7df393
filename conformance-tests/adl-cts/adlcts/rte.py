"""A `somo rte` process driven through pipes with the JSON-lines protocol of DESIGN.md."""

import json
import os
import select
import subprocess
import tempfile


class RteError(Exception):
    pass


class Rte:
    """One runtime process: one delivery (session) of one SCO."""

    def __init__(self, somo, args, timeout=30.0):
        self.timeout = timeout
        self.stderr = tempfile.TemporaryFile()
        self.argv = [somo, "rte"] + list(args)
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, bufsize=0)
        self.dead = None

    def call(self, call):
        """Send one call (a list of strings); the reply object, or raise RteError."""
        if self.dead:
            raise RteError(self.dead)
        line = json.dumps(call, ensure_ascii=False) + "\n"
        try:
            self.proc.stdin.write(line.encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._die("the process closed its input")
        r, _, _ = select.select([self.proc.stdout], [], [], self.timeout)
        if not r:
            self._die("no answer within %gs" % self.timeout)
        out = self.proc.stdout.readline()
        if not out:
            self._die("the process ended without answering")
        try:
            reply = json.loads(out.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise RteError("unreadable answer %r: %s" % (out[:200], e))
        if not isinstance(reply, dict):
            raise RteError("answer is not a JSON object: %r" % out[:200])
        if "error" in reply:
            raise RteError("protocol error: %s" % reply["error"])
        for k in ("ret", "err"):
            if not isinstance(reply.get(k), str):
                raise RteError("answer without string %r: %r" % (k, out[:200]))
        return reply

    def _die(self, why):
        code = self.proc.poll()
        if code is not None:
            why += " (exit status %d%s)" % (code, self._stderr_tail())
        self.dead = why
        raise RteError(why)

    def _stderr_tail(self):
        try:
            self.stderr.seek(0)
            tail = self.stderr.read()[-300:].decode("utf-8", "replace").strip()
        except OSError:
            tail = ""
        return ": " + tail if tail else ""

    def close(self):
        """Close standard input and wait: the exit status, or raise RteError."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise RteError("did not exit after the end of its input")
        finally:
            self.proc.stdout.close()
        if code != 0:
            msg = "exit status %d%s" % (code, self._stderr_tail())
            self.stderr.close()
            raise RteError(msg)
        self.stderr.close()
        return code


def write_json(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=1)
    os.replace(tmp, path)
