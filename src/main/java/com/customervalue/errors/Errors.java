package com.customervalue.errors;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.AccessDeniedException;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** The one place user-facing errors are worded. */
public final class Errors {
  /** An e-mail address inside any text: local part, @, a domain with a dot and a letter-only top level. */
  private static final java.util.regex.Pattern EMAIL =
      java.util.regex.Pattern.compile("[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}");

  private Errors() {}

  /**
   * {@code text} with every e-mail address replaced by {@code <e-mail>}: messages that reach logs,
   * job_runs and the terminal may quote a raw record's value, and raw e-mails stay in the
   * restricted tables (bronze, silver, keyed, quarantine) only.
   */
  public static String maskEmails(String text) {
    return text == null ? null : EMAIL.matcher(text).replaceAll("<e-mail>");
  }

  public static ConfigException config(List<String> problems) {
    return new ConfigException(problems);
  }

  /**
   * The first line of an exception's message: Spark's analysis errors continue with the whole
   * query plan, which a user does not need to see.
   */
  public static String firstLine(Throwable e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * An exception in one line for a message: its type and first line, and the type and first line of
   * its root cause when there is one (Spark wraps "not a gzip file" in three layers of job failure).
   */
  public static String describe(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return oneLine(e) + (root == e ? "" : "; cause: " + oneLine(root));
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("").trim();
    return e.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  /** A write that kept losing to other writers of the same table (Delta's conflict detection). */
  public static StorageException concurrentWrites(String path, int attempts, Throwable conflict) {
    return new StorageException("Cannot write " + path + ": other writers changed the same rows " + attempts
        + " times while this run wrote them (" + conflict.getClass().getSimpleName() + "); run the job again when"
        + " the other run has finished", conflict);
  }

  public static ConfigException config(String problem) {
    return new ConfigException(List.of(problem));
  }

  /**
   * Why a file system call on {@code path} failed, in one line. A denial by an object store says
   * which bucket and where the credentials come from, never what they are; anything else is the
   * exception's type and the first line of its message (s3a's messages carry paths and HTTP
   * status, not credentials).
   */
  public static String storageFailure(String path, Throwable e) {
    if (e instanceof AccessDeniedException) {
      String bucket = bucketOf(path);
      return bucket == null
          ? "permission denied"
          : "access denied by the object store (HTTP 403) for bucket '" + bucket + "': check the credentials the"
              + " AWS default credential chain finds (AWS_* environment variables, ~/.aws, instance profile) and"
              + " their permissions on that bucket";
    }
    return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + firstLine(e));
  }

  /** The warehouse cannot be reached, found by the check before the first job. */
  public static StorageException warehouseUnavailable(String root, String probe, Throwable cause) {
    return new StorageException("Cannot access the warehouse " + root + " (checked " + probe + "): "
        + storageFailure(probe, cause), cause);
  }

  /** The bucket of an {@code s3a://bucket/key} (or s3://, s3n://) path, else null. */
  static String bucketOf(String path) {
    try {
      URI uri = new URI(path);
      String scheme = uri.getScheme();
      return scheme != null && scheme.toLowerCase(Locale.ROOT).matches("s3[an]?") ? uri.getAuthority() : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  public static SourceException sourceUnreadable(String source, String path, String why, Throwable cause) {
    return new SourceException(
        "Cannot read source '" + source + "': " + why + " (path: " + path + ")", cause);
  }

  public static SourceException missingColumns(
      String source, Collection<String> missing, Collection<String> found) {
    return missingColumns(source, missing, found, "");
  }

  /** As {@link #missingColumns(String, Collection, Collection)}, with a hint at the likely cause. */
  public static SourceException missingColumns(
      String source, Collection<String> missing, Collection<String> found, String hint) {
    String what = missing.size() == 1
        ? "required column " + missing.iterator().next() + " is missing"
        : "required columns " + String.join(", ", missing) + " are missing";
    return new SourceException("Cannot read source '" + source + "': " + what + " (found: " + String.join(", ", found)
        + ")" + (hint.isEmpty() ? "" : "; " + hint), null);
  }

  public static SourceException emptyRequiredSource(String source, String path) {
    return new SourceException(
        "Cannot read source '" + source + "': it is required but has no data rows (path: " + path + ")", null);
  }

  /** Several failed checks of one stage, reported together. */
  public static DataQualityException dataQualityFailed(String summary) {
    return new DataQualityException(summary);
  }

  public static DataQualityException dataQuality(String source, String check, String detail) {
    return new DataQualityException(
        "Data-quality check '" + check + "' failed for source '" + source + "': " + detail);
  }

  /**
   * A fitted lifetime model whose predictions are not finite for some customers' summaries; {@code first}
   * is the message of one of them.
   */
  public static ModelFitException lifetimePredictions(long summaries, String first) {
    return new ModelFitException("features: the fitted BG/NBD model cannot predict for " + summaries
        + " customer summaries (customer-value.lifetime.on-fit-failure = fail); one of them: " + first);
  }

  /**
   * A model fit failed: which model, for which data, why, and the last parameters tried (null when it
   * never started) with their log-likelihood.
   */
  public static ModelFitException modelFit(String model, String what, String why, String lastParameters,
      double lastLogLikelihood) {
    return new ModelFitException("Cannot fit the " + model + " model for " + what + ": " + why
        + (lastParameters == null ? "" : " (last parameters " + lastParameters + ", log-likelihood "
            + lastLogLikelihood + ")"));
  }
}
