# Fails if a library that must not reach ns-3 does (docs/architecture.md, "Layers"): run by CTest
# as `cmake -DLAYER=<file> -P no_ns3.cmake`, where <file> (written at configure time by
# tests/CMakeLists.txt) sets TARGET, CLOSURE (every library it links, transitively, aliases
# resolved) and SOURCES (the sources of the project's own libraries among them).
#
# Two ways to reach ns-3, two checks:
#  - linking it: an entry of the closure names ns-3 (sessionsim::ns3, ns3::lib*, a libns3 file);
#  - including it: a source, or a project header it includes (followed through quoted includes),
#    includes <ns3/...>. The link check alone would miss header-only use (ns3::Ptr, Time), and the
#    compiler would not: Debian's ns-3 headers sit in /usr/include, on every target's path.
cmake_minimum_required(VERSION 3.25)
include("${LAYER}")

set(failures "")
foreach(entry IN LISTS CLOSURE)
  if(entry MATCHES "ns3")
    list(APPEND failures "links ${entry}")
  endif()
endforeach()

# Quoted includes are the project's own, rooted at the source folder (or the including file's
# folder, or the build folder for generated headers); angle-bracket ones are only checked, not
# followed.
set(seen "")
set(todo ${SOURCES})
while(todo)
  list(POP_FRONT todo file)
  if(file IN_LIST seen OR NOT EXISTS "${file}")
    continue()
  endif()
  list(APPEND seen "${file}")
  file(STRINGS "${file}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*[<\"]")
  get_filename_component(dir "${file}" DIRECTORY)
  foreach(line IN LISTS lines)
    if(line MATCHES "#[ \t]*include[ \t]*[<\"](ns3/[^>\"]+)[>\"]")
      file(RELATIVE_PATH shown "${ROOT}" "${file}")
      list(APPEND failures "${shown} includes <${CMAKE_MATCH_1}>")
    elseif(line MATCHES "#[ \t]*include[ \t]*\"([^\"]+)\"")
      foreach(base "${ROOT}" "${dir}" "${BUILD}")
        if(EXISTS "${base}/${CMAKE_MATCH_1}")
          list(APPEND todo "${base}/${CMAKE_MATCH_1}")
          break()
        endif()
      endforeach()
    endif()
  endforeach()
endwhile()

list(LENGTH CLOSURE n_libraries)
list(LENGTH seen n_files)
if(failures)
  list(JOIN failures "\n  " text)
  message(FATAL_ERROR "${TARGET} must not reach ns-3, but:\n  ${text}")
endif()
message(STATUS "${TARGET}: no ns-3 in ${n_libraries} libraries linked and ${n_files} files "
               "compiled or included")
