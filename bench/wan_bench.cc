// The WAN channel's cost per packet as the network grows: UDP datagrams between random host
// pairs at 100, 1,000 and 10,000 hosts, beside ns-3's raw scheduler (empty events) in the same
// run. Setup (nodes, stacks, devices) is excluded from the timed part.
#include <benchmark/benchmark.h>

#include <ns3/core-module.h>
#include <ns3/internet-module.h>
#include <ns3/network-module.h>
#include <chrono>

#include "sim/net/wan_helper.h"

namespace {

using namespace sessionsim;

void BM_Ns3RawScheduler(benchmark::State& state) {
    for (auto _ : state) {
        for (int i = 0; i < 200'000; ++i)
            ns3::Simulator::Schedule(ns3::NanoSeconds(i), [] {});
        ns3::Simulator::Run();
        ns3::Simulator::Destroy();
    }
    state.SetItemsProcessed(state.iterations() * 200'000);
    state.SetLabel("events");
}
BENCHMARK(BM_Ns3RawScheduler)->Unit(benchmark::kMillisecond);

void BM_WanUdpPackets(benchmark::State& state) {
    const auto hosts_n = static_cast<std::size_t>(state.range(0));
    constexpr int kPackets = 50'000;
    for (auto _ : state) {
        state.PauseTiming();
        crypto::SeededRandom random(1, "wan bench");
        std::vector<net::PlacedHost> hosts(hosts_n);
        for (std::size_t i = 0; i < hosts_n; ++i) {
            hosts[i].location = {i % 2 ? "DE" : "US", -1};
            hosts[i].ipv4 = 0x0a000001u + (static_cast<std::uint32_t>(i) << 8);
        }
        const net::UniformLatency model(20);
        auto wan = net::build_wan(hosts, model, {});
        std::vector<ns3::Ptr<ns3::Socket>> sockets;
        std::uint64_t received = 0;
        for (std::size_t i = 0; i < hosts_n; ++i) {
            auto s = ns3::Socket::CreateSocket(wan.nodes.Get(static_cast<std::uint32_t>(i)),
                                               ns3::UdpSocketFactory::GetTypeId());
            s->Bind(ns3::InetSocketAddress(ns3::Ipv4Address::GetAny(), 9000));
            s->SetRecvCallback(
                ns3::Callback<void, ns3::Ptr<ns3::Socket>>([&received](ns3::Ptr<ns3::Socket> sock) {
                    while (sock->Recv())
                        ++received;
                }));
            sockets.push_back(s);
        }
        for (int p = 0; p < kPackets; ++p) {
            const auto from = random.uniform(hosts_n);
            const auto to = (from + 1 + random.uniform(hosts_n - 1)) % hosts_n;  // never itself
            ns3::Simulator::Schedule(
                ns3::MicroSeconds(p * 20), [s = sockets[from], dst = wan.addresses[to]] {
                    s->SendTo(ns3::Create<ns3::Packet>(200), 0, ns3::InetSocketAddress(dst, 9000));
                });
        }
        state.ResumeTiming();
        ns3::Simulator::Run();
        state.PauseTiming();
        sockets.clear();
        ns3::Simulator::Destroy();
        if (received != kPackets) {
            state.SkipWithError(("packets lost: received " + std::to_string(received)).c_str());
            break;
        }
        state.ResumeTiming();
    }
    state.SetItemsProcessed(state.iterations() * kPackets);
    state.SetLabel("packets");
}
BENCHMARK(BM_WanUdpPackets)
    ->Arg(100)
    ->Arg(1000)
    ->Arg(10000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
