/*
 * cmi5.xml parsing and validation on small documents written for each rule:
 * the model and its defaults, the schema's order and vocabularies, the
 * specification's IRI, id, reference and URL checks, and hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "somo/cmi5.h"

#define NS     "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"
#define TITLE  "<title><langstring lang=\"en-US\">T</langstring></title>"
#define DESC   "<description><langstring lang=\"en-US\">D</langstring></description>"
#define COURSE "<course id=\"https://example.com/c\">" TITLE DESC "</course>"
#define DOC(body)                                                                                  \
	"<?xml version=\"1.0\"?>\n<courseStructure xmlns=\"" NS "\">\n" body                       \
	"\n</courseStructure>\n"
#define AU(id, attrs, inner) "<au id=\"" id "\" " attrs ">" TITLE DESC inner "</au>\n"

static somo_cmi5_course *parse(const char *xml)
{
	somo_cmi5_course *c = NULL;
	somo_diag d;
	int rc = somo_cmi5_parse_memory(&c, xml, strlen(xml), NULL, &d);

	if (rc != 0)
		fprintf(stderr, "parse failed: %d %s:%d: %s\n", rc, d.file, d.line, d.text);
	assert_int_equal(rc, 0);
	assert_non_null(c);
	return c;
}

/* Validate standalone and return whether some message contains needle (NULL: none expected). */
static int validate_has(const char *xml, const char *needle, int *errors)
{
	somo_cmi5_course *c = parse(xml);
	somo_cmi5_report *r = NULL;
	int rc = somo_cmi5_validate(&r, c, NULL), found = 0;
	size_t i;

	assert_non_null(r);
	assert_true(rc == 0 || rc == SOMO_EINVALID);
	assert_int_equal(rc == 0, somo_cmi5_report_errors(r) == 0);
	for (i = 0; i < somo_cmi5_report_count(r); i++) {
		const somo_cmi5_message *m = somo_cmi5_report_at(r, i);
		if (needle && strstr(m->text, needle))
			found = 1;
	}
	if (errors)
		*errors = (int)somo_cmi5_report_errors(r);
	if (needle && !found)
		for (i = 0; i < somo_cmi5_report_count(r); i++)
			fprintf(stderr, "  line %d: %s\n", somo_cmi5_report_at(r, i)->line,
			        somo_cmi5_report_at(r, i)->text);
	somo_cmi5_report_free(r);
	somo_cmi5_free(c);
	return found;
}

static void expect_error(const char *xml, const char *needle)
{
	int errors = 0;

	assert_true(validate_has(xml, needle, &errors));
	assert_true(errors > 0);
}

static void expect_valid(const char *xml)
{
	int errors = -1;

	validate_has(xml, NULL, &errors);
	assert_int_equal(errors, 0);
}

