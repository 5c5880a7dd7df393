# Checks the dynamic symbols that libsomo.so defines: each must be a public
# function, named somo_* but not somo__* (the library-internal prefix), and
# declared in a public header.
# Run by ctest: cmake -DLIBRARY=libsomo.so -DINCLUDE_DIRS="dir|dir" -P exports.cmake
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND nm -D --defined-only ${LIBRARY}
  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm -D failed on ${LIBRARY}: ${err}")
endif()

# The text of every public header, to find each symbol's declaration.
string(REPLACE "|" ";" dirs "${INCLUDE_DIRS}")
set(decls "")
foreach(d IN LISTS dirs)
  file(GLOB_RECURSE hs ${d}/*.h)
  foreach(h IN LISTS hs)
    file(READ ${h} t)
    string(APPEND decls "${t}\n")
  endforeach()
endforeach()

string(REPLACE "\n" ";" lines "${out}")
set(bad "")
set(count 0)
foreach(line IN LISTS lines)
  # "<address> <type> <name>[@version]"
  if(NOT line MATCHES "^[0-9a-fA-F]* *([A-Za-z]) ([^ @]+)")
    continue()
  endif()
  set(name ${CMAKE_MATCH_2})
  math(EXPR count "${count} + 1")
  if(NOT name MATCHES "^somo_" OR name MATCHES "^somo__")
    list(APPEND bad "${name} (not a public somo_ name)")
  else()
    string(REGEX MATCH "[^A-Za-z0-9_]${name}[ \t\n]*\\(" found "${decls}")
    if(NOT found)
      list(APPEND bad "${name} (not declared in a public header)")
    endif()
  endif()
endforeach()

if(count EQUAL 0)
  message(FATAL_ERROR "nm -D found no defined symbols in ${LIBRARY}")
endif()
if(bad)
  string(REPLACE ";" "\n  " bad "${bad}")
  message(FATAL_ERROR "libsomo exports symbols it should not:\n  ${bad}")
endif()
message(STATUS "${count} exported symbols, all public somo_ functions")
