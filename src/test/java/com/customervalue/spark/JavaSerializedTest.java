package com.customervalue.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.Serializable;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

/** A record crosses Spark's Kryo and Java serializers intact once wrapped. */
class JavaSerializedTest {
  record Fit(String what, double[] params, List<String> notes) implements Serializable {}

  private static final ClassTag<Object> ANY = ClassTag$.MODULE$.Any();

  private static Object roundTrip(SerializerInstance serializer, Object value) {
    return serializer.deserialize(serializer.serialize(value, ANY), ANY);
  }

  @Test
  void aWrappedRecordSurvivesKryoAndJavaSerialization() {
    Fit fit = new Fit("as_of 2020-01-01", new double[] {0.243, 4.414}, List.of("converged"));
    for (SerializerInstance serializer : List.of(new KryoSerializer(new SparkConf()).newInstance(),
        new JavaSerializer(new SparkConf()).newInstance())) {
      @SuppressWarnings("unchecked")
      JavaSerialized<Fit> back = (JavaSerialized<Fit>) roundTrip(serializer, JavaSerialized.of(fit));
      assertThat(back.get().what()).isEqualTo(fit.what());
      assertThat(back.get().params()).containsExactly(fit.params());
      assertThat(back.get().notes()).isEqualTo(fit.notes());
    }
  }

  @Test
  void kryoAloneCannotWriteARecord() {
    // Why the wrapper exists: a cluster that sets spark.serializer to Kryo fails on a bare record.
    SerializerInstance kryo = new KryoSerializer(new SparkConf()).newInstance();
    assertThatThrownBy(() -> roundTrip(kryo, new Fit("x", new double[0], List.of())))
        .hasStackTraceContaining("record");
  }
}