static void test_model_and_defaults(void **state)
{
	const char *xml = DOC(COURSE "<objectives><objective id=\"https://example.com/o1\">" TITLE
	                          DESC "</objective></objectives>\n"
	                             "<block id=\"https://example.com/b1\">" TITLE DESC
	                             "<objectives><objective "
	                             "idref=\"https://example.com/o1\"/></objectives>\n" AU(
	                                 "https://example.com/a1", "",
	                                 "<url>https://example.com/a1.html</url>")
	                                 AU(
	                                     "https://example.com/a2",
	                                     "moveOn=\"CompletedAndPassed\" masteryScore=\"0.85\" "
	                                     "launchMethod=\"OwnWindow\" "
	                                     "activityType=\"http://adlnet.gov/expapi/activities/"
	                                     "lesson\"",
	                                     "<objectives><objective "
	                                     "idref=\"https://example.com/o1\"/></objectives>"
	                                     "<url>\n  https://example.com/a2.html?x=1  \n</url>"
	                                     "<launchParameters> p=1 "
	                                     "</launchParameters><entitlementKey>k</"
	                                     "entitlementKey>") "</block>\n" AU("https://"
	                                                                        "example.com/a3",
	                                                                        "moveOn=\"Passed\"",
	                                                                        "<url>https://"
	                                                                        "example.com/a3</"
	                                                                        "url>"));
	somo_cmi5_course *c = parse(xml);
	const somo_cmi5_node *root = somo_cmi5_root(c), *b, *a1, *a2;

	(void)state;
	assert_int_equal(root->kind, SOMO_CMI5_NODE_COURSE);
	assert_string_equal(root->id, "https://example.com/c");
	assert_string_equal(somo_cmi5_text_get(&root->title, "en"), "T");
	assert_int_equal(root->child_count, 2);
	b = root->children[0];
	assert_int_equal(b->kind, SOMO_CMI5_NODE_BLOCK);
	assert_int_equal(b->objective_count, 1);
	assert_string_equal(b->objectives[0], "https://example.com/o1");
	assert_int_equal(b->child_count, 2);
	assert_ptr_equal(b->parent, root);
	a1 = b->children[0];
	a2 = b->children[1];
	assert_int_equal(a1->move_on, SOMO_CMI5_MOVEON_NOT_APPLICABLE);
	assert_int_equal(a1->launch_method, SOMO_CMI5_LAUNCH_ANY_WINDOW);
	assert_int_equal(a1->has_mastery_score, 0);
	assert_null(a1->activity_type);
	assert_null(a1->launch_parameters);
	assert_null(a1->entitlement_key);
	assert_int_equal(a2->move_on, SOMO_CMI5_MOVEON_COMPLETED_AND_PASSED);
	assert_int_equal(a2->launch_method, SOMO_CMI5_LAUNCH_OWN_WINDOW);
	assert_int_equal(a2->has_mastery_score, 1);
	assert_true(a2->mastery_score > 0.8499 && a2->mastery_score < 0.8501);
	assert_string_equal(a2->url, "https://example.com/a2.html?x=1");
	assert_string_equal(a2->launch_parameters, "p=1");
	assert_string_equal(a2->entitlement_key, "k");
	assert_string_equal(a2->activity_type, "http://adlnet.gov/expapi/activities/lesson");
	assert_int_equal(somo_cmi5_au_count(c), 3);
	assert_ptr_equal(somo_cmi5_au_at(c, 1), a2);
	assert_null(somo_cmi5_au_at(c, 3));
	assert_ptr_equal(somo_cmi5_find(c, "https://example.com/b1"), b);
	assert_null(somo_cmi5_find(c, "https://example.com/none"));
	assert_ptr_equal(somo_cmi5_find(c, "https://example.com/c"), root);
	assert_ptr_equal(somo_cmi5_find(c, "https://example.com/a3"), somo_cmi5_au_at(c, 2));
	assert_null(somo_cmi5_find(c, ""));
	assert_int_equal(somo_cmi5_objective_count(c), 1);
	assert_string_equal(somo_cmi5_objective_at(c, 0)->id, "https://example.com/o1");
	assert_int_equal(somo_cmi5_au_at(c, 2)->move_on, SOMO_CMI5_MOVEON_PASSED);
	assert_string_equal(somo_cmi5_move_on_name(SOMO_CMI5_MOVEON_COMPLETED_OR_PASSED),
	                    "CompletedOrPassed");
	assert_string_equal(somo_cmi5_launch_method_name(SOMO_CMI5_LAUNCH_OWN_WINDOW), "OwnWindow");
	assert_int_equal(a2->line, 6);
	somo_cmi5_free(c);
	expect_valid(xml);
}

static void test_languages(void **state)
{
	somo_cmi5_course *c = parse(
	    DOC("<course id=\"https://example.com/c\"><title><langstring "
	        "lang=\"en-US\">Geology</langstring>"
	        "<langstring lang=\"de-DE\">Geologie</langstring></title>" DESC
	        "</course>" AU("https://example.com/a", "", "<url>https://example.com/</url>")));
	const somo_cmi5_text *t = &somo_cmi5_root(c)->title;

	(void)state;
	assert_int_equal(t->count, 2);
	assert_string_equal(somo_cmi5_text_get(t, "de-DE"), "Geologie");
	assert_string_equal(somo_cmi5_text_get(t, "DE"), "Geologie");
	assert_string_equal(somo_cmi5_text_get(t, "fr"), "Geology");
	assert_string_equal(somo_cmi5_text_get(t, NULL), "Geology");
	somo_cmi5_free(c);
}

/* One AU with these attributes: what validation says of them (NULL: valid). */
#define AU_WITH(attrs)                                                                             \
	DOC(COURSE AU("https://example.com/a", attrs, "<url>https://example.com/</url>"))

static void test_vocabularies(void **state)
{
	static const struct {
		const char *xml;
		const char *error;
	} cases[] = {
	    {AU_WITH("moveOn=\"Complete\""), "moveOn 'Complete'"},
	    {AU_WITH("launchMethod=\"NewWindow\""), "launchMethod 'NewWindow'"},
	    {AU_WITH("masteryScore=\"1.5\""), "outside [0, 1]"},
	    {AU_WITH("masteryScore=\"-0.1\""), "outside [0, 1]"},
	    {AU_WITH("masteryScore=\"high\""), "not a decimal"},
	    {AU_WITH("masteryScore=\"1\" moveOn=\"NotApplicable\""), NULL},
	    {AU_WITH("masteryScore=\"0\""), NULL},
	    {AU_WITH("activityType=\"lesson\""), "activityType of <au> is 'lesson'"},
	};
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (cases[i].error)
			expect_error(cases[i].xml, cases[i].error);
		else
			expect_valid(cases[i].xml);
	}
}

