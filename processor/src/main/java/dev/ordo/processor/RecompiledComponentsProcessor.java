package dev.ordo.processor;

import com.google.auto.service.AutoService;
import dev.ordo.processor.base.Message;
import dev.ordo.processor.base.PreviousOutput;
import dev.ordo.processor.base.Reporter;
import dev.ordo.processor.writing.GraphJsonWriter;
import dev.ordo.processor.writing.RegistryWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashSet;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.TypeElement;

/**
 * The incremental compile that javac would not show {@link OrdoProcessor}: only classes that lost
 * their last Ordo annotation are recompiled.
 *
 * <p>javac runs a processor only when a file it compiles carries one of the annotations the
 * processor supports. An IDE that recompiles just {@code C.java}, after its last {@code @OnStartup}
 * was removed, would therefore run no Ordo code at all: {@code B}, not recompiled, could still
 * hard-depend on {@code C}, and the output would still list {@code C} as a component. This processor
 * supports every annotation ({@code "*"}), so javac runs it in every compilation, and claims none
 * (other processors see everything they would without it). It does nothing unless no annotation of
 * Ordo's is present in the whole compilation and a class it recompiles is one the previous
 * compilation into the same output listed as a component; then it runs Ordo's checks over the
 * components carried from that compilation, as {@link OrdoProcessor} does when it runs, and writes
 * the services entry, the graph and the event catalog again without the lost component.
 *
 * <p>Under Gradle, whose incremental processing already runs the aggregating {@link OrdoProcessor}
 * over every annotated class when an origin of its output changes, it supports no annotation, so
 * that it makes no class of the project an input of every compile.
 */
@AutoService(Processor.class)
public final class RecompiledComponentsProcessor extends AbstractProcessor {
  /** What {@link OrdoProcessor} supports: when one is present, it runs and this one stands aside. */
  private static final Set<String> ORDO_ANNOTATIONS = Set.copyOf(new OrdoProcessor().getSupportedAnnotationTypes());

  private boolean gradle;
  private boolean firstRound = true;
  /** Whether an annotation {@link OrdoProcessor} supports was present in a round: it ran then. */
  private boolean ordoRan;
  /** The processor that checks and writes when this compilation recompiles lost components. */
  private OrdoProcessor delegate;

  /** The processor javac finds through {@code META-INF/services}. */
  public RecompiledComponentsProcessor() {}

  @Override
  public synchronized void init(ProcessingEnvironment processingEnv) {
    super.init(processingEnv);
    gradle = processingEnv.getClass().getName().startsWith("org.gradle.");
  }

  @Override
  public Set<String> getSupportedAnnotationTypes() {
    return gradle ? Set.of() : Set.of("*");
  }

  @Override
  public SourceVersion getSupportedSourceVersion() {
    return SourceVersion.latestSupported();
  }

  @Override
  public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
    try {
      for (TypeElement annotation : annotations) {
        if (ORDO_ANNOTATIONS.contains(annotation.getQualifiedName().toString())) {
          ordoRan = true;
        }
      }
      if (firstRound) {
        firstRound = false;
        if (!ordoRan && recompilesAComponent(round)) {
          delegate = new OrdoProcessor();
          delegate.init(processingEnv);
          delegate.process(Set.of(), round);
        }
      } else if (delegate != null && round.processingOver() && !ordoRan) {
        delegate.process(Set.of(), round); // writes the resources again
      }
    } catch (RuntimeException | LinkageError e) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      new Reporter(processingEnv).report(Message.INTERNAL_ERROR, null, "this round", trace.toString());
    }
    return false; // claims nothing
  }

  /**
   * Whether a class of this compilation is one that the graph an earlier compilation left in the
   * class output lists as a component. Read only for a compilation without any Ordo annotation.
   */
  private boolean recompilesAComponent(RoundEnvironment round) {
    PreviousOutput previous = PreviousOutput.read(processingEnv.getFiler(), RegistryWriter.SERVICE_FILE,
        GraphJsonWriter.RESOURCE);
    if (previous.components().isEmpty()) {
      return false;
    }
    Set<String> names = new HashSet<>();
    for (Element root : round.getRootElements()) {
      collect(root, names);
    }
    for (String component : previous.components()) {
      if (names.contains(component)) {
        return true;
      }
    }
    return false;
  }

  /** The binary names of {@code element} and of the classes nested in it. */
  private void collect(Element element, Set<String> names) {
    if (element instanceof TypeElement) {
      names.add(processingEnv.getElementUtils().getBinaryName((TypeElement) element).toString());
      for (Element member : element.getEnclosedElements()) {
        if (member.getKind().isClass() || member.getKind().isInterface() || member.getKind() == ElementKind.ENUM) {
          collect(member, names);
        }
      }
    }
  }
}
