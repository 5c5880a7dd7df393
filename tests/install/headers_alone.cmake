# Compiles each public header alone (twice, to check its include guard) with
# -std=c11 -pedantic -Wall -Wextra -Werror, as a user of Somo would include it.
# Run by ctest: cmake -DSOURCE_DIR= -DBINARY_DIR= -DWORK_DIR= -DC_COMPILER= -P headers_alone.cmake
cmake_minimum_required(VERSION 3.25)
file(GLOB headers RELATIVE ${SOURCE_DIR}/include
  ${SOURCE_DIR}/include/somo.h
  ${SOURCE_DIR}/include/somo/*.h
  ${SOURCE_DIR}/include/somo/sys/*.h)
list(APPEND headers somo/version.h) # generated into the build tree
list(REMOVE_DUPLICATES headers)
list(SORT headers)

file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR})
set(failed "")
foreach(h IN LISTS headers)
  string(MAKE_C_IDENTIFIER "${h}" stem)
  set(src ${WORK_DIR}/${stem}.c)
  file(WRITE ${src} "#include <${h}>\n#include <${h}>\nint somo_header_test_${stem}(void);\nint somo_header_test_${stem}(void) { return 0; }\n")
  execute_process(
    COMMAND ${C_COMPILER} -std=c11 -pedantic -Wall -Wextra -Werror -Wstrict-prototypes
            -I${SOURCE_DIR}/include -I${BINARY_DIR}/include -c ${src} -o ${WORK_DIR}/${stem}.o
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(rc EQUAL 0)
    message(STATUS "ok    ${h}")
  else()
    message(STATUS "FAIL  ${h}\n${out}")
    list(APPEND failed ${h})
  endif()
endforeach()
list(LENGTH headers total)
list(LENGTH failed nfailed)
if(nfailed GREATER 0)
  message(FATAL_ERROR "${nfailed} of ${total} public headers do not compile alone: ${failed}")
endif()
message(STATUS "all ${total} public headers compile alone")
