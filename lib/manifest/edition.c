/*
 * Which standard and edition a manifest follows: from metadata/schemaversion
 * (CAM book 3.4.1.x), or, when it is missing or unknown, from the
 * namespaces and elements the document uses, with a warning.
 */
#include <string.h>

#include "mf_internal.h"

static const struct {
	const char *version;
	somo_standard standard;
	somo_edition edition;
} known[] = {
    {"1.2", SOMO_STANDARD_SCORM12, SOMO_EDITION_NONE},
    {"CAM 1.3", SOMO_STANDARD_SCORM2004, SOMO_EDITION_2004_2ND},
    {"2004 2nd Edition", SOMO_STANDARD_SCORM2004, SOMO_EDITION_2004_2ND},
    {"2004 3rd Edition", SOMO_STANDARD_SCORM2004, SOMO_EDITION_2004_3RD},
    {"2004 4th Edition", SOMO_STANDARD_SCORM2004, SOMO_EDITION_2004_4TH},
};

/* "2004 3rd edition", "2004  3rd Edition", "SCORM 2004 3rd Edition": compare loosely */
static void squash(const char *s, char *out, size_t size)
{
	size_t n = 0;

	if (somo__str_starts(s, "SCORM ") || somo__str_starts(s, "scorm "))
		s += 6;
	for (; *s && n + 1 < size; s++) {
		char ch = *s;

		if (ch == ' ' || ch == '\t' || ch == '_' || ch == '-')
			continue;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		out[n++] = ch;
	}
	out[n] = '\0';
}

static bool lookup_version(const char *v, somo_standard *st, somo_edition *ed, bool *exact)
{
	char a[64], b[64];
	size_t i;

	for (i = 0; i < SOMO__ARRAY_SIZE(known); i++)
		if (!strcmp(v, known[i].version)) {
			*st = known[i].standard;
			*ed = known[i].edition;
			*exact = true;
			return true;
		}
	squash(v, a, sizeof(a));
	for (i = 0; i < SOMO__ARRAY_SIZE(known); i++) {
		squash(known[i].version, b, sizeof(b));
		if (!strcmp(a, b)) {
			*st = known[i].standard;
			*ed = known[i].edition;
			*exact = false;
			return true;
		}
	}
	if (!strcmp(a, "1.3") || !strcmp(a, "cam1.3")) {
		*st = SOMO_STANDARD_SCORM2004;
		*ed = SOMO_EDITION_2004_2ND;
		*exact = false;
		return true;
	}
	return false;
}

static void infer(somo_manifest *man, somo_standard *st, somo_edition *ed)
{
	unsigned ns = man->ns_seen, ft = man->features;

	if ((ns & (SOMO__NS_ADLCP_13 | SOMO__NS_ADLSEQ | SOMO__NS_ADLNAV | SOMO__NS_IMSSS)) ||
	    (ft & (SOMO__FEAT_SEQ | SOMO__FEAT_4TH))) {
		*st = SOMO_STANDARD_SCORM2004;
		if (ft & SOMO__FEAT_4TH)
			*ed = SOMO_EDITION_2004_4TH;
		else if (ft & SOMO__FEAT_3RD)
			*ed = SOMO_EDITION_2004_3RD;
		else
			*ed = SOMO_EDITION_2004_2ND;
	} else if ((ns & SOMO__NS_ADLCP_12) || (ft & SOMO__FEAT_12) ||
	           (ns & SOMO__NS_ADLCP_OTHER)) {
		*st = SOMO_STANDARD_SCORM12;
		*ed = SOMO_EDITION_NONE;
	} else {
		*st = SOMO_STANDARD_IMSCP;
		*ed = SOMO_EDITION_NONE;
	}
}

void somo__mf_detect_standard(somo__mf_ctx *c)
{
	somo_manifest *man = c->man;
	const char *v = man->schemaversion;
	const char *schema = man->schema;
	somo_standard st;
	somo_edition ed;
	bool exact = false;
	int line = man->metadata ? man->metadata->line : man->manifest_line;

	/* plain IMS content packaging names its own schema (1.1.x, 1.2); checked
	 * first, as IMS CP 1.2 writes "1.2" too */
	if (v && *v && schema && strstr(schema, "IMS") && !strstr(schema, "SCORM") &&
	    !(man->ns_seen & (SOMO__NS_ADLCP_12 | SOMO__NS_ADLCP_13 | SOMO__NS_ADLCP_OTHER))) {
		man->standard = SOMO_STANDARD_IMSCP;
		man->edition = SOMO_EDITION_NONE;
		return;
	}
	if (v && *v && lookup_version(v, &st, &ed, &exact)) {
		man->standard = st;
		man->edition = ed;
		if (!exact)
			somo__mf_msg_add(
			    c, line, SOMO_SEVERITY_WARNING, SOMO_SEVERITY_ERROR,
			    "schemaversion \"%s\" is not written as the CAM book gives it; "
			    "read as %s %s",
			    v, somo_standard_name(st), somo_edition_name(ed));
		if (schema && strcmp(schema, "ADL SCORM"))
			somo__mf_msg_add(c, line, SOMO_SEVERITY_INFO, SOMO_SEVERITY_ERROR,
			                 "schema is \"%s\", not \"ADL SCORM\"", schema);
		return;
	}
	infer(man, &man->standard, &man->edition);
	man->inferred = true;
	if (man->standard == SOMO_STANDARD_IMSCP && !v)
		return; /* IMS CP does not require a schemaversion */
	somo__mf_msg_add(c, line, SOMO_SEVERITY_WARNING, SOMO_SEVERITY_ERROR,
	                 v && *v
	                     ? "unknown schemaversion \"%s\"; %s%s%s inferred from the namespaces"
	                     : "%sno schemaversion; %s%s%s inferred from the namespaces",
	                 v && *v ? v : "", somo_standard_name(man->standard),
	                 man->edition ? " " : "", somo_edition_name(man->edition));
}
