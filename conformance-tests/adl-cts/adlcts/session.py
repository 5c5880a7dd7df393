"""A `somo session` process driven through pipes with the JSON-lines protocol of DESIGN.md
("The scripted session harness"): API calls, navigate and state. Every line sent and
received is kept in a transcript shared by the processes of one case."""

import json
import select
import subprocess
import tempfile
import time

from .rte import RteError

API_CALLS = ("Initialize", "Terminate", "GetValue", "SetValue", "Commit", "GetLastError",
             "GetErrorString", "GetDiagnostic")


class Session:
    """One `somo session PACKAGE --db DB --learner ID` process (one launch of a package)."""

    def __init__(self, somo, package_dir, db, learner, name, seed, transcript, label,
                 deadline, call_timeout=10.0):
        self.transcript = transcript
        self.label = label
        self.deadline = deadline
        self.call_timeout = call_timeout
        self.stderr = tempfile.TemporaryFile()
        self.argv = [somo, "session", package_dir, "--db", db, "--learner", learner,
                     "--name", name, "--seed", str(seed)]
        self.transcript.append("%s $ somo session %s --db ... --learner %s --seed %s" % (
            label, package_dir.rsplit("/", 1)[-1], learner, seed))
        self.proc = subprocess.Popen(self.argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=self.stderr, bufsize=0)
        self.dead = None

    def _timeout(self):
        left = self.deadline - time.monotonic()
        return max(0.0, min(self.call_timeout, left))

    def call(self, call):
        """Send one call (a list of strings); the reply object, or raise RteError. API calls
        must answer string ret and err; navigate must answer ok; state must answer current."""
        if self.dead:
            raise RteError(self.dead)
        line = json.dumps(call, ensure_ascii=False)
        self.transcript.append("%s > %s" % (self.label, _clip(line)))
        try:
            self.proc.stdin.write((line + "\n").encode("utf-8"))
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError):
            self._die("the process closed its input")
        timeout = self._timeout()
        r, _, _ = select.select([self.proc.stdout], [], [], timeout)
        if not r:
            self._die("no answer within %.0fs (hanging?)" % timeout)
        out = self.proc.stdout.readline()
        if not out:
            self._die("the process ended without answering")
        self.transcript.append("%s < %s" % (self.label, _clip(out.decode("utf-8", "replace").rstrip("\n"))))
        try:
            reply = json.loads(out.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise RteError("unreadable answer %r: %s" % (out[:200], e))
        if not isinstance(reply, dict):
            raise RteError("answer is not a JSON object: %r" % out[:200])
        if "error" in reply:
            raise RteError("protocol error: %s" % reply["error"])
        if call[0] in API_CALLS:
            for k in ("ret", "err"):
                if not isinstance(reply.get(k), str):
                    raise RteError("answer without string %r: %r" % (k, out[:200]))
        elif call[0] == "navigate":
            if not isinstance(reply.get("ok"), bool):
                raise RteError("navigate answer without ok: %r" % out[:200])
        elif call[0] == "state":
            if "current" not in reply:
                raise RteError("state answer without current: %r" % out[:200])
        return reply

    def _die(self, why):
        code = self.proc.poll()
        if code is None and "no answer" in why:
            self.proc.kill()
            self.proc.wait()
        elif code is not None:
            why += " (exit status %d%s)" % (code, self._stderr_tail())
        self.dead = why
        self.transcript.append("%s ! %s" % (self.label, why))
        raise RteError(why)

    def _stderr_tail(self):
        try:
            self.stderr.seek(0)
            tail = self.stderr.read()[-300:].decode("utf-8", "replace").strip()
        except (OSError, ValueError):
            tail = ""
        return ": " + tail if tail else ""

    def close(self):
        """Close standard input and wait: raise RteError unless the exit status is 0."""
        try:
            self.proc.stdin.close()
        except OSError:
            pass
        try:
            code = self.proc.wait(timeout=max(1.0, self._timeout()))
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            self.transcript.append("%s ! did not exit after the end of its input" % self.label)
            raise RteError("did not exit after the end of its input")
        finally:
            self.proc.stdout.close()
        self.transcript.append("%s $ exit status %d" % (self.label, code))
        if code != 0:
            msg = "exit status %d%s" % (code, self._stderr_tail())
            self.stderr.close()
            raise RteError(msg)
        self.stderr.close()
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        for f in (self.proc.stdin, self.proc.stdout, self.stderr):
            try:
                f.close()
            except (OSError, ValueError):
                pass


def _clip(s, n=300):
    return s if len(s) <= n else s[:n] + "...(%d chars)" % len(s)
