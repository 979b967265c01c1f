"""sessionsim.analysis: results folders to tables, statistics with confidence intervals, figures
and a one-page HTML report.

    from sessionsim.analysis import load, stats, figures, report
    runs = load.find_runs(["results/leakage"])        # every run folder below these paths
    table = load.runs_table(runs)                      # one row per run: config + summary
    figures.plot_all(runs, "results/leakage/plots")    # every figure the runs have data for

Statistics follow the practice of Tor network research: repeat each configuration on several
independently sampled networks (seeds) and report the mean with a Student-t interval over
them; a single run gets a DKW band around its empirical CDF.
"""
