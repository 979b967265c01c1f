// main() for bench_protocol: runs the benchmarks, then prints each BM_X beside its BM_Raw_X
// twin (the bare libsodium primitives) as a ratio, from this same run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

namespace {

class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const auto& run : runs) {
            if (run.run_type == Run::RT_Iteration && !run.error_occurred) {
                times_[run.benchmark_name()] =
                    run.GetAdjustedRealTime() *
                    benchmark::GetTimeUnitMultiplier(benchmark::kNanosecond) /
                    benchmark::GetTimeUnitMultiplier(run.time_unit);
            }
        }
    }
    void print_ratios() const {
        bool header = false;
        for (const auto& [name, ns] : times_) {
            if (name.rfind("BM_Raw_", 0) == 0)
                continue;
            const auto raw = times_.find("BM_Raw_" + name.substr(3));
            if (raw == times_.end())
                continue;
            if (!header) {
                std::printf("\n%-40s %14s %14s %8s\n", "operation (vs raw libsodium)", "model ns",
                            "libsodium ns", "ratio");
                header = true;
            }
            std::printf("%-40s %14.0f %14.0f %8.2f\n", name.c_str(), ns, raw->second,
                        ns / raw->second);
        }
    }

private:
    std::map<std::string, double> times_;
};

}  // namespace

int main(int argc, char** argv) {
    benchmark::Initialize(&argc, argv);
    if (benchmark::ReportUnrecognizedArguments(argc, argv))
        return 1;
    RatioReporter reporter;
    benchmark::RunSpecifiedBenchmarks(&reporter);
    reporter.print_ratios();
    benchmark::Shutdown();
    return 0;
}
