package dev.netmeta.local.runner.http;

import com.sun.net.httpserver.HttpExchange;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.regex.Pattern;

/**
 * The request line as the client sent it, and whether it is one: {@code METHOD SP request-target SP HTTP/d.d}.
 *
 * <p>The JDK HTTP server takes the request target up to the second space and never checks what follows, and
 * {@link HttpExchange#getProtocol()} answers the text after the last space. So a URL with an unencoded space —
 * {@code GET /metadata/search?q=srcIp:10.0.0.1 AND host:google.com HTTP/1.1} — reaches the handler as
 * {@code q=srcIp:10.0.0.1} with protocol {@code HTTP/1.1}: the rest of the query is dropped without a word. API
 * Gateway refuses such a request. The raw line is not part of the {@code com.sun.net.httpserver} API; it is read from
 * the server's exchange ({@code sun.net.httpserver}), which {@code java -jar local-runner.jar} opens to the runner with
 * its manifest's {@code Add-Opens} (the build's tests with {@code --add-opens}). Where the package is not open the raw
 * line is unknown, and only a last part that is not a version is seen ({@link #protocol}).
 */
final class RequestLine {

    private static final Pattern VERSION = Pattern.compile("HTTP/[0-9]\\.[0-9]");
    private static final Field EXCHANGE = accessible(() ->
            Class.forName("sun.net.httpserver.HttpExchangeImpl").getDeclaredField("impl"));
    private static final Field REQUEST = accessible(() ->
            Class.forName("sun.net.httpserver.ExchangeImpl").getDeclaredField("req"));
    private static final Method LINE = accessible(() ->
            Class.forName("sun.net.httpserver.Request").getDeclaredMethod("requestLine"));

    private RequestLine() {
    }

    /** Whether the raw request line can be read here (the JDK's server package is open to this code). */
    static boolean readable() {
        return EXCHANGE != null && REQUEST != null && LINE != null;
    }

    /**
     * What follows the request target: the text after the second space of the raw request line, as the JDK server
     * reads it; the text after the last space ({@link HttpExchange#getProtocol()}) when the raw line cannot be read.
     */
    static String protocol(HttpExchange exchange) {
        String line = raw(exchange);
        if (line == null) {
            return exchange.getProtocol();
        }
        int first = line.indexOf(' ');
        int second = first < 0 ? -1 : line.indexOf(' ', first + 1);
        return second < 0 ? "" : line.substring(second + 1);
    }

    /**
     * Why the request is refused (a JSON 400 of the runner's), or null: what follows the request target is not
     * {@code HTTP/<digit>.<digit>} — almost always a space in the URL that was not percent-encoded.
     */
    static String refusal(String protocol) {
        if (protocol != null && VERSION.matcher(protocol).matches()) {
            return null;
        }
        String shown = protocol == null ? "" : protocol.length() > 80 ? protocol.substring(0, 80) + "…" : protocol;
        return "bad request line: '" + shown + "' follows the URL where the HTTP version belongs — a space in the URL "
                + "ends it there, so the rest was not part of the request. Percent-encode spaces as %20 (or + in the "
                + "query string), e.g. curl -G --data-urlencode 'q=srcIp:10.0.0.1 AND host:google.com' does it";
    }

    private static String raw(HttpExchange exchange) {
        if (!readable()) {
            return null;
        }
        try {
            Object impl = EXCHANGE.get(exchange);
            Object request = impl == null ? null : REQUEST.get(impl);
            return request == null ? null : (String) LINE.invoke(request);
        } catch (ReflectiveOperationException | IllegalArgumentException | ClassCastException e) {
            return null; // another exchange class (HTTPS, a wrapper): unknown
        }
    }

    /** A member of the JDK server's classes made accessible, or null: the package is not open, or another JDK's. */
    private static <T extends AccessibleObject> T accessible(Lookup<T> lookup) {
        try {
            T member = lookup.find();
            member.setAccessible(true);
            return member;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null; // InaccessibleObjectException without the opens; NoSuchFieldException on other internals
        }
    }

    @FunctionalInterface
    private interface Lookup<T> {
        T find() throws ReflectiveOperationException;
    }
}
