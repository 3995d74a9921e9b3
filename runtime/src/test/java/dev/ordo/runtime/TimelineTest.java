package dev.ordo.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * The run's timeline ({@link Ordo#timeline()}): what each hook did and when, the measured critical
 * paths, waited vs ran, and its JSON and HTML forms. Assertions use only the sleeps' lower bounds
 * and the order the graph forces, never an upper bound on time.
 */
class TimelineTest {
  private final ScriptedController.Script script = new ScriptedController.Script();

  private static ScriptedController.Hook sleep(long millis) {
    return c -> {
      Thread.sleep(millis);
      return null;
    };
  }

  /**
   * db (150ms) -> cache (waits until config has returned, then 200ms) -> api (50ms); config (0ms)
   * -> api and -> worker; index (20ms) on its own. The chain that decides startup is db -> cache
   * -> api: cache settles long after config. Stops: api 100ms, cache 30ms, db 50ms.
   */
  private Ordo knownSleeps(Ordo.Builder b) {
    CountDownLatch configReturned = new CountDownLatch(1);
    b.controller(script.component("db").critical().onStart(sleep(150)).onStop(sleep(50)).build());
    b.controller(script.component("config").onStart(c -> {
      configReturned.countDown();
      return null;
    }).build());
    b.controller(script.component("cache").dependsOn("db").onStart(c -> {
      configReturned.await();
      Thread.sleep(200);
      return null;
    }).onStop(sleep(30)).build());
    b.controller(script.component("api").critical().dependsOn("cache", "config").onStart(sleep(50))
        .onStop(sleep(100)).build());
    b.controller(script.component("worker").dependsOn("config").build());
    b.controller(script.component("index").onStart(sleep(20)).build());
    return b.build();
  }

  @Test
  void theMeasuredCriticalPathIsTheChainThatDecidedTheStartup() {
    Ordo app = knownSleeps(Ordo.builder());
    assertTrue(app.timeline().components().isEmpty(), "nothing before start()");
    app.start();
    Timeline t = app.timeline();
    assertEquals(List.of("db", "cache", "api"), t.criticalPath());
    Timeline.Span api = t.component("api").orElseThrow().startup().orElseThrow();
    assertEquals(Timeline.Outcome.OK, api.outcome());
    assertEquals("cache", api.readyAfter().orElseThrow(), "cache, not config, released api");
    assertEquals("db", t.component("cache").orElseThrow().startup().orElseThrow().readyAfter().orElseThrow());
    assertTrue(t.component("db").orElseThrow().startup().orElseThrow().readyAfter().isEmpty());
    // Waited vs ran: api waited at least db's and cache's sleeps on its dependencies, then ran its own.
    assertTrue(api.waited().compareTo(Duration.ofMillis(350)) >= 0, api.toString());
    assertTrue(api.ran().compareTo(Duration.ofMillis(50)) >= 0, api.toString());
    Timeline.Span db = t.component("db").orElseThrow().startup().orElseThrow();
    assertTrue(db.ran().compareTo(Duration.ofMillis(150)) >= 0, db.toString());
    assertTrue(db.waited().compareTo(api.waited()) < 0);
    // Each hook became ready, then began, then ended; startup ended after the last one.
    for (Timeline.Component c : t.components()) {
      Timeline.Span s = c.startup().orElseThrow(() -> new AssertionError(c.name() + " has no start"));
      assertTrue(s.ready().compareTo(s.began().orElseThrow()) <= 0, c.toString());
      assertTrue(s.began().orElseThrow().compareTo(s.ended().orElseThrow()) <= 0, c.toString());
      assertTrue(s.ended().orElseThrow().compareTo(t.startupEnded().orElseThrow()) <= 0, c.toString());
      assertTrue(c.shutdown().isEmpty(), "no stop before the shutdown: " + c);
    }
    assertTrue(t.shutdownBegan().isEmpty());

    app.stop();
    Timeline after = app.timeline();
    assertEquals(List.of("api", "cache", "db"), after.shutdownCriticalPath());
    Timeline.Span dbStop = after.component("db").orElseThrow().shutdown().orElseThrow();
    assertEquals(Timeline.Outcome.OK, dbStop.outcome());
    assertEquals("cache", dbStop.readyAfter().orElseThrow());
    assertTrue(dbStop.ran().compareTo(Duration.ofMillis(50)) >= 0);
    assertTrue(after.component("cache").orElseThrow().shutdown().orElseThrow().waited()
        .compareTo(Duration.ofMillis(100)) >= 0, "cache waited for api's 100ms stop");
    assertTrue(after.shutdownDuration().orElseThrow().compareTo(Duration.ofMillis(180)) >= 0);
    assertTrue(after.stopPhaseBegan().orElseThrow().compareTo(after.shutdownBegan().orElseThrow()) >= 0);
    assertTrue(after.drainBegan().isPresent() && after.drainEnded().isPresent(), "a RUNNING application drains");
    assertEquals(t.criticalPath(), after.criticalPath(), "startup's record does not change");
  }

