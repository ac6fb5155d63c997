package com.customervalue.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.Callable;

/**
 * A real S3-protocol server (S3Proxy 4.1.0 over an in-memory blob store) on {@code 127.0.0.1} and
 * a free port, started by the test itself, so {@code s3a://} reads and Delta writes go through the
 * same HTTP/S3 code path as on AWS.
 *
 * <p><b>Why its own class loader.</b> S3Proxy 4.1.0 brings Jetty 12 / Servlet 6, a newer AWS SDK v2,
 * Guava, Jackson and logback; Spark 4.0.1 and hadoop-aws 3.4.1 on the test classpath carry Jetty 11,
 * AWS SDK 2.24 and log4j2. On one classpath they clash (whichever jar comes first wins class by
 * class). So the {@code s3proxy-4.1.0-jar-with-dependencies.jar}, which maven-dependency-plugin copies
 * to {@value #JAR} and which is <em>not</em> a test dependency, is loaded in a {@link URLClassLoader}
 * whose parent is the platform class loader: it sees the JDK and its own classes only, never Spark's.
 * It is driven by reflection, and only {@code java.*} types ({@link String}, {@link Properties},
 * {@code int}) cross between the two worlds. Ahead of the jar the loader also sees a temporary
 * {@code logback-test.xml}, so the server's own logback speaks only on warnings.
 *
 * <p>Credentials are fixed test-only values, set in code: the product's configuration refuses
 * secret-looking keys on purpose, and nothing here is a real secret.
 */
public final class S3ProxyServer implements AutoCloseable {
  /** Where {@code mvn generate-test-resources} puts the jar, relative to the project root (Surefire's working directory). */
  public static final String JAR = "target/s3proxy/s3proxy.jar";

  private static final String ACCESS_KEY = "customer-value-test";
  private static final String SECRET_KEY = "customer-value-test-secret";
  private static final long START_TIMEOUT_MS = 30_000;

  private final URLClassLoader loader;
  private final Object blobStore;
  private final Class<?> blobStoreType;
  private final Object proxy;
  private final int port;

  private S3ProxyServer(URLClassLoader loader, Object blobStore, Class<?> blobStoreType, Object proxy, int port) {
    this.loader = loader;
    this.blobStore = blobStore;
    this.blobStoreType = blobStoreType;
    this.proxy = proxy;
    this.port = port;
  }

