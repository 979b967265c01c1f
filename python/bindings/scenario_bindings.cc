// Scenario runs for Python, in-process: the GIL is released while ns-3 runs, so other Python
// threads go on (one simulation at a time per process: ns-3's simulator is process-wide).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <mutex>
#include <optional>
#include <sstream>

#include "python/bindings/bindings.h"
#include "sim/scenario/runner.h"
#include "sim/scenario/scenario_config.h"
#include "sim/scenario/schema.h"

namespace py = pybind11;

namespace sessionsim::python {
namespace {

/// ns-3 keeps one simulator per process; two Python threads must not run at once.
std::mutex simulator_mutex;

std::string run(const std::optional<std::string>& path, const std::vector<std::string>& overrides,
                const std::string& out_dir, const std::string& shared_dir, bool progress) {
    const auto sc = scenario::Scenario::load(path, overrides);
    std::ostringstream discard;
    nlohmann::ordered_json summary;
    {
        py::gil_scoped_release release;
        std::lock_guard lock(simulator_mutex);
        std::ostream& err = progress ? std::cerr : static_cast<std::ostream&>(discard);
        summary = scenario::run_scenario(sc, {out_dir, shared_dir, progress, false}, err);
    }
    return summary.dump();
}

py::object keys() {
    py::list out;
    for (const auto& k : scenario::schema()) {
        py::dict d;
        d["key"] = k.key;
        d["type"] = scenario::type_name(k.default_value);
        d["default"] = scenario::render(k.default_value);
        d["min"] = k.min ? py::object(py::float_(*k.min)) : py::object(py::none());
        d["max"] = k.max ? py::object(py::float_(*k.max)) : py::object(py::none());
        d["choices"] = k.choices;
        d["meaning"] = k.meaning;
        out.append(d);
    }
    return out;
}

}  // namespace

void bind_scenario(py::module_& m) {
    m.attr("default_shared_dir") = SESSIONSIM_DEFAULT_SHARED_DIR;
    m.def(
        "run_scenario",
        [](const std::optional<std::string>& path, const std::vector<std::string>& overrides,
           const std::string& out_dir, const std::string& shared_dir, bool progress) {
            return to_python(run(path, overrides, out_dir, shared_dir, progress));
        },
        py::arg("path"), py::arg("overrides"), py::arg("out_dir"),
        py::arg("shared_dir") = SESSIONSIM_DEFAULT_SHARED_DIR, py::arg("progress") = false,
        "runs a scenario file (None: the built-in default) with key=value overrides, writes "
        "out_dir and returns summary.json's content");
    m.def(
        "resolve_scenario",
        [](const std::optional<std::string>& path, const std::vector<std::string>& overrides) {
            return scenario::Scenario::load(path, overrides).to_toml();
        },
        py::arg("path"), py::arg("overrides") = std::vector<std::string>{},
        "the fully resolved scenario (every key) as TOML; raises ValueError on a broken one");
    m.def("scenario_keys", &keys, "every scenario key: type, default, range, choices, meaning");
}

}  // namespace sessionsim::python
