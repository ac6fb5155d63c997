package com.customervalue.spark;

import com.customervalue.errors.CustomerValueException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * A value that crosses Spark's data serializer (task results, broadcast variables) as Java-serialized
 * bytes, so that it arrives intact whatever {@code spark.serializer} says. Kryo 4, which Spark uses
 * when a cluster sets {@code spark.serializer=org.apache.spark.serializer.KryoSerializer}, cannot
 * write a Java record ("can't get field offset on a record class"); a byte array it can.
 *
 * <p>Not a record itself for the same reason. The value is read once per instance and kept.
 *
 * @param <T> the value's type
 */
public final class JavaSerialized<T extends Serializable> implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] bytes;
  private transient T value;

  private JavaSerialized(byte[] bytes, T value) {
    this.bytes = bytes;
    this.value = value;
  }

  /** Wraps {@code value}, serializing it now. */
  public static <T extends Serializable> JavaSerialized<T> of(T value) {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(buffer)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize " + value.getClass().getName(), e);
    }
    return new JavaSerialized<>(buffer.toByteArray(), value);
  }

  /** The value, read from the bytes on first use after the wrapper crossed a serializer. */
  @SuppressWarnings("unchecked")
  public synchronized T get() {
    if (value == null) {
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes)) {
        @Override
        protected Class<?> resolveClass(java.io.ObjectStreamClass desc) throws IOException, ClassNotFoundException {
          // On an executor the application's classes come from the task thread's loader (the app jar's).
          ClassLoader loader = Thread.currentThread().getContextClassLoader();
          if (loader != null) {
            try {
              return Class.forName(desc.getName(), false, loader);
            } catch (ClassNotFoundException e) {
              // not the thread's: the default lookup below
            }
          }
          return super.resolveClass(desc);
        }
      }) {
        value = (T) in.readObject();
      } catch (IOException | ClassNotFoundException e) {
        throw new CustomerValueException("cannot read a value sent between Spark's driver and executors", e);
      }
    }
    return value;
  }
}