  @Test
  void failuresSkipsAndTimeoutsAreMarked() {
    Ordo app = Ordo.builder()
        .controller(script.component("flaky").onStart(c -> ScriptedController.fail("boom")).build())
        .controller(script.component("dependent").dependsOn("flaky").build())
        .controller(script.component("slow").startupTimeout(Duration.ofMillis(100)).onStart(sleep(10_000)).build())
        .controller(script.component("fine").build())
        .build();
    app.start();
    Timeline t = app.timeline();
    assertEquals(Timeline.Outcome.FAILED, t.component("flaky").orElseThrow().startup().orElseThrow().outcome());
    Timeline.Span skipped = t.component("dependent").orElseThrow().startup().orElseThrow();
    assertEquals(Timeline.Outcome.SKIPPED, skipped.outcome());
    assertTrue(skipped.began().isEmpty(), "a skipped hook never began");
    assertEquals("flaky", skipped.readyAfter().orElseThrow());
    Timeline.Span slow = t.component("slow").orElseThrow().startup().orElseThrow();
    assertEquals(Timeline.Outcome.TIMED_OUT, slow.outcome());
    assertTrue(slow.ran().compareTo(Duration.ofMillis(100)) >= 0);
    assertEquals(Timeline.Outcome.OK, t.component("fine").orElseThrow().startup().orElseThrow().outcome());
    app.stop();
    Timeline after = app.timeline();
    assertEquals(Timeline.Outcome.SKIPPED, after.component("dependent").orElseThrow().shutdown().orElseThrow().outcome(),
        "nothing to stop");
    assertEquals(Timeline.Outcome.OK, after.component("fine").orElseThrow().shutdown().orElseThrow().outcome());
    String html = after.toHtml();
    assertTrue(html.contains("data-component=\"slow\" data-phase=\"startup\" data-outcome=\"TIMED_OUT\""), html);
    assertTrue(html.contains("data-component=\"dependent\" data-phase=\"startup\" data-outcome=\"SKIPPED\""), html);
    assertTrue(html.contains("data-component=\"flaky\" data-phase=\"startup\" data-outcome=\"FAILED\""), html);
  }

  @Test
  void theJsonFormHasEveryFigure() throws Exception {
    Ordo app = knownSleeps(Ordo.builder());
    app.start();
    app.stop();
    Timeline t = app.timeline();
    JsonNode json = new ObjectMapper().readTree(t.toJson());
    assertEquals("ms", json.get("unit").asText());
    assertEquals(t.origin().toString(), json.get("origin").asText());
    assertEquals(List.of("db", "cache", "api"), strings(json.get("criticalPath")));
    assertEquals(List.of("api", "cache", "db"), strings(json.get("shutdownCriticalPath")));
    assertEquals(6, json.get("components").size());
    JsonNode api = null;
    for (JsonNode c : json.get("components")) {
      if (c.get("name").asText().equals("api")) {
        api = c;
      }
    }
    assertTrue(api != null && api.get("critical").asBoolean());
    JsonNode start = api.get("startup");
    assertEquals("OK", start.get("outcome").asText());
    assertEquals("cache", start.get("readyAfter").asText());
    Timeline.Span span = t.component("api").orElseThrow().startup().orElseThrow();
    assertEquals(span.ran().toNanos() / 1000, Math.round(start.get("ran").asDouble() * 1000));
    assertEquals(span.waited().toNanos() / 1000, Math.round(start.get("waited").asDouble() * 1000));
    assertTrue(start.get("began").asDouble() >= start.get("ready").asDouble());
    assertTrue(api.get("healthCheck").isNull());
    assertTrue(json.get("phases").get("shutdownEnded").asDouble() >= json.get("phases").get("stopPhaseBegan").asDouble());
  }

