# Every third-party dependency comes from a Debian package (scripts/setup-debian.sh installs them).
# A missing one stops configuration with the package to install.

macro(sessionsim_require_package name debian_package)
  find_package(${name} ${ARGN})
  if(NOT ${name}_FOUND)
    message(FATAL_ERROR "${name} not found: apt-get install ${debian_package} (or run scripts/setup-debian.sh)")
  endif()
endmacro()

find_package(PkgConfig REQUIRED)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium>=1.0.18)
add_library(sessionsim::sodium ALIAS PkgConfig::SODIUM)
# Groups v2 compress message bodies with zstd when that makes them smaller (libsession).
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
add_library(sessionsim::zstd ALIAS PkgConfig::ZSTD)

sessionsim_require_package(ZLIB zlib1g-dev)
sessionsim_require_package(Protobuf "libprotobuf-dev protobuf-compiler" 3.12)
sessionsim_require_package(nlohmann_json nlohmann-json3-dev 3.10)
sessionsim_require_package(CLI11 libcli11-dev CONFIG)
sessionsim_require_package(tomlplusplus libtomlplusplus-dev CONFIG)
# Boost.Graph is used header-only (shortest paths over the latency graph).
sessionsim_require_package(Boost libboost-graph-dev 1.74 CONFIG)
find_path(SESSIONSIM_BOOST_GRAPH_INCLUDE boost/graph/dijkstra_shortest_paths.hpp
          HINTS ${Boost_INCLUDE_DIRS})
if(NOT SESSIONSIM_BOOST_GRAPH_INCLUDE)
  message(FATAL_ERROR "Boost.Graph headers not found: apt-get install libboost-graph-dev")
endif()
# The testbed node keeps its messages in SQLite and serves HTTPS with OpenSSL.
sessionsim_require_package(SQLite3 libsqlite3-dev)
sessionsim_require_package(OpenSSL libssl-dev)
# ns-3.37 (Debian: libns3-dev; its CMake config also needs ns3 and libgsl-dev installed).
sessionsim_require_package(ns3 "ns3 libns3-dev libgsl-dev" 3.37 CONFIG)

if(SESSIONSIM_BUILD_TESTS)
  sessionsim_require_package(GTest "libgtest-dev libgmock-dev" CONFIG)
endif()
if(SESSIONSIM_BUILD_BENCH)
  sessionsim_require_package(benchmark libbenchmark-dev CONFIG)
endif()
# pybind11 binds to Debian's /usr/bin/python3 (not another interpreter on PATH). It is required
# so that a missing package shows up at once; the module itself builds with SESSIONSIM_BUILD_PYTHON.
if(EXISTS /usr/bin/python3)
  if(NOT DEFINED Python_EXECUTABLE)
    set(Python_EXECUTABLE /usr/bin/python3)
  endif()
  if(NOT DEFINED Python3_EXECUTABLE)
    set(Python3_EXECUTABLE /usr/bin/python3)
  endif()
endif()
set(PYBIND11_FINDPYTHON ON)
sessionsim_require_package(pybind11 "pybind11-dev python3-dev" CONFIG)

message(STATUS "sessionsim: ns-3 ${ns3_VERSION}, libsodium ${SODIUM_VERSION}, "
               "nlohmann_json ${nlohmann_json_VERSION}, CLI11 ${CLI11_VERSION}, pybind11 ${pybind11_VERSION}")
