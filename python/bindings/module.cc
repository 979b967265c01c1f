// sessionsim's Python extension, `sessionsim._core`: the protocol toolbox (the same functions as
// `sessionsim proto`) and in-process scenario runs. The pure-Python package around it
// (python/sessionsim/) turns hex and base64 into bytes and results folders into DataFrames.
#include <pybind11/pybind11.h>

#include "models/common/version.h"
#include "python/bindings/bindings.h"
#include "sim/scenario/scenario_config.h"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
    m.doc() = "sessionsim's C++ core: protocol toolbox and scenario runner";
    // Broken scenario files and settings raise ValueError with "<file>: <key>: <reason>"; bad
    // protocol input (InvalidInput, a std::invalid_argument) already maps to ValueError.
    py::register_exception<sessionsim::scenario::ScenarioError>(m, "ScenarioError",
                                                                PyExc_ValueError);
    m.def(
        "version", [] { return std::string(sessionsim::version()); },
        "the build's version (as recorded in provenance.json)");
    sessionsim::python::bind_proto(m);
    sessionsim::python::bind_scenario(m);
}
