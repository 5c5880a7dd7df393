"""What the replay needs from a CTS test package's imsmanifest.xml: the items, which visit
(act=N) each is, and the LMS-supplied values a runtime starts with (CTS-FORMAT.md section 2)."""

import re
import xml.etree.ElementTree as ET

NS = {
    "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
    "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
    "imsss": "http://www.imsglobal.org/xsd/imsss",
    "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
}
ADLCP = "{%s}" % NS["adlcp"]


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def _norm(s):
    return " ".join((s or "").split())


def _bool(v, default):
    if v is None:
        return default
    return v.strip().lower() == "true"


class Item:
    def __init__(self, el, parent):
        self.identifier = (el.get("identifier") or "").strip()
        self.parameters = el.get("parameters") or ""
        self.identifierref = (el.get("identifierref") or "").strip()
        self.parent = parent
        t = el.find("cp:title", NS)
        self.title = _norm(t.text if t is not None else "")
        self.children = []
        self.hide = [(_norm(h.text)) for h in el.findall(
            "adlnav:presentation/adlnav:navigationInterface/adlnav:hideLMSUI", NS)]
        self.init = {}
        self.data_maps = []
        d = el.find("adlcp:dataFromLMS", NS)
        if d is not None:
            self.init["cmi.launch_data"] = d.text or ""
        ct = el.find("adlcp:completionThreshold", NS)
        if ct is not None:
            if _bool(ct.get("completedByMeasure"), False):
                self.init["cmi.completion_threshold"] = (ct.get("minProgressMeasure") or "1.0").strip()
            elif ct.get("completedByMeasure") is None and (ct.text or "").strip():
                # the 3rd edition form <adlcp:completionThreshold>0.8</...>
                self.init["cmi.completion_threshold"] = ct.text.strip()
        tla = el.find("adlcp:timeLimitAction", NS)
        if tla is not None and (tla.text or "").strip():
            self.init["cmi.time_limit_action"] = tla.text.strip()
        seq = el.find("imsss:sequencing", NS)
        if seq is not None:
            po = seq.find("imsss:objectives/imsss:primaryObjective", NS)
            if po is not None and _bool(po.get("satisfiedByMeasure"), False):
                mnm = po.find("imsss:minNormalizedMeasure", NS)
                val = (mnm.text or "").strip() if mnm is not None else ""
                self.init["cmi.scaled_passing_score"] = val or "1.0"
            lc = seq.find("imsss:limitConditions", NS)
            if lc is not None and lc.get("attemptAbsoluteDurationLimit"):
                self.init["cmi.max_time_allowed"] = lc.get("attemptAbsoluteDurationLimit").strip()
        for m in el.findall("adlcp:data/adlcp:map", NS):
            self.data_maps.append({
                "id": (m.get("targetID") or "").strip(),
                "readSharedData": _bool(m.get("readSharedData"), True),
                "writeSharedData": _bool(m.get("writeSharedData"), True),
            })

    def act_of(self, case):
        """The N of tc=<case>&act=<N> in the item's parameters, or None."""
        m = re.search(r"tc=([^&]*)&act=([^&#]*)", self.parameters)
        if not m or m.group(1).strip() != case:
            return None
        return m.group(2).strip()

    def __repr__(self):
        return "Item(%s, %r)" % (self.identifier, self.title)


class Package:
    def __init__(self, path):
        self.path = path
        root = ET.parse(path).getroot()
        orgs = root.find("cp:organizations", NS)
        default = (orgs.get("default") or "").strip()
        org = None
        for o in orgs.findall("cp:organization", NS):
            if org is None or (o.get("identifier") or "").strip() == default:
                org = o
        self.identifier = (org.get("identifier") or "").strip()
        t = org.find("cp:title", NS)
        self.title = _norm(t.text if t is not None else "")
        self.shared_global = _bool(org.get(ADLCP + "sharedDataGlobalToSystem"), True)
        self.items = []

        def walk(el, parent):
            for c in el.findall("cp:item", NS):
                it = Item(c, parent)
                self.items.append(it)
                if parent is not None:
                    parent.children.append(it)
                walk(c, it)
        walk(org, None)
        self.resources = {}
        res = root.find("cp:resources", NS)
        if res is not None:
            for r in res.findall("cp:resource", NS):
                self.resources[(r.get("identifier") or "").strip()] = {
                    "href": r.get("href") or "",
                    "scormType": (r.get("{%s}scormType" % NS["adlcp"]) or "").strip(),
                }

    def item_for_act(self, case, act, title_hint=None):
        found = [it for it in self.items if it.act_of(case) == act]
        if len(found) > 1 and title_hint:
            for it in found:
                if it.title == _norm(title_hint):
                    return it
        return found[0] if found else None

    def item_by_title(self, title):
        for it in self.items:
            if it.title == _norm(title):
                return it
        return None

    def is_sco(self, item):
        r = self.resources.get(item.identifierref)
        return r is not None and r["scormType"].lower() == "sco"

    def href(self, item):
        r = self.resources.get(item.identifierref)
        return r["href"] if r else ""
