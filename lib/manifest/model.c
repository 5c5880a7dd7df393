/* The manifest model's accessors, launch URLs and names. */
#include <string.h>

#include <libxml/hash.h>
#include <libxml/tree.h>

#include "mf_internal.h"

const char *somo_standard_name(somo_standard s)
{
	switch (s) {
	case SOMO_STANDARD_IMSCP:
		return "IMS CP";
	case SOMO_STANDARD_SCORM12:
		return "SCORM 1.2";
	case SOMO_STANDARD_SCORM2004:
		return "SCORM 2004";
	case SOMO_STANDARD_CMI5:
		return "cmi5";
	case SOMO_STANDARD_TINCAN:
		return "Tin Can";
	default:
		return "unknown";
	}
}

const char *somo_edition_name(somo_edition e)
{
	switch (e) {
	case SOMO_EDITION_2004_2ND:
		return "2nd Edition";
	case SOMO_EDITION_2004_3RD:
		return "3rd Edition";
	case SOMO_EDITION_2004_4TH:
		return "4th Edition";
	default:
		return "";
	}
}

void somo_manifest_free(somo_manifest *man)
{
	if (!man)
		return;
	if (man->res_by_id)
		xmlHashFree(man->res_by_id, NULL);
	if (man->item_by_id)
		xmlHashFree(man->item_by_id, NULL);
	somo__mf_vec_free(&man->msgs);
	somo__mf_vec_free(&man->all_items);
	somo__mf_vec_free(&man->all_resources);
	somo__mf_vec_free(&man->all_orgs);
	somo__arena_free(&man->arena);
	somo__free(man);
}

somo_standard somo_manifest_standard(const somo_manifest *man)
{
	return man ? man->standard : SOMO_STANDARD_UNKNOWN;
}

somo_edition somo_manifest_edition(const somo_manifest *man)
{
	return man ? man->edition : SOMO_EDITION_NONE;
}

const char *somo_manifest_schemaversion(const somo_manifest *man)
{
	return man ? man->schemaversion : NULL;
}

bool somo_manifest_edition_inferred(const somo_manifest *man)
{
	return man && man->inferred;
}

const char *somo_manifest_identifier(const somo_manifest *man)
{
	return man && man->identifier ? man->identifier : "";
}

const char *somo_manifest_version(const somo_manifest *man)
{
	return man ? man->version : NULL;
}

const char *somo_manifest_file_name(const somo_manifest *man)
{
	return man ? man->file : "imsmanifest.xml";
}

const somo_metadata *somo_manifest_metadata(const somo_manifest *man)
{
	return man && man->metadata ? man->metadata : &somo__mf_no_metadata;
}

size_t somo_manifest_org_count(const somo_manifest *man)
{
	return man && man->root ? man->root->org_count : 0;
}

const somo_manifest_org *somo_manifest_org_at(const somo_manifest *man, size_t i)
{
	return i < somo_manifest_org_count(man) ? man->root->orgs[i] : NULL;
}

const somo_manifest_org *somo_manifest_default_org(const somo_manifest *man)
{
	return man ? man->default_org : NULL;
}

size_t somo_manifest_resource_count(const somo_manifest *man)
{
	return man && man->root ? man->root->resource_count : 0;
}

const somo_manifest_resource *somo_manifest_resource_at(const somo_manifest *man, size_t i)
{
	return i < somo_manifest_resource_count(man) ? man->root->resources[i] : NULL;
}

size_t somo_manifest_sub_count(const somo_manifest *man)
{
	return man && man->root ? man->root->sub_count : 0;
}

const somo_manifest_sub *somo_manifest_sub_at(const somo_manifest *man, size_t i)
{
	return i < somo_manifest_sub_count(man) ? man->root->subs[i] : NULL;
}

const somo_manifest_resource *somo_manifest_find_resource(const somo_manifest *man,
                                                          const char *identifier)
{
	if (!man || !identifier || !man->res_by_id)
		return NULL;
	return xmlHashLookup(man->res_by_id, (const xmlChar *)identifier);
}

const somo_manifest_item *somo_manifest_find_item(const somo_manifest *man, const char *identifier)
{
	if (!man || !identifier || !man->item_by_id)
		return NULL;
	return xmlHashLookup(man->item_by_id, (const xmlChar *)identifier);
}

size_t somo_manifest_collection_count(const somo_manifest *man)
{
	return man ? man->collection_count : 0;
}

const somo_ss_sequencing *somo_manifest_collection_at(const somo_manifest *man, size_t i,
                                                      const char **id)
{
	if (!man || i >= man->collection_count)
		return NULL;
	if (id)
		*id = man->collection_ids[i];
	return man->collections[i];
}

size_t somo_manifest_warning_count(const somo_manifest *man)
{
	return man ? man->msgs.n : 0;
}

const somo_manifest_message *somo_manifest_warning_at(const somo_manifest *man, size_t i)
{
	if (!man || i >= man->msgs.n)
		return NULL;
	return &((const somo__mf_msg *)man->msgs.v[i])->m;
}

/*
 * CAM book (4th ed.) 3.4.1.x, "parameters": leading "?" and "&" are
 * dropped; a "#" fragment is appended only when the URL has none; query
 * parameters join with "&" when the URL already has a query, else "?",
 * and go before any fragment of the URL.
 */
char *somo_manifest_item_launch_url(const somo_manifest_item *item)
{
	const char *url, *params, *frag;
	somo__buf b = SOMO__BUF_INIT;
	size_t head;

	if (!item || !item->resource || !item->resource->launch)
		return NULL;
	url = item->resource->launch;
	params = item->parameters ? item->parameters : "";
	while (*params == ' ' || *params == '\t' || *params == '\r' || *params == '\n')
		params++;
	while (*params == '?' || *params == '&')
		params++;
	frag = strchr(url, '#');
	head = frag ? (size_t)(frag - url) : strlen(url);
	if (!*params) {
		somo__buf_puts(&b, url);
	} else if (*params == '#') {
		somo__buf_puts(&b, url);
		if (!frag)
			somo__buf_puts(&b, params);
	} else {
		const char *q = memchr(url, '?', head);

		somo__buf_put(&b, url, head);
		if (!q)
			somo__buf_putc(&b, '?');
		else if (url[head - 1] != '?' && url[head - 1] != '&')
			somo__buf_putc(&b, '&');
		somo__buf_puts(&b, params);
		if (frag)
			somo__buf_puts(&b, frag);
	}
	if (!b.ptr) {
		somo__error_oom();
		return NULL;
	}
	return somo__buf_detach(&b);
}
