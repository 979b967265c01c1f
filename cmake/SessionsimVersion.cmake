# Version stamp for provenance: "<project version>+<git describe>" regenerated at every build,
# rewritten only when it changes so that it does not force relinks.
set(SESSIONSIM_VERSION_CC "${CMAKE_BINARY_DIR}/generated/version.cc")
add_custom_target(sessionsim_version_stamp
  COMMAND ${CMAKE_COMMAND}
          -DSOURCE_DIR=${CMAKE_SOURCE_DIR}
          -DOUTPUT=${SESSIONSIM_VERSION_CC}
          -DPROJECT_VERSION=${PROJECT_VERSION}
          -P ${CMAKE_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${SESSIONSIM_VERSION_CC}
  COMMENT "Stamping sessionsim version")
