# Installs the current build into PREFIX, then builds examples/ against that
# install twice: as a CMake project with find_package(somo), and by hand with
# the flags of `pkg-config --cflags --libs somo`. Each program is run on the
# sample course and must print its standard and organization tree.
#
# Run by ctest: cmake -DSOURCE_DIR= -DBINARY_DIR= -DPREFIX= -DLIBDIR= -DC_COMPILER=
#                     -DGENERATOR= -P install_and_build.cmake
cmake_minimum_required(VERSION 3.25)

function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(run_output "${out}" PARENT_SCOPE)
  set(run_errors "${err}" PARENT_SCOPE)
endfunction()

set(course ${SOURCE_DIR}/examples/courses/customs-clearance-basics)
set(work ${PREFIX}-work)
file(REMOVE_RECURSE ${PREFIX} ${work})
file(MAKE_DIRECTORY ${work})

# 1. Install.
run("cmake --install" ${CMAKE_COMMAND} --install ${BINARY_DIR} --prefix ${PREFIX})
foreach(f include/somo.h include/somo/common.h include/somo/version.h
          ${LIBDIR}/cmake/somo/somoConfig.cmake ${LIBDIR}/pkgconfig/somo.pc)
  if(NOT EXISTS ${PREFIX}/${f})
    message(FATAL_ERROR "the install tree lacks ${f}")
  endif()
endforeach()
file(GLOB shared ${PREFIX}/${LIBDIR}/libsomo.so*)
if(NOT shared)
  message(FATAL_ERROR "the install tree lacks ${LIBDIR}/libsomo.so")
endif()

# The installed programs find libsomo in the prefix, not in the build tree.
set(ENV{LD_LIBRARY_PATH} "${PREFIX}/${LIBDIR}")

# What every build of the example must print for the sample course.
function(check_output program)
  run("${program} on the sample course" ${program} ${course})
  foreach(want "SCORM 2004 4th Edition" "Customs Clearance Basics [customs_clearance_basics] (default)"
               "Introduction to customs clearance [intro] SCO -> intro/index.html"
               "Customs valuation [valuation] SCO -> valuation/index.html"
               "Check your understanding [quiz] SCO -> quiz/index.html")
    string(FIND "${run_output}" "${want}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${program} did not print \"${want}\":\n${run_output}\n${run_errors}")
    endif()
  endforeach()
  run("${program} --files" ${program} --files ${course})
  foreach(want "imsmanifest.xml" "shared/course.js" "quiz/quiz.js")
    string(FIND "${run_output}" "${want}" at)
    if(at EQUAL -1)
      message(FATAL_ERROR "${program} --files did not list ${want}:\n${run_output}")
    endif()
  endforeach()
  message(STATUS "${program}: ok")
endfunction()

# 2. The CMake package: configure examples/ against the prefix only.
run("configuring examples/ with find_package(somo)"
  ${CMAKE_COMMAND} -S ${SOURCE_DIR}/examples -B ${work}/cmake -G ${GENERATOR}
    -DCMAKE_PREFIX_PATH=${PREFIX} -DCMAKE_C_COMPILER=${C_COMPILER}
    -DCMAKE_FIND_USE_PACKAGE_REGISTRY=OFF -DCMAKE_FIND_USE_SYSTEM_PACKAGE_REGISTRY=OFF)
run("building examples/" ${CMAKE_COMMAND} --build ${work}/cmake)
check_output(${work}/cmake/inspect_package)

# 3. pkg-config. The .pc file names the prefix given at configure time, so the
# prefix is redefined to where this test installed.
find_program(PKG_CONFIG NAMES pkg-config pkgconf REQUIRED)
set(ENV{PKG_CONFIG_PATH} "${PREFIX}/${LIBDIR}/pkgconfig")
run("pkg-config --cflags --libs somo"
  ${PKG_CONFIG} --define-variable=prefix=${PREFIX} --cflags --libs somo)
string(STRIP "${run_output}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
if(NOT "-I${PREFIX}/include" IN_LIST flags OR NOT "-lsomo" IN_LIST flags)
  message(FATAL_ERROR "pkg-config gave unexpected flags: ${flags}")
endif()
run("compiling the example with pkg-config's flags"
  ${C_COMPILER} -std=c11 -Wall -Wextra -Werror ${SOURCE_DIR}/examples/inspect_package.c
    ${flags} -o ${work}/inspect_package_pc)
check_output(${work}/inspect_package_pc)
