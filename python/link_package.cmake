# Links python/sessionsim/*.py and the analysis/ folder into the build's package folder, so the
# package in build/python/ always runs the current sources.
file(MAKE_DIRECTORY "${PACKAGE_DIR}")
file(GLOB modules RELATIVE "${SOURCE_ROOT}/python/sessionsim" "${SOURCE_ROOT}/python/sessionsim/*.py")
foreach(module IN LISTS modules)
  if(NOT EXISTS "${PACKAGE_DIR}/${module}")
    file(CREATE_LINK "${SOURCE_ROOT}/python/sessionsim/${module}" "${PACKAGE_DIR}/${module}" SYMBOLIC)
  endif()
endforeach()
if(NOT EXISTS "${PACKAGE_DIR}/analysis")
  file(CREATE_LINK "${SOURCE_ROOT}/analysis" "${PACKAGE_DIR}/analysis" SYMBOLIC)
endif()
