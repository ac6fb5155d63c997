package com.customervalue.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Collects what one logger (and its children) logs at {@code level} or above, as "LEVEL message"
 * lines, between {@link #attach} and {@link #detach}.
 */
public final class LogCapture extends AbstractAppender {
  private final String loggerName;
  private final Level level;
  private final List<String> lines = Collections.synchronizedList(new ArrayList<>());

  public LogCapture(String loggerName, Level level) {
    super("capture-" + loggerName, null, null, true, Property.EMPTY_ARRAY);
    this.loggerName = loggerName;
    this.level = level;
  }

  @Override
  public void append(LogEvent event) {
    lines.add(event.getLevel() + " " + event.getMessage().getFormattedMessage());
  }

  public List<String> lines() {
    return List.copyOf(lines);
  }

  public void clear() {
    lines.clear();
  }

  public void attach() {
    start();
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    Configuration configuration = context.getConfiguration();
    LoggerConfig logger = new LoggerConfig(loggerName, level, true);
    logger.addAppender(this, level, null);
    configuration.addLogger(loggerName, logger);
    context.updateLoggers();
  }

  public void detach() {
    LoggerContext context = (LoggerContext) LogManager.getContext(false);
    context.getConfiguration().removeLogger(loggerName);
    context.updateLoggers();
    stop();
  }
}
