#include "sim/scenario/pcap_trace.h"

#include <filesystem>
#include <sstream>

#include "sim/net/wan_helper.h"
#include "sim/scenario/session_run.h"

namespace sessionsim::scenario {

PcapTrace::PcapTrace(const Scenario& sc) : source_(sc.source()) {
    const std::string value = sc.text("trace.pcap");
    if (!value.empty() && sc.text("network.transport") != "packet") {
        throw ScenarioError(sc.source() +
                            ": trace.pcap: packets exist only at the packet level; set "
                            "network.transport = \"packet\" to capture them");
    }
    if (value.empty() || value == "all" || value == "nodes" || value == "clients") {
        which_ = value;
        return;
    }
    std::istringstream list(value);
    for (std::string item; std::getline(list, item, ',');) {
        item.erase(0, item.find_first_not_of(' '));
        item.erase(item.find_last_not_of(' ') + 1);
        if (item.empty() || item.find_first_not_of("0123456789") != std::string::npos ||
            item.size() > 9) {
            throw ScenarioError(sc.source() + ": trace.pcap: '" + item +
                                "' is not a host index; give \"all\", \"nodes\", \"clients\" or "
                                "host indices as in hosts.csv, e.g. \"0, 305\"");
        }
        hosts_.push_back(std::stoul(item));
    }
    which_ = "list";
}

void PcapTrace::install(SessionRun& run) {
    std::vector<std::size_t> hosts = hosts_;
    if (which_ == "nodes" || which_ == "clients") {
        const std::size_t first = which_ == "nodes" ? 0 : run.n_nodes;
        const std::size_t end = which_ == "nodes" ? run.n_nodes : run.n_nodes + run.n_clients;
        for (std::size_t i = first; i < end; ++i)
            hosts.push_back(i);
    }
    for (const auto i : hosts) {
        if (i >= run.wan.devices.size()) {
            throw ScenarioError(source_ + ": trace.pcap: host " + std::to_string(i) +
                                " does not exist (" + std::to_string(run.wan.devices.size()) +
                                " hosts: service nodes, then clients, then servers)");
        }
    }
    // "all": every host, the features' servers too (EnablePcap's empty list).
    net::WanHelper::EnablePcap(
        (std::filesystem::path(run.options.out_dir) / "pcap" / "host").string(), run.wan, hosts);
}

}  // namespace sessionsim::scenario
