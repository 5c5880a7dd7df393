"""Reading the CTS case files (*.properties) and decoder tables the way ADL's suite does."""

import re

# Keys that are case instructions rather than visit lines (LMSTestCaseGenerator).
CASE_KEYS = ("title", "UserInterAct", "start", "purpose", "RTDInit", "seqInfo", "TT", "end")

_LINE_SPLIT = re.compile(r"\r\n|\r|\n")


def read_text(path):
    """A CTS file as text: ADL wrote them on Windows, so windows-1252."""
    with open(path, "rb") as f:
        data = f.read()
    return data.decode("cp1252", errors="replace")


def logical_lines(text):
    """Physical lines joined where a line ends in a backslash (the backslash dropped,
    nothing stripped); lines containing #### are comments."""
    lines = _LINE_SPLIT.split(text)
    if lines and lines[-1] == "":
        lines.pop()
    out = []
    i = 0
    while i < len(lines):
        line = lines[i]
        i += 1
        while line.endswith("\\") and i < len(lines):
            line = line[:-1] + lines[i]
            i += 1
        if line.endswith("\\"):
            line = line[:-1]
        if "####" in line or line == "":
            continue
        out.append(line)
    return out


def load_table(path):
    """A decoder table (Commands.properties ...): key=value, # comments.
    A key that is absent decodes to itself (see decode.Decoder)."""
    table = {}
    for line in logical_lines(read_text(path)):
        s = line.lstrip()
        if not s or s[0] in "#!" or "=" not in s:
            continue
        k, v = s.split("=", 1)
        table[k.strip()] = v
    return table


def do_unicode(s):
    """\\uXXXX becomes that character; any other backslash pair is kept as written."""
    out = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        i += 1
        if c != "\\" or i >= n:
            out.append(c)
            continue
        c2 = s[i]
        i += 1
        if c2 != "u":
            out.append(c)
            out.append(c2)
            continue
        hexpart = s[i:i + 4]
        i += len(hexpart)
        if len(hexpart) == 4 and all(h in "0123456789abcdefABCDEF" for h in hexpart):
            out.append(chr(int(hexpart, 16)))
        else:
            out.append("\\u" + hexpart)
    return "".join(out)


class Visit:
    """One delivery of an activity: Act<N>V<m>."""

    def __init__(self, prefix):
        self.prefix = prefix                    # "Act1aV2"
        self.act = prefix[3:prefix.index("V")]  # "1a"
        self.uiq = ""
        self.uia = ""
        self.cui = ""
        self.commands = []                      # raw command strings, file order, unicode done
        self.lines = []                         # the file key of each command

    def __repr__(self):
        return "Visit(%s, %d commands, cui=%r)" % (self.prefix, len(self.commands), self.cui)


class Case:
    def __init__(self, name, title, instrs, visits):
        self.name = name          # file stem: "DMB"
        self.title = title
        self.instrs = instrs      # start, RTDInit, seqInfo ...
        self.visits = visits

    @property
    def command_count(self):
        return sum(len(v.commands) for v in self.visits)


def parse_case(path, name=None):
    """Parse one test case file. Raises ValueError on a malformed line."""
    if name is None:
        name = re.sub(r"\.properties$", "", path.replace("\\", "/").rsplit("/", 1)[-1])
    title = ""
    instrs = {}
    visits = []
    cur = None
    for line in logical_lines(read_text(path)):
        if "=" not in line:
            raise ValueError("%s: line without '=': %.60s" % (path, line))
        key, value = line.split("=", 1)
        if key == "title":
            title = value
        elif key in CASE_KEYS:
            instrs[key] = value
        elif "Act" in key:
            if "." not in key:
                raise ValueError("%s: visit key without '.': %s" % (path, key))
            prefix = key[:key.index(".")]
            if "V" not in prefix[3:]:
                raise ValueError("%s: visit key without V: %s" % (path, key))
            # A new visit whenever the prefix differs from the previous visit line's.
            if cur is None or cur.prefix != prefix:
                cur = Visit(prefix)
                visits.append(cur)
            if "UIQ" in key:
                cur.uiq = value
            elif "UIA" in key:
                cur.uia = value
            elif "CUI" in key:
                cur.cui = value
            elif "commands" in key:
                cur.commands.append(do_unicode(value))
                cur.lines.append(key)
    return Case(name, title, instrs, visits)
