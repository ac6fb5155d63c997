package com.customervalue.cli;

import com.customervalue.job.Job;
import com.customervalue.report.ReportJob;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code report}: segment insights and the HTML report of the exported notebooks. */
@Command(name = ReportJob.NAME, mixinStandardHelpOptions = true,
    description = {"Write segment_insights (return rate, revenue and adjusted revenue by tier, process, industry,"
        + " distance, first-purchase month, press-release exposure, purchase pattern and support burden; risk bands"
        + " and the top accounts at risk), then run every SQL cell of the exported notebooks against the output"
        + " tables and render them, with charts, into one self-contained HTML file"
        + " (customer-value.report.output; default <warehouse>/report/report.html).",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class ReportCommand extends JobCommand {
  @Override
  List<Job> jobs() {
    return List.of(new ReportJob());
  }
}
