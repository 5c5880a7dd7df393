#!/usr/bin/env bash
# Checks the bundled sample course, examples/courses/customs-clearance-basics:
#   schema  its imsmanifest.xml is valid against ADL's SCORM 2004 4th Edition
#           schemas (from the test corpus; exit 77 = skipped when absent)
#   files   every file of the folder is listed in a resource, every listed file
#           exists, and no page loads anything from outside the package
#   rte     every SCO, played in headless Chromium against an independent
#           SCORM 2004 API, makes only calls that succeed and reports what it
#           should (exit 77 = skipped without Chromium or scorm-again); given
#           the somo command, the recorded calls are replayed through
#           `somo rte` and must all succeed there too
set -euo pipefail
what=${1:?usage: check_sample_course.sh schema|files|rte SOURCE_DIR [WORK_DIR [SOMO]]}
src=${2:?source dir}
work=${3:-${TMPDIR:-/tmp}/somo-sample-course-check}
somo=${4:-} # rte: the somo command, to replay the SCOs' calls through `somo rte`
course=$src/examples/courses/customs-clearance-basics
manifest=$course/imsmanifest.xml

case $what in
schema)
	corpus=${SOMO_CORPUS_DIR:-$src/../shared/corpus}
	xsd=$corpus/xsd/scorm2004-4th_from-ADL-CTS-xml-xsd
	if [[ ! -f $xsd/imscp_v1p1.xsd ]]; then
		echo "SKIPPED: no SCORM 2004 4th Edition schemas at $xsd"
		exit 77
	fi
	command -v xmllint >/dev/null || { echo "xmllint is missing (Debian: libxml2-utils)"; exit 1; }
	xsd=$(cd "$xsd" && pwd)
	mkdir -p "$work"
	# One schema importing every namespace the manifest uses, so that the
	# sequencing and ADL extensions are validated too, and xml.xsd is read from
	# the corpus instead of the network.
	cat >"$work/scorm2004-4th.xsd" <<XSD
<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:somo:test:scorm2004-4th">
  <xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="file://$xsd/xml.xsd"/>
  <xs:import namespace="http://www.imsglobal.org/xsd/imscp_v1p1" schemaLocation="file://$xsd/imscp_v1p1.xsd"/>
  <xs:import namespace="http://www.adlnet.org/xsd/adlcp_v1p3" schemaLocation="file://$xsd/adlcp_v1p3.xsd"/>
  <xs:import namespace="http://www.adlnet.org/xsd/adlseq_v1p3" schemaLocation="file://$xsd/adlseq_v1p3.xsd"/>
  <xs:import namespace="http://www.adlnet.org/xsd/adlnav_v1p3" schemaLocation="file://$xsd/adlnav_v1p3.xsd"/>
  <xs:import namespace="http://www.imsglobal.org/xsd/imsss" schemaLocation="file://$xsd/imsss_v1p0.xsd"/>
</xs:schema>
XSD
	# xmllint notes on stderr that imscp_v1p1.xsd's own import of xml.xsd is
	# skipped (it is already imported); only its verdict matters.
	out=$(xmllint --nonet --noout --schema "$work/scorm2004-4th.xsd" "$manifest" 2>&1) || {
		echo "$out" | grep -v "Skipping import"
		exit 1
	}
	echo "$out" | grep -v "Skipping import"
	grep -q '<schemaversion>2004 4th Edition</schemaversion>' "$manifest" ||
		{ echo "schemaversion is not \"2004 4th Edition\""; exit 1; }
	;;
