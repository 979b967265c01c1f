// The parts of the _core module, each bound in its own file.
#pragma once

#include <pybind11/pybind11.h>

namespace sessionsim::python {

/// identity, mnemonic, swarm, onion, message functions (sessionsim proto ...).
void bind_proto(pybind11::module_& m);
/// run_scenario, resolve_scenario, scenario_keys.
void bind_scenario(pybind11::module_& m);

/// A JSON value as the Python object json.loads would make of it.
pybind11::object to_python(const std::string& json_text);

}  // namespace sessionsim::python
