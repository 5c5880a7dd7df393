/* The error codes of SCORM 2004 (RTE book 3.1.7) and SCORM 1.2 (RTE 3.3.2). */
#include "datamodel/dm.h"

typedef struct {
	int code;
	const char *text;
} err_text;

static const err_text errors_2004[] = {
    {0, "No Error"},
    {101, "General Exception"},
    {102, "General Initialization Failure"},
    {103, "Already Initialized"},
    {104, "Content Instance Terminated"},
    {111, "General Termination Failure"},
    {112, "Termination Before Initialization"},
    {113, "Termination After Termination"},
    {122, "Retrieve Data Before Initialization"},
    {123, "Retrieve Data After Termination"},
    {132, "Store Data Before Initialization"},
    {133, "Store Data After Termination"},
    {142, "Commit Before Initialization"},
    {143, "Commit After Termination"},
    {201, "General Argument Error"},
    {301, "General Get Failure"},
    {351, "General Set Failure"},
    {391, "General Commit Failure"},
    {401, "Undefined Data Model Element"},
    {402, "Unimplemented Data Model Element"},
    {403, "Data Model Element Value Not Initialized"},
    {404, "Data Model Element Is Read Only"},
    {405, "Data Model Element Is Write Only"},
    {406, "Data Model Element Type Mismatch"},
    {407, "Data Model Element Value Out Of Range"},
    {408, "Data Model Dependency Not Established"},
};

static const err_text errors_12[] = {
    {0, "No error"},
    {101, "General exception"},
    {201, "Invalid argument error"},
    {202, "Element cannot have children"},
    {203, "Element not an array - cannot have count"},
    {301, "Not initialized"},
    {401, "Not implemented error"},
    {402, "Invalid set value, element is a keyword"},
    {403, "Element is read only"},
    {404, "Element is write only"},
    {405, "Incorrect Data Type"},
};

const char *somo_dm_error_string(somo_scorm_version version, int code)
{
	const err_text *t = version == SOMO_SCORM_12 ? errors_12 : errors_2004;
	size_t n =
	    version == SOMO_SCORM_12 ? SOMO__ARRAY_SIZE(errors_12) : SOMO__ARRAY_SIZE(errors_2004);
	size_t i;

	for (i = 0; i < n; i++)
		if (t[i].code == code)
			return t[i].text;
	return "";
}

bool somo__dm_error_known(somo_scorm_version version, int code)
{
	return code == 0 || somo_dm_error_string(version, code)[0] != '\0';
}