  @Test
  void theHtmlPageIsWellFormedSelfContainedAndEscapesNames() throws Exception {
    String hostile = "<script>alert('x')</script> & \"quoted\"";
    Ordo app = Ordo.builder()
        .controller(script.component(hostile).onStart(sleep(5)).build())
        .controller(script.component("b").dependsOn(hostile).build())
        .build();
    app.start();
    app.stop();
    String html = app.timeline().toHtml();
    assertFalse(html.contains("<script"), "no script, and the name is escaped");
    assertFalse(html.contains("http://") && html.replace("http://www.w3.org/2000/svg", "").contains("http://"),
        "nothing loaded from elsewhere");
    assertFalse(html.contains("https://"), "nothing loaded from elsewhere");
    // Well-formed: an XML parser reads it whole.
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
    List<String> bars = new ArrayList<>();
    NodeList rects = doc.getElementsByTagName("rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element r = (Element) rects.item(i);
      if (r.getAttribute("class").startsWith("bar ")) {
        bars.add(r.getAttribute("data-phase") + " " + r.getAttribute("data-component"));
      }
    }
    assertTrue(bars.contains("startup " + hostile), bars.toString());
    assertTrue(bars.contains("startup b"), bars.toString());
    assertTrue(bars.contains("shutdown " + hostile), bars.toString());
    assertTrue(bars.contains("shutdown b"), bars.toString());
    assertEquals(2, doc.getElementsByTagName("svg").getLength(), "a chart for startup, one for shutdown");
    assertEquals(1, doc.getElementsByTagName("table").getLength(), "the table of exact numbers");
  }

