package dev.ordo.processor.validation;

import dev.ordo.processor.ComponentReader;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.OrdoAnnotation;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.TypeElement;

/**
 * {@code @OnStartup(retry = @Retry(...))}: at most one {@code @Retry}; its durations parse
 * ({@code InvalidDuration}, as a timeout's), {@code max} is not shorter than {@code initial} and
 * {@code attempts} is not negative ({@code InvalidRetry}); and the component is not
 * {@code @Critical} ({@code RetryOnCritical}). Each error points at the value.
 */
public final class RetryRule implements ComponentRule {
  @Override
  public void validate(TypeElement component, Reporter reporter) {
    for (ExecutableElement method : ComponentReader.methodsWith(component, OrdoAnnotation.ON_STARTUP)) {
      AnnotationMirror onStartup = OrdoAnnotation.ON_STARTUP.find(method).orElseThrow();
      List<AnnotationMirror> retries = ComponentReader.retriesOf(onStartup);
      if (retries.isEmpty()) {
        continue;
      }
      AnnotationValue retryValue = OrdoAnnotation.explicitValue(onStartup, "retry").orElseThrow();
      if (retries.size() > 1) {
        reporter.report(Message.RETRY_MORE_THAN_ONE, Location.of(method, onStartup, retryValue),
            MethodSignature.of(method), retries.size());
      }
      AnnotationMirror retry = retries.get(0);
      Optional<Duration> initial = duration(method, retry, "initial", reporter);
      Optional<Duration> max = duration(method, retry, "max", reporter);
      if (initial.isPresent() && max.isPresent() && max.get().compareTo(initial.get()) < 0) {
        reporter.report(Message.RETRY_MAX_BELOW_INITIAL,
            Location.of(method, retry, OrdoAnnotation.explicitValue(retry, "max")
                .or(() -> OrdoAnnotation.explicitValue(retry, "initial")).orElse(null)),
            Durations.format(max.get()), MethodSignature.of(method), Durations.format(initial.get()));
      }
      OrdoAnnotation.explicitValue(retry, "attempts").ifPresent(value -> {
        if (value.getValue() instanceof Integer && (Integer) value.getValue() < 0) {
          reporter.report(Message.RETRY_NEGATIVE_ATTEMPTS, Location.of(method, retry, value),
              value.getValue(), MethodSignature.of(method));
        }
      });
      OrdoAnnotation.CRITICAL.find(component).ifPresent(critical ->
          reporter.report(Message.RETRY_ON_CRITICAL, Location.of(method, onStartup, retryValue),
              component.getQualifiedName()));
    }
  }

  /**
   * The duration of {@code attribute}: its default when left out or empty, empty (and reported)
   * when it does not parse.
   */
  private static Optional<Duration> duration(ExecutableElement method, AnnotationMirror retry, String attribute,
      Reporter reporter) {
    Optional<AnnotationValue> value = OrdoAnnotation.explicitValue(retry, attribute);
    if (value.isEmpty() || !(value.get().getValue() instanceof String)) {
      return Optional.of(attribute.equals("initial")
          ? ComponentReader.DEFAULT_RETRY_INITIAL : ComponentReader.DEFAULT_RETRY_MAX);
    }
    String text = (String) value.get().getValue();
    if (text.isEmpty()) {
      return Optional.of(attribute.equals("initial")
          ? ComponentReader.DEFAULT_RETRY_INITIAL : ComponentReader.DEFAULT_RETRY_MAX);
    }
    Optional<Duration> parsed = Durations.parse(text);
    if (parsed.isEmpty()) {
      reporter.report(Message.INVALID_DURATION, Location.of(method, retry, value.get()),
          "Retry", attribute, text, MethodSignature.of(method));
    }
    return parsed;
  }
}
