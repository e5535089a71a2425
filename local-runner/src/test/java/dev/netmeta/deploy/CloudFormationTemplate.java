package dev.netmeta.deploy;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Read access to a generated CloudFormation template, plus two things assertions need: rendering intrinsic values to
 * the strings they can become ({@link #render}) and finding dependency cycles ({@link #dependencyCycles}).
 */
final class CloudFormationTemplate {

    private static final Pattern SUB_VARIABLE = Pattern.compile("\\$\\{([^}!][^}]*)}");

    private final JsonNode root;
    private final String accountId;

    private CloudFormationTemplate(JsonNode root, String accountId) {
        this.root = root;
        this.accountId = accountId;
    }

    static CloudFormationTemplate read(Path file, String accountId) throws IOException {
        return new CloudFormationTemplate(new ObjectMapper().readTree(file.toFile()), accountId);
    }

    JsonNode root() {
        return root;
    }

    JsonNode resources() {
        return root.path("Resources");
    }

    JsonNode resource(String logicalId) {
        JsonNode resource = resources().get(logicalId);
        if (resource == null) {
            throw new AssertionError("template has no resource " + logicalId + "; it has " + logicalIds());
        }
        return resource;
    }

    JsonNode properties(String logicalId) {
        return resource(logicalId).path("Properties");
    }

    List<String> logicalIds() {
        List<String> ids = new ArrayList<>();
        resources().fieldNames().forEachRemaining(ids::add);
        return ids;
    }

    /** Logical id → resource, for every resource of the given type, in template order. */
    Map<String, JsonNode> ofType(String type) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = resources().fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            if (type.equals(entry.getValue().path("Type").asText())) {
                found.put(entry.getKey(), entry.getValue());
            }
        }
        return found;
    }

    /**
     * All statements of all inline policies of an {@code AWS::IAM::Role}, as deployed with the parameters' defaults:
     * a statement given as {@code Fn::If} is the branch its condition chooses, none for {@code AWS::NoValue}.
     */
    List<JsonNode> roleStatements(String roleId) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode policy : properties(roleId).path("Policies")) {
            for (JsonNode statement : asList(policy.path("PolicyDocument").path("Statement"))) {
                if (statement.has("Fn::If")) {
                    JsonNode branches = statement.get("Fn::If");
                    statement = branches.get(condition(branches.get(0).asText()) ? 1 : 2);
                }
                if (!"AWS::NoValue".equals(statement.path("Ref").asText())) {
                    statements.add(statement);
                }
            }
        }
        return statements;
    }

    /** A condition of the template, evaluated with the parameters' defaults (Fn::Equals, Fn::Not, Fn::And, Fn::Or). */
    boolean condition(String name) {
        JsonNode condition = root.path("Conditions").get(name);
        if (condition == null) {
            throw new AssertionError("template has no condition " + name);
        }
        return evaluate(condition);
    }

    private boolean evaluate(JsonNode node) {
        if (node.has("Condition")) {
            return condition(node.get("Condition").asText());
        }
        String function = node.fieldNames().next();
        JsonNode arguments = node.get(function);
        return switch (function) {
            case "Fn::Not" -> !evaluate(arguments.get(0));
            case "Fn::And" -> StreamSupport.stream(arguments.spliterator(), false).allMatch(this::evaluate);
            case "Fn::Or" -> StreamSupport.stream(arguments.spliterator(), false).anyMatch(this::evaluate);
            case "Fn::Equals" -> value(arguments.get(0)).equals(value(arguments.get(1)));
            default -> throw new AssertionError("cannot evaluate " + node);
        };
    }

    private String value(JsonNode node) {
        if (node.has("Ref")) {
            JsonNode parameter = root.path("Parameters").get(node.get("Ref").asText());
            return parameter == null ? pseudo(node.get("Ref").asText()) : parameter.path("Default").asText();
        }
        return node.asText();
    }

    /** A string or list-of-strings field (IAM Action, Resource, …) as a list. */
    List<JsonNode> asList(JsonNode node) {
        List<JsonNode> items = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return items;
        }
        if (node.isArray()) {
            node.forEach(items::add);
        } else {
            items.add(node);
        }
        return items;
    }

    /**
     * Every string an intrinsic-valued node can evaluate to: pseudo parameters become sample values
     * ({@code aws}, {@code us-east-1}, the stand-in account), references to resources stay visible as
     * {@code {LogicalId}} / {@code {LogicalId.Attribute}}, and both branches of {@code Fn::If} are returned.
     */
    List<String> render(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || node.isMissingNode() || node.isNull()) {
            return out;
        }
        if (node.isTextual() || node.isNumber() || node.isBoolean()) {
            out.add(node.asText());
        } else if (node.isArray()) {
            node.forEach(item -> out.addAll(render(item)));
        } else if (node.has("Ref")) {
            out.add(pseudo(node.get("Ref").asText()));
        } else if (node.has("Fn::GetAtt")) {
            JsonNode att = node.get("Fn::GetAtt");
            out.add("{" + (att.isArray() ? att.get(0).asText() + "." + att.get(1).asText() : att.asText()) + "}");
        } else if (node.has("Fn::Sub")) {
            JsonNode sub = node.get("Fn::Sub");
            String text = sub.isArray() ? sub.get(0).asText() : sub.asText();
            Matcher matcher = SUB_VARIABLE.matcher(text);
            StringBuilder rendered = new StringBuilder();
            while (matcher.find()) {
                matcher.appendReplacement(rendered, Matcher.quoteReplacement(pseudo(matcher.group(1))));
            }
            matcher.appendTail(rendered);
            // ${!Literal} is CloudFormation's escape for a literal ${Literal} (e.g. IAM's ${*})
            out.add(rendered.toString().replace("${!", "${"));
        } else if (node.has("Fn::Join")) {
            JsonNode join = node.get("Fn::Join");
            List<String> parts = new ArrayList<>();
            for (JsonNode part : join.get(1)) {
                List<String> values = render(part);
                parts.add(values.isEmpty() ? "" : values.get(0));
            }
            out.add(String.join(join.get(0).asText(), parts));
        } else if (node.has("Fn::If")) {
            JsonNode branches = node.get("Fn::If");
            out.addAll(render(branches.get(1)));
            out.addAll(render(branches.get(2)));
        } else {
            out.add(node.toString());
        }
        return out;
    }

    private String pseudo(String name) {
        return switch (name) {
            case "AWS::Partition" -> "aws";
            case "AWS::Region" -> "us-east-1";
            case "AWS::AccountId" -> accountId;
            case "AWS::URLSuffix" -> "amazonaws.com";
            default -> "{" + name + "}";
        };
    }

    /** Cycles in the resource graph (Ref, Fn::GetAtt, Fn::Sub references and DependsOn); empty when deployable. */
    /** Every resource {@code id} waits for, directly or through others (DependsOn, Ref, GetAtt, Sub). */
    Set<String> dependenciesOf(String id) {
        Map<String, Set<String>> edges = dependencyEdges();
        Set<String> seen = new HashSet<>();
        List<String> todo = new ArrayList<>(edges.getOrDefault(id, Set.of()));
        while (!todo.isEmpty()) {
            String next = todo.remove(todo.size() - 1);
            if (seen.add(next)) {
                todo.addAll(edges.getOrDefault(next, Set.of()));
            }
        }
        return seen;
    }

    List<List<String>> dependencyCycles() {
        Map<String, Set<String>> edges = dependencyEdges();
        List<List<String>> cycles = new ArrayList<>();
        Map<String, Integer> state = new HashMap<>();
        for (String id : logicalIds()) {
            visit(id, edges, state, new ArrayList<>(), cycles);
        }
        return cycles;
    }

    private Map<String, Set<String>> dependencyEdges() {
        Map<String, Set<String>> edges = new HashMap<>();
        for (String id : logicalIds()) {
            Set<String> targets = new HashSet<>();
            JsonNode resource = resource(id);
            for (Iterator<Map.Entry<String, JsonNode>> it = resource.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                if (field.getKey().equals("DependsOn")) {
                    asList(field.getValue()).forEach(target -> targets.add(target.asText()));
                } else {
                    collectReferences(field.getValue(), targets);
                }
            }
            targets.retainAll(new HashSet<>(logicalIds()));
            edges.put(id, targets);
        }
        return edges;
    }

    private void visit(String id, Map<String, Set<String>> edges, Map<String, Integer> state, List<String> path,
            List<List<String>> cycles) {
        Integer seen = state.get(id);
        if (seen != null) {
            if (seen == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(id), path.size()));
                cycle.add(id);
                cycles.add(cycle);
            }
            return;
        }
        state.put(id, 1);
        path.add(id);
        for (String target : edges.get(id)) {
            visit(target, edges, state, path, cycles);
        }
        path.remove(path.size() - 1);
        state.put(id, 2);
    }

    private static void collectReferences(JsonNode node, Set<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode value = field.getValue();
                switch (field.getKey()) {
                    case "Ref" -> into.add(value.asText());
                    case "Fn::GetAtt" -> into.add(value.isArray() ? value.get(0).asText()
                            : value.asText().split("\\.")[0]);
                    case "Fn::Sub" -> {
                        String text = value.isArray() ? value.get(0).asText() : value.asText();
                        Matcher matcher = SUB_VARIABLE.matcher(text);
                        while (matcher.find()) {
                            into.add(matcher.group(1).split("\\.")[0]);
                        }
                        if (value.isArray() && value.size() > 1) {
                            collectReferences(value.get(1), into);
                        }
                    }
                    default -> collectReferences(value, into);
                }
            }
        } else if (node.isArray()) {
            node.forEach(item -> collectReferences(item, into));
        }
    }
}
