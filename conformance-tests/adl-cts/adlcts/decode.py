"""Decoding one CTS command line (METHOD->arg->expectedReturn->expectedErrorCode)
into the API call to make and what ADL's suite expects of it (CTS-FORMAT.md section 3)."""

METHODS = {
    "I": "Initialize",
    "C": "Commit",
    "GET": "GetValue",
    "SET": "SetValue",
    "GES": "GetErrorString",
    "GeDi": "GetDiagnostic",
    "GLE": "GetLastError",
    "COI": "CompareObjectiveIds",
}


def java_split(s, sep):
    """String.split with a literal separator: trailing empty parts are dropped."""
    parts = s.split(sep)
    while len(parts) > 1 and parts[-1] == "":
        parts.pop()
    if parts == [""]:
        return [""]
    return parts


class Command:
    """A decoded command. kind is the CTS head (GET, SET, ...) or None when skipped."""

    def __init__(self, raw, key=""):
        self.raw = raw
        self.key = key             # "Act1V1.commands.3"
        self.head = None
        self.method = None         # API method name
        self.element = None        # GetValue / SetValue element (may hold &id&)
        self.value = None          # SetValue value
        self.arg = None            # Initialize / Commit / GetErrorString / GetDiagnostic argument
        self.itype = None          # interaction type given as X!TY.m, for comparison
        self.expected_ret = ""
        self.expected_err = ""
        self.learner_field = None  # "id" / "name" when the expected value is the learner's
        self.obj_ids = None        # COI: the objective ids
        self.skip_reason = None

    @property
    def skipped(self):
        return self.skip_reason is not None

    def call(self):
        """The JSON-lines call as a list of strings (element already resolved by the caller)."""
        if self.method == "GetValue":
            return ["GetValue", self.element]
        if self.method == "SetValue":
            return ["SetValue", self.element, self.value]
        if self.method == "GetLastError":
            return ["GetLastError"]
        return [self.method, self.arg]

    def describe(self):
        if self.method == "GetValue":
            return 'GetValue("%s")' % self.element
        if self.method == "SetValue":
            v = self.value if len(self.value) <= 80 else self.value[:77] + "..."
            return 'SetValue("%s", "%s")' % (self.element, v)
        if self.method == "GetLastError":
            return "GetLastError()"
        if self.method == "CompareObjectiveIds":
            return "compare objective ids %s" % ",".join(self.obj_ids or [])
        return '%s("%s")' % (self.method, self.arg)


class Decoder:
    def __init__(self, table, learner_id, learner_name):
        self.table = table
        self.learner_id = learner_id
        self.learner_name = learner_name

    def token(self, tok):
        """A table lookup: a key that is not in the table resolves to itself."""
        return self.table.get(tok, tok)

    def expected_token(self, tok):
        """Expected values: decoded, but a token that decodes to "" stays as written."""
        v = self.table.get(tok, tok)
        if v == "" and tok != "":
            return tok
        return v

    def segments(self, part, cmd=None):
        """'c~OB~0~ID' -> 'cmi.objectives.0.id'; 'tar~X' -> '{target=X}';
        a segment 'X!TY.m' records the interaction type given for comparison."""
        segs = part.split("~")
        out = []
        i = 0
        while i < len(segs):
            s = segs[i]
            if cmd is not None and "!" in s:
                s, t = s.split("!", 1)
                cmd.itype = self.token(t)
            v = self.token(s)
            if "%s" in v:
                arg = segs[i + 1] if i + 1 < len(segs) else ""
                v = v.replace("%s", arg, 1)
                i += 1
            out.append(v)
            i += 1
        return ".".join(out)

    def decode(self, raw, key=""):
        cmd = Command(raw, key)
        parts = java_split(raw, "->")
        head = parts[0]
        if head not in METHODS:
            cmd.skip_reason = "unknown head %r (the CTS skips it)" % head[:30]
            return cmd
        cmd.head = head
        cmd.method = METHODS[head]

        def part(i):
            return parts[i] if i < len(parts) else ""

        if head in ("I", "C"):
            cmd.arg = part(1)
            cmd.expected_ret = self.token(part(2))
            cmd.expected_err = part(3)
        elif head == "GET":
            p1 = part(1)
            if "~" in p1:
                cmd.element = self.segments(p1, cmd)
            else:
                cmd.element = p1.split("!", 1)[0]
            cmd.expected_ret = self.expected_token(part(2))
            cmd.expected_err = part(3)
            if "LN" in p1:
                cmd.learner_field = "name"
                cmd.expected_ret = self.learner_name
            elif "LI" in p1:
                cmd.learner_field = "id"
                cmd.expected_ret = self.learner_id
        elif head == "SET":
            p1 = part(1)
            if "!" in p1:
                elem, value = p1.split("!", 1)
            else:
                elem, value = p1, ""
            if "~" in p1:
                cmd.element = self.segments(elem) if "~" in elem else elem
                if "~" in value:
                    # adl.nav.request: tar~X~TY.c -> {target=X}choice
                    cmd.value = self.segments(value).replace("}.", "}", 1)
                else:
                    cmd.value = self.token(value)
            else:
                cmd.element, cmd.value = elem, value
            cmd.expected_ret = self.token(parts[-2]) if len(parts) >= 4 else self.token(part(2))
            cmd.expected_err = parts[-1] if len(parts) >= 4 else part(3)
        elif head in ("GES", "GeDi"):
            cmd.arg = part(1)
            cmd.expected_ret = part(2)
            cmd.expected_err = part(3)
        elif head == "GLE":
            cmd.expected_ret = part(2)
            cmd.expected_err = part(3)
        elif head == "COI":
            cmd.obj_ids = [x for x in part(1).split(",")]
        return cmd
