package dev.ordo.runtime.http;

import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ordo.runtime.RequestRejectedException;
import dev.ordo.runtime.RequestTracker;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * Counts the exchanges of the JDK's {@link HttpServer} in a {@link RequestTracker} from the moment
 * the server accepts them, and answers those that arrive while the application drains with 503 and
 * {@code Connection: close}:
 *
 * <pre>{@code
 * HttpServer server = HttpServer.create(new InetSocketAddress(8080), 128);
 * ExecutorService handlers = Executors.newFixedThreadPool(32);
 * server.setExecutor(HttpServerTracking.executor(tracker, handlers));
 * server.createContext("/", this::handle).getFilters().add(HttpServerTracking.filter(tracker));
 * server.start();
 * }</pre>
 *
 * <p>The server hands an exchange to its executor as soon as the first bytes of a request arrive
 * on a connection; when every handler thread is busy, the exchange waits in the executor's queue.
 * Through {@link #executor} it is in flight from that moment, queued or running, so a shutdown
 * waits for it — a client that sent its request before the drain began gets its answer. The
 * handler itself does not enter the tracker.
 *
 * <ul>
 *   <li>An exchange handed over before draining began is served. If its handling begins after
 *       draining began (it waited in the queue), its response also carries
 *       {@code Connection: close}, so that the client does not send its next request on a
 *       connection that would refuse it.
 *   <li>An exchange handed over after draining began is not queued behind the work in flight: it
 *       runs at once on the server's own thread, as the JDK runs every exchange when no executor is
 *       set, and the {@link #filter} answers it 503 with {@code Connection: close} without calling
 *       the handler; the server then closes the connection.
 *   <li>An exchange that the handlers' executor refuses (shut down, or its queue full) leaves the
 *       tracker at once, and the server closes its connection without a response, as it does for
 *       any executor that refuses an exchange.
 *   <li>An exchange leaves when the context's handler returns or throws: a handler that passes the
 *       exchange to another thread and returns is counted only until then.
 * </ul>
 *
 * <p>Add the filter to every context, first in its list: filters before it run for refused
 * exchanges too. On a server whose executor is not {@link #executor} for the same tracker, the
 * filter alone counts each exchange from the moment its handling begins, and answers 503 when the
 * tracker refuses it — an exchange queued before draining began is then refused when its turn
 * comes.
 *
 * @since 0.1
 */
public final class HttpServerTracking {
  private static final byte[] REFUSED_BODY =
      "The application is shutting down and accepts no new work\n".getBytes(StandardCharsets.UTF_8);

  /**
   * How the executor admitted the exchange that runs on this thread, for the filter to read. Set
   * around one exchange's run on the thread that runs it (a handler thread, or the server's own
   * for a refused exchange) and removed after it; nothing else reads or writes it.
   */
  private static final ThreadLocal<Admission> ADMISSION = new ThreadLocal<>();

  private HttpServerTracking() {}

  /**
   * Returns the executor to give {@link HttpServer#setExecutor}: it counts each exchange in
   * {@code tracker} from the moment the server hands it over, and runs it on {@code handlers}; once
   * draining began, it runs new exchanges at once on the server's thread for the {@link #filter} to
   * refuse.
   *
   * @param tracker the application's tracker ({@code app.requestTracker()}, or the one given to
   *     the builder)
   * @param handlers runs the exchanges' handlers, as the server's executor would without Ordo
   * @return the server's executor
   */
  public static Executor executor(RequestTracker tracker, Executor handlers) {
    return new ExchangeExecutor(Objects.requireNonNull(tracker, "tracker"), Objects.requireNonNull(handlers, "handlers"));
  }

  /**
   * Returns the filter to add, first, to each context of the server: it answers 503 with
   * {@code Connection: close} to the exchanges that {@link #executor} refused, and lets the others
   * through; on a server with another executor, it counts each exchange itself while the handler
   * runs.
   *
   * @param tracker the same tracker as the executor's
   * @return a filter for the server's contexts
   */
  public static Filter filter(RequestTracker tracker) {
    return new DrainFilter(Objects.requireNonNull(tracker, "tracker"));
  }

  /** The executor's verdict on one exchange. */
  private static final class Admission {
    final RequestTracker tracker;
    final boolean admitted;

    Admission(RequestTracker tracker, boolean admitted) {
      this.tracker = tracker;
      this.admitted = admitted;
    }
  }

  /**
   * {@code execute} is called by the server's dispatcher thread (one per server), once per
   * exchange, and takes no lock. The counting, and the race with the start of the drain, are the
   * tracker's executor's: an exchange is either counted and handed to the handlers, or refused.
   * If the handlers' executor blocks in {@code execute}, the dispatcher waits, as it would without
   * Ordo; if it throws, the exchange has left the tracker and the server closes the connection. A
   * refused exchange runs on the dispatcher: the request's head is read there, then answered.
   */
  private static final class ExchangeExecutor implements Executor {
    private final Executor counting;
    private final Admission admitted;
    private final Admission refused;

    ExchangeExecutor(RequestTracker tracker, Executor handlers) {
      this.counting = tracker.executor(handlers);
      this.admitted = new Admission(tracker, true);
      this.refused = new Admission(tracker, false);
    }

    @Override
    public void execute(Runnable exchange) {
      Objects.requireNonNull(exchange, "exchange");
      try {
        counting.execute(() -> runAs(admitted, exchange));
      } catch (RequestRejectedException draining) {
        // On the dispatcher thread: the 503 does not wait for a handler thread, and it is short
        // (the request's head, a fixed answer). The handler is never called for it.
        runAs(refused, exchange);
      }
    }

    @Override
    public String toString() {
      return "HttpServerTracking.executor(" + counting + ")";
    }
  }

  private static void runAs(Admission admission, Runnable exchange) {
    Admission outer = ADMISSION.get();
    ADMISSION.set(admission);
    try {
      exchange.run();
    } finally {
      if (outer == null) {
        ADMISSION.remove();
      } else {
        ADMISSION.set(outer);
      }
    }
  }

  /** Runs on the thread that runs the exchange; the handler runs under no lock of Ordo's. */
  private static final class DrainFilter extends Filter {
    private final RequestTracker tracker;

    DrainFilter(RequestTracker tracker) {
      this.tracker = tracker;
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
      Admission admission = ADMISSION.get();
      if (admission != null && admission.tracker == tracker) {
        if (!admission.admitted) {
          refuse(exchange);
          return;
        }
        if (tracker.isDraining()) {
          exchange.getResponseHeaders().set("Connection", "close");
        }
        chain.doFilter(exchange);
        return;
      }
      // Not handed over by this tracker's executor: counted from here, while the handler runs.
      RequestTracker.Ticket ticket = tracker.tryEnter();
      if (ticket == null) {
        refuse(exchange);
        return;
      }
      try (ticket) {
        chain.doFilter(exchange);
      }
    }

    @Override
    public String description() {
      return "Ordo: counts exchanges in the request tracker; 503 with Connection: close while draining";
    }
  }

  private static void refuse(HttpExchange exchange) throws IOException {
    try {
      Headers headers = exchange.getResponseHeaders();
      headers.set("Connection", "close");
      headers.set("Content-Type", "text/plain; charset=utf-8");
      if (exchange.getRequestMethod().equalsIgnoreCase("HEAD")) {
        exchange.sendResponseHeaders(503, -1);
      } else {
        exchange.sendResponseHeaders(503, REFUSED_BODY.length);
        try (OutputStream body = exchange.getResponseBody()) {
          body.write(REFUSED_BODY);
        }
      }
    } finally {
      exchange.close();
    }
  }
}