files)
	command -v xmllint >/dev/null || { echo "xmllint is missing (Debian: libxml2-utils)"; exit 1; }
	listed=$(xmllint --nonet --xpath "//*[local-name()='file']/@href" "$manifest" |
		sed -n 's/^ *href="\([^"]*\)"$/\1/p' | sort -u)
	present=$(cd "$course" && find . -type f ! -name imsmanifest.xml | sed 's|^\./||' | sort)
	status=0
	missing=$(comm -23 <(echo "$listed") <(echo "$present"))
	unlisted=$(comm -13 <(echo "$listed") <(echo "$present"))
	[[ -z $missing ]] || { echo "listed in the manifest but absent: $missing"; status=1; }
	[[ -z $unlisted ]] || { echo "in the package but listed by no resource: $unlisted"; status=1; }
	# Each SCO's launch file is one of its resource's files.
	for href in $(xmllint --nonet --xpath "//*[local-name()='resource']/@href" "$manifest" |
		sed -n 's/^ *href="\([^"]*\)"$/\1/p'); do
		grep -qx "$href" <<<"$listed" || { echo "launch file $href is not listed"; status=1; }
	done
	# Nothing from the network: no absolute or protocol-relative URLs in pages,
	# styles or scripts, no @import, and no script-driven requests.
	if grep -rnE "(src|href|action)=[\"'](https?:)?//|url\([\"']?(https?:)?//|@import|fetch\(|XMLHttpRequest|https?://" \
		--include='*.html' --include='*.css' --include='*.js' "$course"; then
		echo "the pages above refer to something outside the package"
		status=1
	fi
	# Every local src/href of a page resolves to a file of the package.
	while IFS=: read -r page ref; do
		ref=${ref%%#*}
		[[ -z $ref ]] && continue
		target=$(realpath -m "$course/$(dirname "$page")/$ref")
		[[ -f $target && $target == "$(realpath "$course")"/* ]] ||
			{ echo "$page refers to $ref, which is not in the package"; status=1; }
	done < <(cd "$course" && grep -roE "(src|href)=\"[^\"]*\"" --include='*.html' . |
		sed -E 's/^([^:]*):(src|href)="([^"]*)"$/\1:\3/')
	((status == 0)) && echo "$(wc -l <<<"$listed") files listed, all present, nothing external"
	exit $status
	;;
rte)
	# Each SCO played by headless Chromium against scorm-again's SCORM 2004
	# API, an implementation independent of Somo's: every call must succeed.
	api=$src/tools/node_modules/scorm-again/dist/scorm2004.js
	browser=$(command -v chromium || command -v chromium-browser || true)
	if [[ -z $browser || ! -f $api ]]; then
		echo "SKIPPED: needs chromium and scorm-again (scripts/deps.sh installs both)"
		exit 77
	fi
	mkdir -p "$work"
	status=0
	play() { # SCO DRIVER
		timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
			--no-first-run --user-data-dir="$work/profile" --allow-file-access-from-files \
			--enable-logging=stderr --v=0 --virtual-time-budget=5000 --dump-dom \
			"file://$src/tests/install/sample_course_rte.html?api=file://$api&sco=file://$course/$1&drive=$2" \
			2>"$work/$2.log" |
			python3 "$src/tests/install/check_sample_course_rte.py" "$2" "$1" "$work/$2.calls" || status=1
		# JavaScript errors of the SCO's own frame reach only the console.
		if grep -h "CONSOLE" "$work/$2.log" | grep -i "uncaught"; then
			echo "$2 ($1): JavaScript errors above"
			status=1
		fi
		# The same calls through Somo's own runtime, when its command is given.
		if [[ -n $somo && -s $work/$2.calls ]]; then
			python3 "$src/tests/install/check_sample_course_rte.py" --replay "$somo" \
				"$work/$2.calls" "$2 ($1)" || status=1
		fi
	}
	# Without any LMS each page must still work, and say so.
	for sco in intro valuation quiz; do
		dom=$(timeout 120 "$browser" --headless --no-sandbox --disable-gpu --disable-background-networking \
			--no-first-run --user-data-dir="$work/profile" --enable-logging=stderr --v=0 \
			--virtual-time-budget=3000 --dump-dom "file://$course/$sco/index.html" 2>"$work/no-api-$sco.log")
		if grep -h "CONSOLE" "$work/no-api-$sco.log" | grep -i "uncaught"; then
			echo "no LMS ($sco/index.html): JavaScript errors above"
			status=1
		elif ! grep -q "No learning management system was found" <<<"$dom"; then
			echo "no LMS ($sco/index.html): FAILED, the page does not say that progress is not recorded"
			status=1
		else
			echo "no LMS ($sco/index.html): ok"
		fi
	done
	play intro/index.html lesson
	play valuation/index.html lesson
	play intro/index.html leave
	play quiz/index.html quiz-pass
	play quiz/index.html quiz-fail
	exit $status
	;;
*)
	echo "unknown check: $what"
	exit 2
	;;
esac
