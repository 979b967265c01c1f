# Links python/sessionsim/*.py, the analysis/ and explorer/ folders into the build's package folder, so the
# package in build/python/ always runs the current sources.
file(MAKE_DIRECTORY "${PACKAGE_DIR}")
file(GLOB modules RELATIVE "${SOURCE_ROOT}/python/sessionsim" "${SOURCE_ROOT}/python/sessionsim/*.py")
foreach(module IN LISTS modules)
  if(NOT EXISTS "${PACKAGE_DIR}/${module}")
    file(CREATE_LINK "${SOURCE_ROOT}/python/sessionsim/${module}" "${PACKAGE_DIR}/${module}" SYMBOLIC)
  endif()
endforeach()
# The explorer's page sources and, in its node_modules/, the libraries npm fetched.
if(NOT EXISTS "${PACKAGE_DIR}/explorer")
  file(CREATE_LINK "${SOURCE_ROOT}/explorer" "${PACKAGE_DIR}/explorer" SYMBOLIC)
endif()
if(NOT EXISTS "${PACKAGE_DIR}/analysis")
  file(CREATE_LINK "${SOURCE_ROOT}/analysis" "${PACKAGE_DIR}/analysis" SYMBOLIC)
endif()