  /** Starts a server with an empty in-memory store; close it to stop it. */
  public static S3ProxyServer start() {
    Path jar = Path.of(JAR).toAbsolutePath();
    if (!Files.isRegularFile(jar)) {
      throw new IllegalStateException(jar + " is missing: it is copied by maven-dependency-plugin (execution"
          + " 's3proxy-for-tests', phase generate-test-resources); run the tests through Maven, or run"
          + " 'mvn generate-test-resources' once");
    }
    Path logging = loggingConfig();
    URLClassLoader loader;
    try {
      loader = new URLClassLoader("s3proxy", new URL[] {logging.getParent().toUri().toURL(), jar.toUri().toURL()},
          ClassLoader.getPlatformClassLoader());
    } catch (MalformedURLException e) {
      deleteQuietly(logging);
      throw new IllegalStateException(e);
    }
    try {
      return withContextLoader(loader, () -> {
        // Configure logging now, while the logback-test.xml exists.
        Class.forName("org.slf4j.LoggerFactory", true, loader).getMethod("getILoggerFactory").invoke(null);
        Properties props = new Properties();
        props.setProperty("s3proxy.endpoint", "http://127.0.0.1:0");
        props.setProperty("s3proxy.authorization", "aws-v2-or-v4");
        props.setProperty("s3proxy.identity", ACCESS_KEY);
        props.setProperty("s3proxy.credential", SECRET_KEY);
        props.setProperty("jclouds.provider", "transient");
        props.setProperty("jclouds.identity", ACCESS_KEY);
        props.setProperty("jclouds.credential", SECRET_KEY);

        Class<?> blobStoreType = Class.forName("org.gaul.s3proxy.blobstore.BlobStore", true, loader);
        Object blobStore = Class.forName("org.gaul.s3proxy.BlobStores", true, loader)
            .getMethod("create", String.class, Properties.class).invoke(null, "transient", props);
        Class<?> builderType = Class.forName("org.gaul.s3proxy.S3Proxy$Builder", true, loader);
        Object builder = builderType.getMethod("fromProperties", Properties.class).invoke(null, props);
        builderType.getMethod("blobStore", blobStoreType).invoke(builder, blobStore);
        Object proxy = builderType.getMethod("build").invoke(builder);
        Class<?> proxyType = proxy.getClass();
        proxyType.getMethod("start").invoke(proxy);

        Method state = proxyType.getMethod("getState");
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        while (!"STARTED".equals(state.invoke(proxy))) {
          if (System.currentTimeMillis() > deadline) {
            proxyType.getMethod("stop").invoke(proxy);
            throw new IllegalStateException("S3Proxy did not start within " + START_TIMEOUT_MS + " ms (state "
                + state.invoke(proxy) + ")");
          }
          Thread.sleep(20);
        }
        int port = (Integer) proxyType.getMethod("getPort").invoke(proxy);
        return new S3ProxyServer(loader, blobStore, blobStoreType, proxy, port);
      });
    } catch (RuntimeException | Error e) {
      closeQuietly(loader, e);
      throw e;
    } finally {
      // Logback read it when LoggerFactory was initialised above; the loader no longer needs it.
      deleteQuietly(logging);
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  public int port() {
    return port;
  }

  public String accessKey() {
    return ACCESS_KEY;
  }

  public String secretKey() {
    return SECRET_KEY;
  }

  /** Creates a bucket directly in the server's store (s3a cannot create buckets). */
  public void createBucket(String bucket) {
    withContextLoader(loader, () -> blobStoreType.getMethod("createContainer", String.class).invoke(blobStore, bucket));
  }

  /**
   * The object keys in {@code bucket} as the server itself stores them (up to 1000), read from the
   * store rather than through s3a: proof that what the job wrote really went over the S3 protocol.
   */
  public List<String> objectKeys(String bucket) {
    return withContextLoader(loader, () -> {
      Object response = blobStoreType.getMethod("list", String.class).invoke(blobStore, bucket);
      List<?> contents = (List<?>) response.getClass().getMethod("contents").invoke(response);
      List<String> keys = new ArrayList<>();
      for (Object object : contents) {
        keys.add((String) object.getClass().getMethod("key").invoke(object));
      }
      return keys;
    });
  }

  /** Whether {@code bucket} holds an object named {@code key}, asked of the store itself rather than through s3a. */
  public boolean hasObject(String bucket, String key) {
    return withContextLoader(loader, () -> (Boolean) blobStoreType.getMethod("blobExists", String.class, String.class)
        .invoke(blobStore, bucket, key));
  }

  /** Stops the server and releases its class loader. */
  @Override
  public void close() {
    Throwable failure = null;
    try {
      withContextLoader(loader, () -> proxy.getClass().getMethod("stop").invoke(proxy));
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      withContextLoader(loader, () -> blobStoreType.getMethod("close").invoke(blobStore));
    } catch (RuntimeException e) {
      failure = failure == null ? e : failure;
    }
    closeQuietly(loader, failure);
    if (failure instanceof RuntimeException r) {
      throw r;
    }
  }

  /**
   * The jar's own logback.xml logs S3Proxy and Jetty at info to stdout, and logback then prints its
   * status lines. A {@code logback-test.xml} (which logback prefers) ahead of the jar on the loader's
   * path keeps the server at warnings on stderr, formatted like the rest of the test run.
   */
  private static Path loggingConfig() {
    try {
      Path dir = Files.createTempDirectory("s3proxy-logging");
      return Files.writeString(dir.resolve("logback-test.xml"), """
          <configuration>
            <statusListener class="ch.qos.logback.core.status.NopStatusListener"/>
            <appender name="STDERR" class="ch.qos.logback.core.ConsoleAppender">
              <target>System.err</target>
              <encoder><pattern>%d{HH:mm:ss} %-5p s3proxy %c{1}: %m%n</pattern></encoder>
            </appender>
            <root level="WARN"><appender-ref ref="STDERR"/></root>
          </configuration>
          """);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
      Files.deleteIfExists(file.getParent());
    } catch (IOException e) {
      // A temp file left behind is harmless.
    }
  }

  /** Runs {@code action} with the S3Proxy loader as the thread's context loader (Jetty and ServiceLoader use it). */
  private static <T> T withContextLoader(ClassLoader loader, Callable<T> action) {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(loader);
    try {
      return action.call();
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException("S3Proxy: " + cause, cause);
    } catch (RuntimeException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting S3Proxy", e);
    } catch (Exception e) {
      throw new IllegalStateException("S3Proxy: " + e, e);
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  private static void closeQuietly(URLClassLoader loader, Throwable primary) {
    try {
      loader.close();
    } catch (IOException e) {
      if (primary != null) {
        primary.addSuppressed(e);
      }
    }
  }
}
