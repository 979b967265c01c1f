# Installs this build's CMake package into a fresh prefix, builds examples/out-of-tree/ against it
# as an outside project would (find_package(sessionsim), sessionsim::helper), runs the program and
# checks that its message arrives. Fails on any step's error, on a package found elsewhere than the
# fresh prefix, and on output without the delivered message.
# cmake -DBUILD_DIR=<sessionsim build> -DCONFIG=<config> -DSOURCE=<examples/out-of-tree>
#       -DOUT=<scratch dir> -DGENERATOR=<generator> -DMAKE_PROGRAM=<ninja/make>
#       -DCXX_COMPILER=<c++> -P out_of_tree_find_package.cmake
set(prefix "${OUT}/prefix")
set(build "${OUT}/build")
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")

# run(<what> <command>...): runs the command; stops the test with its output if it fails.
function(run what)
  execute_process(COMMAND ${ARGN} RESULT_VARIABLE status OUTPUT_VARIABLE out ERROR_VARIABLE out)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${what} failed (${status}):\n${out}")
  endif()
  set(output "${out}" PARENT_SCOPE)
endfunction()

# The package alone: the Development component needs only the libraries, not the sessionsim
# program or the Python module, which a build of some targets may not have.
run("cmake --install" ${CMAKE_COMMAND} --install "${BUILD_DIR}" --config "${CONFIG}"
    --prefix "${prefix}" --component Development)
run("configuring examples/out-of-tree" ${CMAKE_COMMAND} -S "${SOURCE}" -B "${build}"
    -G "${GENERATOR}" "-DCMAKE_MAKE_PROGRAM=${MAKE_PROGRAM}" "-DCMAKE_CXX_COMPILER=${CXX_COMPILER}"
    "-DCMAKE_BUILD_TYPE=${CONFIG}" "-DCMAKE_PREFIX_PATH=${prefix}")
# A sessionsim installed elsewhere (/usr/local, say) would make this test pass for the wrong reason.
file(STRINGS "${build}/CMakeCache.txt" found_at REGEX "^sessionsim_DIR:")
string(FIND "${found_at}" "${prefix}/" in_prefix)
if(NOT in_prefix GREATER -1)
  message(FATAL_ERROR "find_package(sessionsim) did not use the fresh install in ${prefix}: ${found_at}")
endif()
run("building examples/out-of-tree" ${CMAKE_COMMAND} --build "${build}" --config "${CONFIG}")

# Single-config generators put the program in the build folder, multi-config ones in <config>/.
set(program "${build}/onion-request")
if(NOT EXISTS "${program}")
  set(program "${build}/${CONFIG}/onion-request")
endif()
run("the out-of-tree onion-request" "${program}")
if(NOT output MATCHES "read at [0-9.]+ s by client 1: \"hello through three hops\"")
  message(FATAL_ERROR "the message did not arrive in the out-of-tree program:\n${output}")
endif()
message(STATUS "out-of-tree program built against ${prefix}:\n${output}")
