# ns-3.37's headers do not compile as C++20 with GCC 12: two class templates declare their
# constructors as `Singleton<T>(...)`, a template-id that C++20 forbids (ns-3.38 fixed it
# upstream). sessionsim is C++20 throughout, so at configure time we make corrected copies of
# exactly those two installed headers in the build tree and force-include them first; their
# include guards then turn the system copies into no-ops. Nothing of ns-3 is committed here.
#
# Provides sessionsim::ns3, an interface target that links the ns-3 modules and applies the fix.
# `cmake --install` installs the two copies too (cmake/SessionsimInstall.cmake), and the exported
# sessionsim::ns3 force-includes those, so an outside ns-3 program gets the same fix.

find_path(SESSIONSIM_NS3_INCLUDE ns3/singleton.h HINTS /usr/include)
if(NOT SESSIONSIM_NS3_INCLUDE)
  message(FATAL_ERROR "ns3/singleton.h not found: apt-get install libns3-dev")
endif()

set(_fixed_dir "${CMAKE_BINARY_DIR}/ns3-cxx20/ns3")
set(_forced "")
set(SESSIONSIM_NS3_FIXED_HEADERS "")
# Where `cmake --install` puts the copies, relative to the prefix: beside sessionsim's headers.
set(SESSIONSIM_NS3_FIXED_INSTALL_DIR "${SESSIONSIM_INSTALL_INCLUDEDIR}/ns3-cxx20/ns3")
foreach(header singleton.h simulation-singleton.h)
  file(READ "${SESSIONSIM_NS3_INCLUDE}/ns3/${header}" text)
  # `Name<T>(` and `~Name<T>(` -> `Name(` / `~Name(`: the C++20-valid spelling, same meaning.
  string(REGEX REPLACE "(~?)(Singleton|SimulationSingleton)<T>\\(" "\\1\\2(" text "${text}")
  # The copy lives elsewhere, so its quoted sibling include must name the installed header.
  string(REPLACE "#include \"simulator.h\"" "#include <ns3/simulator.h>" text "${text}")
  file(WRITE "${_fixed_dir}/${header}.tmp" "${text}")
  configure_file("${_fixed_dir}/${header}.tmp" "${_fixed_dir}/${header}" COPYONLY)
  list(APPEND SESSIONSIM_NS3_FIXED_HEADERS "${_fixed_dir}/${header}")
  # Quoted for SHELL:'s splitting, since an install prefix may contain spaces.
  list(APPEND _forced
       "$<BUILD_INTERFACE:SHELL:-include \"${_fixed_dir}/${header}\">"
       "$<INSTALL_INTERFACE:SHELL:-include \"$<INSTALL_PREFIX>/${SESSIONSIM_NS3_FIXED_INSTALL_DIR}/${header}\">")
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${SESSIONSIM_NS3_INCLUDE}/ns3/${header}")
endforeach()

add_library(sessionsim_ns3 INTERFACE)
add_library(sessionsim::ns3 ALIAS sessionsim_ns3)
set_target_properties(sessionsim_ns3 PROPERTIES EXPORT_NAME ns3)
target_link_libraries(sessionsim_ns3 INTERFACE ns3::libcore ns3::libnetwork ns3::libinternet)
target_compile_options(sessionsim_ns3 INTERFACE ${_forced})
