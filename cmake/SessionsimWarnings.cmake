# Warning flags for the project's own targets (not for third-party headers).
add_library(sessionsim_warnings INTERFACE)
target_compile_options(sessionsim_warnings INTERFACE
  $<$<CXX_COMPILER_ID:GNU,Clang>:-Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor>
  $<$<BOOL:${SESSIONSIM_WARNINGS_AS_ERRORS}>:-Werror>)
