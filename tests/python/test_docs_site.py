"""The documentation site: scripts/build-docs.sh builds it (mkdocs, strict, with the Doxygen API
reference) and checks every link of the result; the link checker finds a page that is gone."""
import runpy
import subprocess

from conftest import ROOT

check_links = runpy.run_path(str(ROOT / "scripts" / "check-doc-links.py"))


def test_the_site_builds_with_the_api_reference_and_no_broken_link():
    done = subprocess.run([str(ROOT / "scripts" / "build-docs.sh")], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    site = ROOT / "build-docs" / "site"
    for page in ["index.html", "robustness/index.html", "api/index.html",
                 "api/classsessionsim_1_1node_1_1ServiceNode.html"]:
        assert (site / page).is_file(), page


def test_the_link_checker_names_the_page_and_the_link_that_broke(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "index.html").write_text(
        '<a href="a/">ok</a> <a href="b/">gone</a> <a href="https://x.org/">out</a>'
        '<a href="#top">here</a> <img src="img/p.png">')
    (tmp_path / "a" / "index.html").write_text('<a href="../index.html#x">back</a>')
    assert check_links["broken_links"](tmp_path) == [("index.html", "b/"),
                                                      ("index.html", "img/p.png")]
    assert check_links["main"](["check", str(tmp_path)]) == 1


def test_the_scenario_reference_is_the_schema_of_this_build():
    from sessionsim import _core

    reference = runpy.run_path(str(ROOT / "scripts" / "scenario-reference.py"))
    keys = _core.scenario_keys()
    page = (ROOT / "docs" / "scenario-reference.md").read_text()
    assert page == reference["render"](keys), (
        "docs/scenario-reference.md is stale: run PYTHONPATH=build/python "
        "scripts/scenario-reference.py")
    for k in keys:
        assert f"| `{k['key']}` |" in page
