"""How ADL's suite judges an answer (CTS-FORMAT.md section 3, TestCaseEvaluator): the first
matching rule wins. dm_equal compares through the element's type, as ADL's data model does."""

import datetime
import re

REQUEST_VALID_VALUES = ("true", "false", "unknown")

_REAL_ELEMENTS = re.compile(
    r"(\.score\.(scaled|raw|min|max)|(^|\.)progress_measure|completion_threshold|"
    r"scaled_passing_score|\.weighting|audio_level|delivery_speed|interactions\.\d+\.result)$")
_DURATION_ELEMENTS = re.compile(r"(total_time|session_time|max_time_allowed|\.latency)$")
_TIME_ELEMENTS = re.compile(r"\.timestamp$")
_LOCALIZED_ELEMENTS = re.compile(
    r"(comments_from_learner\.\d+\.comment|comments_from_lms\.\d+\.comment|"
    r"objectives\.\d+\.description|interactions\.\d+\.description)$")
_LANGUAGE_ELEMENTS = re.compile(r"learner_preference\.language$")
_PATTERN_ELEMENTS = re.compile(r"interactions\.\d+\.(correct_responses\.\d+\.pattern|learner_response)$")

# ADL's duration arithmetic (datatypes DurationValidator): a month is 2628029 s.
_DUR = re.compile(r"^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")
_TIME = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:T(\d{2})(?::(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                   r"(Z|[+-]\d{2}(?::?\d{2})?)?)?)?)?$")


def _real(s):
    try:
        return round(float(s), 6)
    except (TypeError, ValueError):
        return None


def _duration(s):
    m = _DUR.match(s or "")
    if not m or s in ("P", "PT") or s.endswith("T"):
        return None
    y, mo, d, h, mi, sec = m.groups()
    total = (int(y or 0) * 31536000 + int(mo or 0) * 2628029 + int(d or 0) * 86400 +
             int(h or 0) * 3600 + int(mi or 0) * 60 + float(sec or 0))
    return round(total, 2)


def _time(s):
    m = _TIME.match(s or "")
    if not m:
        return None
    y, mo, d, h, mi, sec, tz = m.groups()
    try:
        t = datetime.datetime(int(y), int(mo or 1), int(d or 1), int(h or 0), int(mi or 0), int(sec or 0))
    except ValueError:
        return None
    if tz and tz != "Z":
        sign = -1 if tz[0] == "-" else 1
        digits = tz[1:].replace(":", "")
        off = int(digits[:2]) * 60 + (int(digits[2:4]) if len(digits) >= 4 else 0)
        t -= sign * datetime.timedelta(minutes=off)
    return t


def _lang_split(s):
    """'{lang=fr}text' -> ('fr', 'text'); default language en."""
    m = re.match(r"^\{lang=([^}]*)\}", s)
    if m:
        return m.group(1).lower(), s[m.end():]
    return "en", s


_LEADING = re.compile(r"^\{(lang|case_matters|order_matters)=([^}]*)\}")


def _flags(s):
    """Split the leading delimiters of a pattern: ({case_matters, order_matters}, rest), where a
    {lang=..} among them stays with the first part. Invalid flag values are text."""
    flags = {"case_matters": "false", "order_matters": "true"}
    lang = ""
    while True:
        m = _LEADING.match(s)
        if not m:
            break
        name, val = m.group(1), m.group(2)
        if name == "lang":
            if lang:
                break
            lang = m.group(0)
        elif val in ("true", "false"):
            flags[name] = val
        else:
            break
        s = s[m.end():]
    return flags, lang + s


def _pattern_equal(itype, a, b):
    fa, a = _flags(a)
    fb, b = _flags(b)
    if fa != fb:
        return False
    if a == b:
        return True
    if itype == "choice":
        return set(a.split("[,]")) == set(b.split("[,]"))
    if itype in ("fill-in", "long-fill-in"):
        case = fa["case_matters"] == "true"
        la, lb = a.split("[,]"), b.split("[,]")
        if itype == "long-fill-in":
            la, lb = [a], [b]
        if len(la) != len(lb):
            return False
        if fa["order_matters"] == "false":
            la, lb = sorted(la), sorted(lb)
        for x, y in zip(la, lb):
            (lx, tx), (ly, ty) = _lang_split(x), _lang_split(y)
            if lx != ly:
                return False
            if (tx if case else tx.lower()) != (ty if case else ty.lower()):
                return False
        return True
    if itype == "numeric":
        ra, rb = a.split("[:]"), b.split("[:]")
        if len(ra) != len(rb):
            return False
        for x, y in zip(ra, rb):
            if x == y:
                continue
            if _real(x) is None or _real(x) != _real(y):
                return False
        return True
    if itype in ("matching", "performance"):
        ra = [r.split("[.]") for r in a.split("[,]")]
        rb = [r.split("[.]") for r in b.split("[,]")]
        if fa["order_matters"] == "false":
            ra, rb = sorted(ra), sorted(rb)
        return ra == rb
    return False


def dm_equal(element, expected, actual, itype=None):
    """Equality through the element's type, as ADL's SCORM_2004_DMElement.equals does."""
    if expected == actual:
        return True
    if element.endswith("._children"):
        return set(expected.split(",")) == set(actual.split(","))
    if _REAL_ELEMENTS.search(element):
        ra, rb = _real(expected), _real(actual)
        return ra is not None and ra == rb
    if _DURATION_ELEMENTS.search(element):
        da, db = _duration(expected), _duration(actual)
        return da is not None and da == db
    if _TIME_ELEMENTS.search(element):
        ta, tb = _time(expected), _time(actual)
        return ta is not None and ta == tb
    if _LOCALIZED_ELEMENTS.search(element):
        return _lang_split(expected) == _lang_split(actual)
    if _LANGUAGE_ELEMENTS.search(element):
        return expected.lower() == actual.lower()
    if _PATTERN_ELEMENTS.search(element):
        return _pattern_equal(itype, expected, actual)
    return False


class Verdict:
    def __init__(self, ok, rule, expected_ret, expected_err, note=""):
        self.ok = ok
        self.rule = rule
        self.expected_ret = expected_ret
        self.expected_err = expected_err
        self.note = note


def judge(cmd, element, ret, err, resolved_id=None):
    """Judge the answer (ret, err) to cmd. element is the element actually sent (any &id&
    resolved); resolved_id the id that &id& named."""
    exp_ret, exp_err = cmd.expected_ret, cmd.expected_err
    m = cmd.method
    if m == "GetValue":
        if "learner_name" in element:
            return Verdict(err == exp_err, "error_only", "(any)", exp_err)
        if "request_valid.choice" in element or "request_valid.jump" in element:
            return Verdict(ret in REQUEST_VALID_VALUES, "request_valid_no_error",
                           "true|false|unknown", "(any)")
        if element.startswith("cmi.comments_from_lms") and not element.endswith("_children"):
            allowed = ("0", "301", "403", "401") if element == "cmi.comments_from_lms" else ("0", "301", "403")
            return Verdict(err in allowed, "comments_from_lms", "(any)", "|".join(allowed))
        if "request_valid" in element and exp_ret != "":
            return Verdict(ret in REQUEST_VALID_VALUES and err == exp_err, "request_valid",
                           "true|false|unknown", exp_err)
        if exp_ret != "" and not element.endswith("_count"):
            return Verdict(dm_equal(element, exp_ret, ret, cmd.itype) and err == exp_err,
                           "dm_equal", exp_ret, exp_err)
        if "&" in (cmd.element or "") and element.endswith(".id") and exp_ret == "":
            return Verdict(ret == (resolved_id or "") and err == exp_err, "objective_id",
                           resolved_id or "", exp_err)
        if not element.endswith("_count"):
            ok = ret == exp_ret
            if not ok and ret.startswith("{"):
                ok = dm_equal(element, exp_ret, ret, cmd.itype)
            return Verdict(ok and err == exp_err, "exact_or_dm_if_brace", exp_ret, exp_err)
    if m == "GetErrorString" and exp_ret in ("less255", "emptyCS") or m == "GetDiagnostic":
        if exp_ret == "emptyCS":
            return Verdict(ret == "" and err == exp_err, "empty", "(empty string)", exp_err)
        return Verdict(len(ret) < 255 and err == exp_err, "less255", "(fewer than 255 characters)", exp_err)
    return Verdict(ret == exp_ret and err == exp_err, "exact", exp_ret, exp_err)
