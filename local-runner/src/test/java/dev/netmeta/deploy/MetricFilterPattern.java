package dev.netmeta.deploy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * The part of CloudWatch Logs' JSON filter-pattern syntax the manifest's metric filters use, evaluated against a log
 * line, so a test can tell whether a filter would count the lines the code really prints ("Filter pattern syntax for
 * metric filters", JSON log events): {@code { <expr> }} with {@code &&}, {@code ||} and parentheses; comparisons of
 * a selector {@code $.a.b[0]} with {@code = != > < >= <=} against a "string" (with {@code *} wildcards) or a number;
 * {@code IS TRUE}, {@code IS FALSE}, {@code IS NULL}, {@code NOT EXISTS}. As in CloudWatch, a comparison is false when
 * the selected field is missing or of the wrong type (a numeric comparison needs a JSON number, {@code IS FALSE} a
 * JSON boolean). Anything else is refused with an exception rather than guessed, so a test never passes on syntax
 * this class does not understand.
 */
public final class MetricFilterPattern {

    private static final Pattern NUMBER = Pattern.compile("-?\\d+(\\.\\d+)?");

    private final String text;
    private final List<String> tokens;
    private int next;

    private MetricFilterPattern(String text) {
        this.text = text;
        this.tokens = tokenize(text);
    }

    /** Whether the filter {@code pattern} matches the log event {@code line} (one JSON object). */
    public static boolean matches(String pattern, JsonNode line) {
        MetricFilterPattern parser = new MetricFilterPattern(pattern);
        parser.expect("{");
        Expression expression = parser.or();
        parser.expect("}");
        if (parser.next != parser.tokens.size()) {
            throw parser.error("unexpected '" + parser.tokens.get(parser.next) + "'");
        }
        return expression.test(line);
    }

    /**
     * The value a metric transformation publishes for a matched line: a literal number, or the number a
     * {@code $.selector} picks from the line (null when it is missing or not a number: CloudWatch publishes nothing).
     */
    public static BigDecimal metricValue(String metricValue, JsonNode line) {
        if (NUMBER.matcher(metricValue).matches()) {
            return new BigDecimal(metricValue);
        }
        JsonNode value = select(metricValue, line);
        return value != null && value.isNumber() ? value.decimalValue() : null;
    }

    /** The field a selector such as {@code $.summary.failed} or {@code $.failures[0].file} names, or null. */
    static JsonNode select(String selector, JsonNode line) {
        if (!selector.startsWith("$")) {
            throw new IllegalArgumentException("not a JSON selector: " + selector);
        }
        JsonNode node = line;
        int i = 1;
        while (i < selector.length()) {
            char c = selector.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < selector.length() && selector.charAt(end) != '.' && selector.charAt(end) != '[') {
                    end++;
                }
                String name = selector.substring(i + 1, end);
                if (name.isEmpty()) {
                    throw new IllegalArgumentException("empty field name in " + selector);
                }
                node = node == null || !node.isObject() ? null : node.get(name);
                i = end;
            } else if (c == '[') {
                int end = selector.indexOf(']', i);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed [ in " + selector);
                }
                int index = Integer.parseInt(selector.substring(i + 1, end));
                node = node == null || !node.isArray() ? null : node.get(index);
                i = end + 1;
            } else {
                throw new IllegalArgumentException("cannot read selector " + selector + " at '" + c + "'");
            }
        }
        return node;
    }

    private interface Expression {
        boolean test(JsonNode line);
    }

    private Expression or() {
        Expression left = and();
        while (peek("||")) {
            next++;
            Expression a = left;
            Expression b = and();
            left = line -> a.test(line) || b.test(line);
        }
        return left;
    }

    private Expression and() {
        Expression left = term();
        while (peek("&&")) {
            next++;
            Expression a = left;
            Expression b = term();
            left = line -> a.test(line) && b.test(line);
        }
        return left;
    }

    private Expression term() {
        if (peek("(")) {
            next++;
            Expression inner = or();
            expect(")");
            return inner;
        }
        String selector = take();
        if (!selector.startsWith("$")) {
            throw error("expected a $.selector, got '" + selector + "'");
        }
        select(selector, NullNode.getInstance()); // refuses a selector it cannot read, before any line
        String op = take();
        if (op.equals("IS")) {
            String what = take();
            return switch (what) {
                case "TRUE" -> line -> isBoolean(select(selector, line), true);
                case "FALSE" -> line -> isBoolean(select(selector, line), false);
                case "NULL" -> line -> {
                    JsonNode v = select(selector, line);
                    return v != null && v.isNull();
                };
                default -> throw error("IS " + what + " is not supported");
            };
        }
        if (op.equals("NOT")) {
            String what = take();
            if (!what.equals("EXISTS")) {
                throw error("NOT " + what + " is not supported");
            }
            return line -> select(selector, line) == null;
        }
        String operand = take();
        if (operand.startsWith("\"")) {
            String literal = operand.substring(1, operand.length() - 1);
            return switch (op) {
                case "=" -> line -> textMatches(select(selector, line), literal);
                case "!=" -> line -> {
                    JsonNode v = select(selector, line);
                    return v != null && v.isTextual() && !textMatches(v, literal);
                };
                default -> throw error("'" + op + "' does not compare strings");
            };
        }
        if (!NUMBER.matcher(operand).matches()) {
            throw error("unquoted operand '" + operand + "' is not supported (quote strings)");
        }
        BigDecimal number = new BigDecimal(operand);
        return line -> {
            JsonNode v = select(selector, line);
            if (v == null || !v.isNumber()) {
                return false;
            }
            int c = v.decimalValue().compareTo(number);
            return switch (op) {
                case "=" -> c == 0;
                case "!=" -> c != 0;
                case ">" -> c > 0;
                case "<" -> c < 0;
                case ">=" -> c >= 0;
                case "<=" -> c <= 0;
                default -> throw error("unknown operator '" + op + "'");
            };
        };
    }

    private static boolean isBoolean(JsonNode v, boolean expected) {
        return v != null && v.isBoolean() && v.booleanValue() == expected;
    }

    /** String equality where {@code *} in the literal stands for any run of characters. */
    private static boolean textMatches(JsonNode v, String literal) {
        if (v == null || !v.isTextual()) {
            return false;
        }
        String[] parts = literal.split("\\*", -1);
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < parts.length; i++) {
            if (i > 0) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(parts[i]));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL).matcher(v.asText()).matches();
    }

    private boolean peek(String token) {
        return next < tokens.size() && tokens.get(next).equals(token);
    }

    private String take() {
        if (next >= tokens.size()) {
            throw error("unexpected end");
        }
        return tokens.get(next++);
    }

    private void expect(String token) {
        String got = take();
        if (!got.equals(token)) {
            throw error("expected '" + token + "', got '" + got + "'");
        }
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " in filter pattern " + text);
    }

    private static List<String> tokenize(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '"') {
                int end = text.indexOf('"', i + 1);
                if (end < 0) {
                    throw new IllegalArgumentException("unclosed string in filter pattern " + text);
                }
                tokens.add(text.substring(i, end + 1));
                i = end + 1;
            } else if (text.startsWith("&&", i) || text.startsWith("||", i) || text.startsWith(">=", i)
                    || text.startsWith("<=", i) || text.startsWith("!=", i)) {
                tokens.add(text.substring(i, i + 2));
                i += 2;
            } else if ("{}()=<>".indexOf(c) >= 0) {
                tokens.add(String.valueOf(c));
                i++;
            } else {
                int end = i;
                while (end < text.length() && !Character.isWhitespace(text.charAt(end))
                        && "{}()=<>!&|\"".indexOf(text.charAt(end)) < 0) {
                    end++;
                }
                if (end == i) {
                    throw new IllegalArgumentException("cannot read '" + c + "' in filter pattern " + text);
                }
                tokens.add(text.substring(i, end));
                i = end;
            }
        }
        return tokens;
    }
}
