// trace.pcap: pcap traces of the WAN devices of the hosts the scenario names, written into the
// results folder as <out>/pcap/host-<i>.pcap (i as in hosts.csv) by ns-3's pcap helper, raw
// IPv4 with each packet's TCP segment, which tshark and Wireshark read. For looking at what an
// observer on a link sees, byte by byte; every packet is written, so a large run writes a lot.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "sim/scenario/feature.h"
#include "sim/scenario/scenario_config.h"

namespace sessionsim::scenario {

class PcapTrace : public Feature {
public:
    /// Reads trace.pcap: "" (off), "all", "nodes", "clients", or host indices "0, 12, 305".
    /// Throws ScenarioError naming the key for anything else.
    explicit PcapTrace(const Scenario& sc);
    std::string_view name() const override { return "pcap trace"; }
    bool active() const override { return !which_.empty(); }
    /// Hooks the devices' trace sources (every host exists once the features have placed
    /// theirs). Throws ScenarioError for an index past the last host.
    void install(SessionRun& run) override;

private:
    std::string source_;
    std::string which_;               ///< "all", "nodes", "clients" or "list"
    std::vector<std::size_t> hosts_;  ///< for "list"
};

}  // namespace sessionsim::scenario
