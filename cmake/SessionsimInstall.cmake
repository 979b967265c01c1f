# `cmake --install` of sessionsim's ns-3 helpers as a CMake package, for an outside ns-3 program:
#
#   cmake --install build --prefix <prefix>       # or --component Development: the package only
#   find_package(sessionsim REQUIRED)              # with -DCMAKE_PREFIX_PATH=<prefix>
#   target_link_libraries(my-program PRIVATE sessionsim::helper)
#
# The package holds the static libraries from the helpers down (helper, apps, wan, net, models),
# sessionsim::ns3 (the ns-3 modules plus the C++20 fix of cmake/Ns3Cxx20.cmake, pointing at its
# installed copies of the two fixed headers), their headers under include/sessionsim/ in the
# source tree's layout, and sessionsimConfig.cmake, which finds the same third-party packages
# the libraries were built with. examples/out-of-tree/ uses it; a CTest test builds that example
# against a fresh install (example.out_of_tree_find_package).
include(CMakePackageConfigHelpers)

set(SESSIONSIM_INSTALL_CMAKEDIR "${CMAKE_INSTALL_LIBDIR}/cmake/sessionsim")
set(_libraries sessionsim_models sessionsim_net sessionsim_wan sessionsim_apps sessionsim_helper)
foreach(lib IN LISTS _libraries)
  # sessionsim_models -> sessionsim::models, as the package's users name them.
  string(REGEX REPLACE "^sessionsim_" "" export_name "${lib}")
  set_target_properties(${lib} PROPERTIES EXPORT_NAME ${export_name})
endforeach()

# A static library built with sanitizers needs their runtime in every program that links it; in
# this tree add_link_options() gives every target that, the package must carry it itself.
if(SESSIONSIM_SANITIZE)
  target_link_options(sessionsim_models INTERFACE
                      "$<INSTALL_INTERFACE:-fsanitize=${SESSIONSIM_SANITIZE}>")
endif()

# Everything here is in the Development component, so `--component Development` installs the
# package alone, without the sessionsim program or the Python package (which may not be built).
install(TARGETS ${_libraries} sessionsim_ns3
        EXPORT sessionsimTargets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR} COMPONENT Development
        INCLUDES DESTINATION ${SESSIONSIM_INSTALL_INCLUDEDIR})
# The headers of those libraries, nothing else (no sources, no templates).
install(DIRECTORY ${PROJECT_SOURCE_DIR}/models
        DESTINATION ${SESSIONSIM_INSTALL_INCLUDEDIR} COMPONENT Development
        FILES_MATCHING PATTERN "*.h")
foreach(dir net apps helper)
  install(DIRECTORY ${PROJECT_SOURCE_DIR}/sim/${dir}
          DESTINATION ${SESSIONSIM_INSTALL_INCLUDEDIR}/sim COMPONENT Development
          FILES_MATCHING PATTERN "*.h")
endforeach()
install(FILES ${SESSIONSIM_NS3_FIXED_HEADERS}
        DESTINATION ${SESSIONSIM_NS3_FIXED_INSTALL_DIR} COMPONENT Development)

install(EXPORT sessionsimTargets
        NAMESPACE sessionsim::
        DESTINATION ${SESSIONSIM_INSTALL_CMAKEDIR} COMPONENT Development)
# The config file re-finds the dependencies at the versions required here (and ns-3 at exactly
# the version whose headers were fixed).
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/sessionsimConfig.cmake.in
                              ${CMAKE_BINARY_DIR}/package/sessionsimConfig.cmake
                              INSTALL_DESTINATION ${SESSIONSIM_INSTALL_CMAKEDIR})
# 0.x: a minor version may change the helpers' interface, so only the same minor version matches.
write_basic_package_version_file(${CMAKE_BINARY_DIR}/package/sessionsimConfigVersion.cmake
                                 COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_BINARY_DIR}/package/sessionsimConfig.cmake
              ${CMAKE_BINARY_DIR}/package/sessionsimConfigVersion.cmake
        DESTINATION ${SESSIONSIM_INSTALL_CMAKEDIR} COMPONENT Development)
