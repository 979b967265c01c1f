// The TCP settings every socket a node opens starts with, aggregated to the node by build_wan
// (as ns-3 aggregates the internet stack itself) so that one network's settings reach its own
// sockets and no other: ns-3's Config::SetDefault would change every simulation in the process.
//
// SegmentSize is the payload a segment carries (ns-3's TcpSocket::SegmentSize, Linux's MSS less
// the options). ns-3's default is RFC 879's 536 bytes; a Linux host on a 1500-byte MTU with TCP
// timestamps sends 1448, and both scale the initial window of 10 segments by it (5,360 against
// 14,480 bytes), so in ns-3's default a 6 KB reply on a new connection needs a second round trip
// that it does not on the real Internet.
#pragma once

#include <cstdint>

#include <ns3/object.h>

namespace sessionsim::net {

class TcpSettings final : public ns3::Object {
public:
    static ns3::TypeId GetTypeId();
    std::uint32_t segment_bytes() const { return segment_bytes_; }
    bool slow_start_restart() const { return slow_start_restart_; }

private:
    std::uint32_t segment_bytes_ = 0;  // set from the attribute's default by the constructor
    bool slow_start_restart_ = false;
};

}  // namespace sessionsim::net