static void test_schema(void **state)
{
	(void)state;
	/* Order: the LTS 207 case. */
	expect_error(
	    DOC(COURSE "<au id=\"https://example.com/a\"><url>https://example.com/</url>" TITLE DESC
	               "</au>"),
	    "<title> is out of order in <au>");
	expect_error(DOC(COURSE "<au id=\"https://example.com/a\">" TITLE
	                        "<url>https://example.com/</url></au>"),
	             "<au> lacks <description>");
	expect_error(DOC(COURSE "<au id=\"https://example.com/a\">" TITLE DESC "</au>"),
	             "<au> lacks <url>");
	expect_error(DOC(COURSE "<au>" TITLE DESC "<url>https://example.com/</url></au>"),
	             "lacks its required id attribute");
	expect_error(DOC(COURSE), "lacks <au> or <block>");
	expect_error(DOC(AU("https://example.com/a", "", "<url>https://example.com/</url>")),
	             "<courseStructure> lacks <course>");
	expect_error(DOC(COURSE "<block id=\"https://example.com/b\">" TITLE DESC "</block>"),
	             "<block> lacks <au> or <block>");
	expect_error(
	    DOC(COURSE AU("https://example.com/a", "", "<url>https://example.com/</url><bogus/>")),
	    "unexpected element <bogus>");
	expect_error(
	    DOC(COURSE AU("https://example.com/a", "",
	                  "<url>https://example.com/</url><url>https://example.com/2</url>")),
	    "more than one <url>");
	expect_error(DOC("<course id=\"https://example.com/c\"><title/>" DESC "</course>" AU(
	                 "https://example.com/a", "", "<url>https://example.com/</url>")),
	             "<title> lacks <langstring>");
	expect_error(DOC(COURSE AU("https://example.com/a", "", "<url>  </url>")),
	             "<url> is empty");
	/* Namespaced extensions are allowed (13.1.5), unqualified foreign elements are not. */
	expect_valid("<courseStructure xmlns=\"" NS "\" xmlns:x=\"urn:x\">" COURSE AU(
	    "https://example.com/a", "x:flag=\"1\"",
	    "<url>https://example.com/</url><x:kw id=\"1\"/>") "<x:ext/></courseStructure>");
	expect_error(
	    "<c:courseStructure xmlns:c=\"" NS "\"><c:course id=\"https://example.com/c\">"
	    "<c:title><c:langstring>T</c:langstring></c:title><c:description><c:langstring>D"
	    "</c:langstring></c:description></c:course><c:au id=\"https://example.com/a\">"
	    "<c:title><c:langstring>T</c:langstring></c:title><c:description><c:langstring>D"
	    "</c:langstring></c:description><c:url>https://example.com/</c:url><plain/></c:au>"
	    "</c:courseStructure>",
	    "has no namespace of its own");
	expect_error(
	    "<courseStructure>" COURSE AU("https://example.com/a", "",
	                                  "<url>https://example.com/</url>") "</courseStructure>",
	    "not the cmi5 namespace");
}

static void test_iris_and_ids(void **state)
{
	(void)state;
	expect_error(DOC("<course id=\"example.com/c\">" TITLE DESC "</course>" AU(
	                 "https://example.com/a", "", "<url>https://example.com/</url>")),
	             "not an absolute IRI");
	expect_error(DOC(COURSE AU("https://example.com/a", "", "<url>https://example.com/</url>")
	                     AU("https://example.com/a", "", "<url>https://example.com/</url>")),
	             "duplicate id 'https://example.com/a'");
	/* Ids are unique across kinds too. */
	expect_error(
	    DOC(COURSE "<block id=\"https://example.com/c\">" TITLE DESC AU(
	        "https://example.com/a", "", "<url>https://example.com/</url>") "</block>"),
	    "repeats the id of the <course>");
	expect_error(DOC(COURSE
	                 "<objectives><objective id=\"https://example.com/o\">" TITLE DESC
	                 "</objective></objectives>" AU(
	                     "https://example.com/a", "",
	                     "<objectives><objective idref=\"https://example.com/p\"/></objectives>"
	                     "<url>https://example.com/</url>")),
	             "references objective 'https://example.com/p'");
	expect_error(DOC(COURSE "<objectives><objective id=\"https://example.com/o\">" TITLE
	                        "</objective></objectives>" AU("https://example.com/a", "",
	                                                       "<url>https://example.com/</url>")),
	             "<objective> lacks <description>");
}

