package dev.ordo.processor.validation;

import dev.ordo.processor.EventReader;
import dev.ordo.processor.EventReader.PayloadValue;
import dev.ordo.processor.base.Location;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.model.ComponentEvents;
import dev.ordo.processor.model.ComponentEvents.Field;
import dev.ordo.processor.model.ComponentEvents.Payload;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.TypeElement;

/**
 * One event type carries one shape of data: two payload records with the same event name
 * ({@code com.acme.a.OrderPlaced} and {@code com.acme.b.OrderPlaced}) whose components differ are
 * an error, across every component of the compilation. The same record published by several
 * components is fine. Reported on the later declaration (in binary-name order), once.
 */
public final class EventConflictRule implements GraphRule {
  private record Declaration(TypeElement component, String record, List<Field> data, String fields) {}

  @Override
  public void validate(RoundComponents components, Reporter reporter) {
    Map<String, Declaration> byType = new HashMap<>();
    for (Map.Entry<String, TypeElement> entry : components.all().entrySet()) {
      TypeElement component = entry.getValue();
      Optional<AnnotationMirror> found = EventReader.annotation(component);
      if (found.isEmpty()) {
        continue;
      }
      for (PayloadValue value : EventReader.payloadValues(found.get())) {
        Optional<TypeElement> record = EventReader.record(value.type());
        if (record.isEmpty()) {
          continue; // EventDeclarationRule reports it
        }
        Payload payload = EventReader.payload(record.get());
        List<Field> data = new ComponentEvents(dev.ordo.processor.ComponentReader.nameOf(component), List.of(),
            List.of(payload)).types().get(0).data();
        List<String> fields = new ArrayList<>();
        for (Field f : data) {
          fields.add(f.name() + ": " + f.type());
        }
        Declaration mine = new Declaration(component, record.get().getQualifiedName().toString(), data,
            "(" + String.join(", ", fields) + ")");
        Declaration first = byType.putIfAbsent(payload.eventName(), mine);
        if (first == null || first.record().equals(mine.record()) || first.data().equals(mine.data())) {
          continue;
        }
        if (components.added().contains(entry.getKey())) {
          reporter.report(Message.CONFLICTING_EVENT, Location.of(component, found.get(), value.value()),
              payload.eventName(), first.component().getQualifiedName(), first.record(), first.fields(),
              component.getQualifiedName(), mine.record(), mine.fields());
        }
      }
    }
  }
}