  @Test
  void theReportFileIsWrittenAfterStartupAndAgainAfterShutdown(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("startup.html");
    Ordo app = knownSleeps(Ordo.builder().reportFile(file));
    assertFalse(Files.exists(file));
    app.start();
    String afterStart = Files.readString(file);
    assertTrue(afterStart.contains("<h2>Startup</h2>") && !afterStart.contains("<h2>Shutdown</h2>"));
    app.stop();
    String afterStop = Files.readString(file);
    assertTrue(afterStop.contains("<h2>Shutdown</h2>"), afterStop);
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left");
    }
    Path json = dir.resolve("run.json");
    Ordo jsonApp = knownSleeps(Ordo.builder().reportFile(json).reportFormat(Timeline.Format.JSON));
    jsonApp.start();
    jsonApp.stop();
    assertEquals(List.of("db", "cache", "api"),
        strings(new ObjectMapper().readTree(Files.readString(json)).get("criticalPath")));
  }

  @Test
  void aFailedStartupWritesTheReportOfItsRollbackBeforeStartThrows(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("failed.json");
    Ordo app = Ordo.builder().reportFile(file).reportFormat(Timeline.Format.JSON)
        .controller(script.component("base").onStop(sleep(10)).build())
        .controller(script.component("broken").critical().dependsOn("base")
            .onStart(c -> ScriptedController.fail("no")).build())
        .build();
    assertThrows(StartupFailedException.class, app::start);
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertEquals(List.of("base", "broken"), strings(json.get("criticalPath")));
    JsonNode broken = json.get("components").get(1);
    assertEquals("FAILED", broken.get("startup").get("outcome").asText());
    assertEquals("OK", json.get("components").get(0).get("shutdown").get("outcome").asText(), "base was rolled back");
    assertFalse(json.get("phases").get("shutdownEnded").isNull());
  }

  @Test
  void theReportFileCanBeSetBySystemProperty(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.json");
    System.setProperty("ordo.report.file", file.toString());
    System.setProperty("ordo.report.format", "json");
    Ordo app;
    try {
      app = Ordo.builder().controller(script.component("only").build()).build();
    } finally {
      System.clearProperty("ordo.report.file");
      System.clearProperty("ordo.report.format");
    }
    app.start();
    app.stop();
    assertEquals("only", new ObjectMapper().readTree(Files.readString(file)).get("components").get(0).get("name").asText());
  }

  @Test
  void aBadReportSettingFailsAtBuildNamingTheKeyAndTheValue(@TempDir Path dir) {
    Path missing = dir.resolve("no-such-dir").resolve("startup.html");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().controller(script.component("x").build()).reportFile(missing).build());
    assertTrue(e.getMessage().contains("ordo.report.file") && e.getMessage().contains(missing.toString()), e.getMessage());
    ConfigurationException directory = assertThrows(ConfigurationException.class,
        () -> Ordo.builder().controller(script.component("y").build()).reportFile(dir).build());
    assertTrue(directory.getMessage().contains("not a directory"), directory.getMessage());
    System.setProperty("ordo.report.format", "pdf");
    try {
      ConfigurationException format = assertThrows(ConfigurationException.class,
          () -> Ordo.builder().controller(script.component("z").build()).build());
      assertTrue(format.getMessage().contains("ordo.report.format") && format.getMessage().contains("'pdf'"),
          format.getMessage());
    } finally {
      System.clearProperty("ordo.report.format");
    }
  }

  @Test
  void namesWithJsonAndControlCharactersStayValidJsonAndWellFormedHtml() throws Exception {
    String quotes = "q\"uo\\te\n\ttab\u0001\u001f\u2028</script>";
    String emoji = "dev.ordo.verylongpackagename.\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"
        + "\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00\ud83d\ude00"
        + "\ud83d\ude00\ud83d\ude00\ud83d\ude00x";
    Ordo app = Ordo.builder()
        .controller(script.component(quotes).build())
        .controller(script.component(emoji).dependsOn(quotes).build())
        .build();
    app.start();
    app.stop();
    JsonNode json = new ObjectMapper().readTree(app.timeline().toJson());
    assertEquals(quotes, json.get("components").get(0).get("name").asText());
    assertEquals(emoji, json.get("components").get(1).get("name").asText());
    String html = app.timeline().toHtml();
    assertFalse(html.contains("</script>"), "escaped");
    byte[] utf8 = html.getBytes(StandardCharsets.UTF_8);
    assertEquals(html, new String(utf8, StandardCharsets.UTF_8), "no lone surrogate (it would be lost as '?')");
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    Document doc = f.newDocumentBuilder().parse(new ByteArrayInputStream(utf8));
    List<String> bars = new ArrayList<>();
    NodeList rects = doc.getElementsByTagName("rect");
    for (int i = 0; i < rects.getLength(); i++) {
      Element r = (Element) rects.item(i);
      if (r.getAttribute("class").startsWith("bar ")) {
        bars.add(r.getAttribute("data-phase") + " " + r.getAttribute("data-component"));
      }
    }
    assertTrue(bars.contains("startup " + emoji), bars.toString());
    assertEquals(4, bars.size(), bars.toString());
  }

  @Test
  void aReportPathThatBecameADirectoryIsLoggedAndTheRunGoesOn(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("startup.html");
    java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.ordo.runtime.Ordo");
    java.util.logging.Level was = logger.getLevel();
    List<String> warnings = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.logging.Handler capture = new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord r) {
        if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
          warnings.add(r.getMessage());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    };
    logger.setLevel(java.util.logging.Level.INFO);
    logger.addHandler(capture);
    try {
      Ordo app = Ordo.builder().reportFile(file).controller(script.component("only").build()).build();
      Files.createDirectory(file); // after build(): the write finds a directory there
      app.start();
      assertEquals(ApplicationState.RUNNING, app.state());
      app.stop();
      assertEquals(ApplicationState.STOPPED, app.state());
      assertTrue(Files.isDirectory(file));
      assertTrue(warnings.stream().anyMatch(m -> m.contains("ordo.report.file")), warnings.toString());
      try (var files = Files.list(dir)) {
        assertEquals(List.of(file), files.toList(), "no temporary file left");
      }
    } finally {
      logger.removeHandler(capture);
      logger.setLevel(was);
    }
  }

  @Test
  void racingStopCallsWriteOneWholeReport(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("run.json");
    Ordo app = Ordo.builder().reportFile(file).reportFormat(Timeline.Format.JSON)
        .controller(script.component("a").onStop(sleep(20)).build())
        .controller(script.component("b").dependsOn("a").onStop(sleep(20)).build())
        .build();
    app.start();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> stoppers = new ArrayList<>();
    List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
    for (int i = 0; i < 6; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          app.stop();
        } catch (Throwable e) {
          errors.add(e);
        }
      });
      t.start();
      stoppers.add(t);
    }
    go.countDown();
    for (Thread t : stoppers) {
      t.join();
    }
    assertEquals(List.of(), errors);
    assertEquals(ApplicationState.STOPPED, app.state());
    JsonNode json = new ObjectMapper().readTree(Files.readString(file));
    assertFalse(json.get("phases").get("shutdownEnded").isNull(), json.toString());
    assertEquals("OK", json.get("components").get(0).get("shutdown").get("outcome").asText());
    try (var files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList(), "no temporary file left");
    }
  }

  @Test
  void theTimelineCanBeReadBeforeStartAndWhileTheApplicationStartsAndStops() throws Exception {
    CountDownLatch inHook = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    Ordo app = Ordo.builder()
        .controller(script.component("gate").onStart(c -> {
          inHook.countDown();
          release.await();
          return null;
        }).onStop(sleep(5)).build())
        .controller(script.component("after").dependsOn("gate").build())
        .build();
    for (String form : List.of(app.timeline().toJson(), app.timeline().toHtml())) {
      assertFalse(form.isEmpty());
    }
    new ObjectMapper().readTree(app.timeline().toJson());
    Thread starter = new Thread(app::start);
    starter.start();
    assertTrue(inHook.await(30, TimeUnit.SECONDS));
    JsonNode during = new ObjectMapper().readTree(app.timeline().toJson());
    assertTrue(during.get("phases").get("startupEnded").isNull(), during.toString());
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    f.newDocumentBuilder().parse(new ByteArrayInputStream(app.timeline().toHtml().getBytes(StandardCharsets.UTF_8)));
    release.countDown();
    starter.join();
    app.stop();
    JsonNode after = new ObjectMapper().readTree(app.timeline().toJson());
    assertFalse(after.get("phases").get("shutdownEnded").isNull(), after.toString());
  }

  @Test
  void anApplicationWithoutComponentsOrWithInstantHooksHasAWellFormedPage() throws Exception {
    for (Ordo app : List.of(Ordo.builder().build(),
        Ordo.builder().controller(script.component("instant").build()).build())) {
      app.start();
      app.stop();
      String html = app.timeline().toHtml();
      assertFalse(html.contains("NaN") || html.contains("Infinity"), html);
      DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
      f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
      new ObjectMapper().readTree(app.timeline().toJson());
    }
  }

  @Test
  void theFirstHealthCheckIsOnTheTimeline() throws Exception {
    ComponentDescriptor d = ComponentDescriptor.builder(ScriptedController.Key.class).key("checked")
        .healthCheck("ping", "ping", null, null).build();
    CountDownLatch checked = new CountDownLatch(1);
    LifecycleController<ScriptedController.Key> controller =
        new LifecycleController<>(d, new ScriptedController.Key("checked")) {
          @Override
          public Health check(int index, LifecycleContext context) {
            checked.countDown();
            return Health.up();
          }
        };
    Ordo app = Ordo.builder().controller(controller).build();
    app.start();
    try {
      assertTrue(checked.await(30, TimeUnit.SECONDS));
      Timeline.Span check = null;
      for (int i = 0; i < 3000 && check == null; i++) {
        // Recorded by the check's thread after the check returned: wait until the span has its end
        // (a read while it is being recorded sees it in progress).
        check = app.timeline().component("checked").orElseThrow().healthCheck()
            .filter(s -> s.ended().isPresent()).orElse(null);
        if (check == null) {
          Thread.sleep(10);
        }
      }
      assertTrue(check != null, "the first check is recorded");
      assertEquals(Timeline.Outcome.OK, check.outcome());
      assertEquals(LifecycleContext.Phase.HEALTH_CHECK, check.phase());
      assertTrue(check.began().orElseThrow().compareTo(app.timeline().startupEnded().orElseThrow()) >= 0);
    } finally {
      app.stop();
    }
  }

  private static List<String> strings(JsonNode array) {
    List<String> list = new ArrayList<>();
    array.forEach(n -> list.add(n.asText()));
    return list;
  }
}
