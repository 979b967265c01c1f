#include "sim/net/tcp_settings.h"

#include <ns3/boolean.h>
#include <ns3/uinteger.h>

#include "sim/net/wan_links.h"

namespace sessionsim::net {

NS_OBJECT_ENSURE_REGISTERED(TcpSettings);

ns3::TypeId TcpSettings::GetTypeId() {
    static ns3::TypeId tid =
        ns3::TypeId("sessionsim::TcpSettings")
            .SetParent<ns3::Object>()
            .SetGroupName("sessionsim")
            .AddConstructor<TcpSettings>()
            .AddAttribute(
                "SegmentSize", "Payload bytes per TCP segment of the node's sockets",
                ns3::UintegerValue(WanLinkOptions{}.tcp_segment_bytes),
                ns3::MakeUintegerAccessor(&TcpSettings::segment_bytes_),
                ns3::MakeUintegerChecker<std::uint32_t>(kMinTcpSegmentBytes, kMaxTcpSegmentBytes))
            .AddAttribute("SlowStartRestart",
                          "Whether the node's connections restart slow start after an idle "
                          "retransmission timeout, as Linux's do",
                          ns3::BooleanValue(WanLinkOptions{}.tcp_slow_start_restart),
                          ns3::MakeBooleanAccessor(&TcpSettings::slow_start_restart_),
                          ns3::MakeBooleanChecker());
    return tid;
}

}  // namespace sessionsim::net
