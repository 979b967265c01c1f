"""sessionsim from Python: the protocol toolbox, scenario runs and the analysis of results.

    import sessionsim
    ident = sessionsim.proto.identity(bytes(16))
    results = sessionsim.Scenario.load("scenarios/default.toml").set("duration_s", 60).run()
    results.summary["messages"]["delivered"], results.messages.head()

The compiled core (`sessionsim._core`) comes from the CMake build; `PYTHONPATH=build/python`
(or `cmake --install build`) makes it importable. `sessionsim.analysis` holds loaders,
statistics and figures; `python3 -m sessionsim.plot RESULTS...` draws a report and
`python3 -m sessionsim.sweep SWEEP.toml` runs a parameter sweep.
"""
from . import _core, proto
from .results import Results, load_results
from .scenario import Scenario

__version__ = _core.version()
ScenarioError = _core.ScenarioError

__all__ = ["Scenario", "Results", "load_results", "proto", "ScenarioError", "__version__"]