static void test_urls(void **state)
{
	(void)state;
	expect_error(DOC(COURSE AU("https://example.com/a", "", "<url>index.html</url>")),
	             "needs fully qualified URLs");
	expect_error(DOC(COURSE AU("https://example.com/a", "", "<url>/index.html</url>")),
	             "needs fully qualified URLs");
	expect_error(
	    DOC(COURSE AU("https://example.com/a", "", "<url>http://example.com index.html</url>")),
	    "not a valid URL");
	expect_error(
	    DOC(COURSE AU("https://example.com/a", "", "<url>http://example.com/%zz</url>")),
	    "not a valid URL");
	expect_error(DOC(COURSE AU("https://example.com/a", "",
	                           "<url>https://example.com/?a=1&amp;registration=2</url>")),
	             "query parameter 'registration'");
	expect_error(DOC(COURSE AU("https://example.com/a", "",
	                           "<url>https://example.com/?activity%49d=2</url>")),
	             "query parameter 'activityId'");
	expect_error(
	    DOC(COURSE AU("https://example.com/a", "", "<url>https://example.com/?fetch</url>")),
	    "query parameter 'fetch'");
	/* Names are case-sensitive and only the query counts. */
	expect_valid(DOC(
	    COURSE AU("https://example.com/a", "",
	              "<url>https://example.com/endpoint?Endpoint=1&amp;actors=2#actor=3</url>")));
	expect_valid(
	    DOC(COURSE AU("https://example.com/a", "", "<url>myapp://launch/course</url>")));
}

static void test_hostile(void **state)
{
	somo_cmi5_course *c = NULL;
	somo_diag d;
	const char *bomb = "<?xml version=\"1.0\"?><!DOCTYPE courseStructure [<!ENTITY a \"aaaa\">"
	                   "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;\">]><courseStructure xmlns=\"" NS
	                   "\">&b;</courseStructure>";
	const char *xxe =
	    "<?xml version=\"1.0\"?><!DOCTYPE c [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
	    "<courseStructure>&x;</courseStructure>";
	const char *bad = "<courseStructure xmlns=\"" NS "\">\n<course>\n</courseStructure>";

	(void)state;
	assert_int_equal(somo_cmi5_parse_memory(&c, bomb, strlen(bomb), NULL, &d), SOMO_EUNSAFE);
	assert_null(c);
	assert_non_null(strstr(d.text, "DOCTYPE"));
	assert_int_equal(somo_cmi5_parse_memory(&c, xxe, strlen(xxe), NULL, &d), SOMO_EUNSAFE);
	assert_int_equal(somo_cmi5_parse_memory(&c, bad, strlen(bad), "x.xml", &d), SOMO_EPARSE);
	assert_string_equal(d.file, "x.xml");
	assert_int_equal(d.line, 3);
	assert_int_equal(somo_cmi5_parse_memory(&c, "", 0, NULL, &d), SOMO_EPARSE);
	assert_int_equal(somo_cmi5_parse_memory(&c, "<manifest/>", 11, NULL, &d), SOMO_EPARSE);
	assert_non_null(strstr(d.text, "courseStructure"));
	assert_int_equal(
	    somo_cmi5_parse_memory(&c, "<a/>", (size_t)SOMO_CMI5_MAX_SIZE + 1, NULL, &d),
	    SOMO_ELIMIT);
	assert_int_equal(somo_cmi5_parse_memory(NULL, "<a/>", 4, NULL, &d), SOMO_EINVAL);
	somo_cmi5_free(NULL);
	somo_cmi5_report_free(NULL);
	assert_int_equal(somo_cmi5_report_count(NULL), 0);
}

static void test_deep_blocks(void **state)
{
	/* 300 nested blocks: libxml2's depth limit or ours stops it, never the stack. */
	char *xml = malloc(200000), *p = xml;
	somo_cmi5_course *c = NULL;
	somo_diag d;
	int i, rc;

	(void)state;
	p += sprintf(p, "<courseStructure xmlns=\"" NS "\">" COURSE);
	for (i = 0; i < 300; i++)
		p += sprintf(p, "<block id=\"https://example.com/b%d\">" TITLE DESC, i);
	p += sprintf(p, AU("https://example.com/a", "", "<url>https://example.com/</url>"));
	for (i = 0; i < 300; i++)
		p += sprintf(p, "</block>");
	p += sprintf(p, "</courseStructure>");
	rc = somo_cmi5_parse_memory(&c, xml, (size_t)(p - xml), NULL, &d);
	if (rc == 0) {
		somo_cmi5_report *r = NULL;
		assert_int_equal(somo_cmi5_validate(&r, c, NULL), SOMO_EINVALID);
		somo_cmi5_report_free(r);
	} else {
		assert_int_equal(rc, SOMO_EPARSE);
	}
	somo_cmi5_free(c);
	free(xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_model_and_defaults),
	    cmocka_unit_test(test_languages),
	    cmocka_unit_test(test_vocabularies),
	    cmocka_unit_test(test_schema),
	    cmocka_unit_test(test_iris_and_ids),
	    cmocka_unit_test(test_urls),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_deep_blocks),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
