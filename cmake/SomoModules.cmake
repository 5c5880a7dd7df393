# Each folder under lib/ is one module, compiled once as an OBJECT library
# (somo_mod_<name>). The shared and static libsomo are made from all of them;
# tests link just the modules they exercise (and what those depend on), so
# a test can reach a module's internal somo__ functions.

set(SOMO_MODULES "" CACHE INTERNAL "")

# somo_module(NAME DEPS <modules below it> LIBS <imported targets>)
function(somo_module name)
  cmake_parse_arguments(M "" "" "DEPS;LIBS" ${ARGN})
  file(GLOB _src CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/${name}/*.c)
  if(NOT _src)
    return()
  endif()
  add_library(somo_mod_${name} OBJECT ${_src})
  target_include_directories(somo_mod_${name} PUBLIC
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_BINARY_DIR}/include>
    $<BUILD_INTERFACE:${PROJECT_SOURCE_DIR}/lib>)
  target_compile_definitions(somo_mod_${name} PUBLIC SOMO_BUILDING)
  foreach(d IN LISTS M_DEPS)
    if(TARGET somo_mod_${d})
      target_link_libraries(somo_mod_${name} PUBLIC somo_mod_${d})
    endif()
  endforeach()
  foreach(l IN LISTS M_LIBS)
    target_link_libraries(somo_mod_${name} PUBLIC ${l})
  endforeach()
  set_property(GLOBAL PROPERTY SOMO_DEPS_${name} "${M_DEPS}")
  set(SOMO_MODULES "${SOMO_MODULES};${name}" CACHE INTERNAL "")
endfunction()

# The module and everything it depends on, transitively.
function(somo_module_closure out)
  set(_todo ${ARGN})
  set(_seen "")
  while(_todo)
    list(POP_FRONT _todo m)
    if(m IN_LIST _seen OR NOT TARGET somo_mod_${m})
      continue()
    endif()
    list(APPEND _seen ${m})
    get_property(_d GLOBAL PROPERTY SOMO_DEPS_${m})
    list(APPEND _todo ${_d})
  endwhile()
  set(${out} ${_seen} PARENT_SCOPE)
endfunction()

# somo_link_modules(<target> <modules...>): link the objects of the modules
# and their dependencies straight into target.
function(somo_link_modules target)
  somo_module_closure(_mods ${ARGN})
  foreach(m IN LISTS _mods)
    target_sources(${target} PRIVATE $<TARGET_OBJECTS:somo_mod_${m}>)
    target_link_libraries(${target} PRIVATE somo_mod_${m})
  endforeach()
endfunction()

# somo_test(NAME SOURCES <files> MODULES <modules> [ARGS <args>] [LABELS <labels>])
# A cmocka (or plain) test program linked against the named modules.
function(somo_test name)
  cmake_parse_arguments(T "" "" "SOURCES;MODULES;ARGS;LABELS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  somo_link_modules(${name} ${T_MODULES})
  target_link_libraries(${name} PRIVATE PkgConfig::CMOCKA Threads::Threads)
  target_compile_definitions(${name} PRIVATE
    SOMO_SOURCE_DIR="${PROJECT_SOURCE_DIR}" SOMO_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME ${name} COMMAND ${name} ${T_ARGS})
  set_tests_properties(${name} PROPERTIES
    ENVIRONMENT "SOMO_SOURCE_DIR=${PROJECT_SOURCE_DIR};SOMO_BUILD_DIR=${PROJECT_BINARY_DIR}"
    SKIP_RETURN_CODE 77)
  if(T_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${T_LABELS}")
  endif()
endfunction()

# somo_fuzz(NAME SOURCE <harness.c> MODULES <modules>)
# A libFuzzer harness (LLVMFuzzerTestOneInput). With SOMO_FUZZ it is built as
# a fuzzer, fuzz-<name>; in every other build its saved inputs under
# fuzz/corpus/<name>/ are replayed by ctest through fuzz/replay.c.
function(somo_fuzz name)
  cmake_parse_arguments(F "" "SOURCE" "MODULES" ${ARGN})
  add_executable(fuzz-${name} ${F_SOURCE})
  somo_link_modules(fuzz-${name} ${F_MODULES})
  target_link_libraries(fuzz-${name} PRIVATE Threads::Threads)
  if(SOMO_FUZZ)
    target_link_options(fuzz-${name} PRIVATE -fsanitize=fuzzer)
  else()
    target_sources(fuzz-${name} PRIVATE ${PROJECT_SOURCE_DIR}/fuzz/replay.c)
    add_test(NAME fuzz-replay-${name}
      COMMAND fuzz-${name} ${PROJECT_SOURCE_DIR}/fuzz/corpus/${name})
  endif()
endfunction()

# somo_bench(NAME SOURCES <files> MODULES <modules>): a benchmark program,
# built into the build folder's bench/ and run by bench/<area>/run.sh.
function(somo_bench name)
  cmake_parse_arguments(B "" "" "SOURCES;MODULES" ${ARGN})
  add_executable(${name} ${B_SOURCES})
  somo_link_modules(${name} ${B_MODULES})
  target_link_libraries(${name} PRIVATE Threads::Threads)
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/bench)
endfunction()
