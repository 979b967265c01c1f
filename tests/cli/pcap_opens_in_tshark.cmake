# Runs a program that writes pcap traces (the onion-request example with --pcap, or
# `sessionsim run --set trace.pcap=...`) and reads a client's trace with tshark: the file must
# parse as raw IPv4 carrying TCP, with the client's connection handshake (a SYN) in it.
# cmake -DPROGRAM=<program> -DARGS="<arguments, OUT for the folder>" -DTRACE=<file under OUT>
#       -DOUT=<dir> -P pcap_opens_in_tshark.cmake
find_program(TSHARK tshark)
if(NOT TSHARK)
  message(FATAL_ERROR "tshark not found: apt-get install tshark (scripts/setup-debian.sh does)")
endif()
file(REMOVE_RECURSE "${OUT}")
file(MAKE_DIRECTORY "${OUT}")
string(REPLACE "OUT" "${OUT}" ARGS "${ARGS}")
separate_arguments(args UNIX_COMMAND "${ARGS}")
execute_process(COMMAND "${PROGRAM}" ${args} RESULT_VARIABLE status OUTPUT_QUIET
                ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "${PROGRAM} failed (${status}): ${err}")
endif()
set(trace "${OUT}/${TRACE}")
if(NOT EXISTS "${trace}")
  message(FATAL_ERROR "no trace at ${trace}")
endif()
execute_process(COMMAND "${TSHARK}" -r ${trace} -q -z io,phs
                RESULT_VARIABLE status OUTPUT_VARIABLE hierarchy ERROR_VARIABLE err)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "tshark could not read the trace: ${err}")
endif()
if(NOT hierarchy MATCHES "ip +frames:[1-9]" OR NOT hierarchy MATCHES "tcp +frames:[1-9]")
  message(FATAL_ERROR "no IPv4/TCP frames in the trace:\n${hierarchy}")
endif()
execute_process(COMMAND "${TSHARK}" -r ${trace} -Y "tcp.flags.syn == 1 && tcp.flags.ack == 0"
                OUTPUT_VARIABLE syns ERROR_QUIET)
if(NOT syns MATCHES "SYN")
  message(FATAL_ERROR "no connection opening (SYN) in the client's trace")
endif()
message(STATUS "pcap: ${hierarchy}")
