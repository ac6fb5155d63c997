package com.customervalue.cli;

import com.customervalue.identity.IdentityJob;
import com.customervalue.job.Job;
import java.util.List;
import picocli.CommandLine.Command;

/** {@code identity}: account keys for every silver row, and the match rates. */
@Command(name = IdentityJob.NAME, mixinStandardHelpOptions = true,
    description = {"Give every silver row the keys that join it to an account: normalised e-mail (person), registrable"
        + " domain, account (corporate domain, else the person; customer ids through the customers source)."
        + " Writes keyed_<source> and identity_matches and logs the match rate of every source.",
        "Needs the environment variable named by customer-value.identity.hash-key-env (default"
        + " CUSTOMER_VALUE_HASH_KEY): the HMAC key of the e-mail hashes the BI tool sees.",
        "Exit codes: 0 ok, 2 bad usage or config, 1 the run failed."})
public final class IdentityCommand extends JobCommand {
  @Override
  List<Job> jobs() {
    return List.of(new IdentityJob());
  }
}
