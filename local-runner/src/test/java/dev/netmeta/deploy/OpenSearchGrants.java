package dev.netmeta.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Least privilege for a function's OpenSearch access, measured instead of assumed: the requests a real handler sent
 * (recorded by {@code RecordingHttpsProxy}) are evaluated against the function role's statements in the packaged
 * CloudFormation template — for the created and for an existing domain — and against the created domain's access
 * policy, and so are requests the function never sends, which no policy may allow. Used by ApiOpenSearchRequestsIT
 * LoadOpenSearchRequestsIT and RetentionOpenSearchRequestsIT.
 *
 * <p>The manifest is packaged with {@code --param=indexPrefix=<the test's prefix>}, so the resources are checked as
 * rendered for the prefix actually used, not for a hard-coded {@code metadata}.
 */
public final class OpenSearchGrants {

    private static final String ACCOUNT = StsStandIn.ACCOUNT_ID;
    /** The created domain of stage ci ({@code netmeta-ci}) and an existing one as a deploy would name it. */
    private static final String CREATED_DOMAIN = "arn:aws:es:us-east-1:" + ACCOUNT + ":domain/netmeta-ci";
    private static final String EXISTING_DOMAIN = "arn:aws:es:us-east-1:" + ACCOUNT + ":domain/logs";

    private final CloudFormationTemplate template;

    private OpenSearchGrants(CloudFormationTemplate template) {
        this.template = template;
    }

    /** Packages the manifest (osls, offline) for stage {@code ci} with the given index prefix. */
    public static OpenSearchGrants packagedWithIndexPrefix(String prefix) throws Exception {
        Path scratch = ProjectRoot.scratch("opensearch-grants-" + prefix);
        try (StsStandIn sts = StsStandIn.start()) {
            Path out = new OslsPackager(ProjectRoot.get(), scratch).packageStage("ci", sts.endpoint(),
                    scratch.resolve("package"), Map.of("ftpHost", "ftp.example.net", "indexPrefix", prefix));
            return new OpenSearchGrants(CloudFormationTemplate.read(
                    out.resolve("cloudformation-template-update-stack.json"), ACCOUNT));
        }
    }

    /**
     * What is wrong with the grants of {@code roleId} (e.g. {@code ApiRole}): each request of {@code sent} that its
     * role (created or existing domain) or the created domain's access policy does not allow, and each request of
     * {@code neverSent} that one of them allows. Empty when the grants are exactly right.
     */
    public List<String> problems(String roleId, Collection<Sent> sent, Collection<Sent> neverSent) {
        Policy role = new Policy(template.roleStatements(roleId));
        Policy domain = domainStatementsFor("{" + roleId + ".Arn}");
        List<String> problems = new ArrayList<>();
        if (domain.statements.isEmpty()) {
            problems.add("the created domain's access policy does not name " + roleId);
        }
        for (Sent request : sent) {
            if (!role.allows(request, CREATED_DOMAIN, Branch.CREATED)) {
                problems.add(roleId + " (created domain) does not allow " + request);
            }
            if (!role.allows(request, EXISTING_DOMAIN, Branch.EXISTING)) {
                problems.add(roleId + " (existing domain) does not allow " + request);
            }
            if (!domain.allows(request, CREATED_DOMAIN, Branch.CREATED)) {
                problems.add("the domain's access policy does not allow " + roleId + " " + request);
            }
        }
        for (Sent request : neverSent) {
            if (role.allows(request, CREATED_DOMAIN, Branch.CREATED)) {
                problems.add(roleId + " (created domain) allows a request it never sends: " + request);
            }
            if (role.allows(request, EXISTING_DOMAIN, Branch.EXISTING)) {
                problems.add(roleId + " (existing domain) allows a request it never sends: " + request);
            }
            if (domain.allows(request, CREATED_DOMAIN, Branch.CREATED)) {
                problems.add("the domain's access policy allows " + roleId + " a request it never sends: " + request);
            }
        }
        return problems;
    }

    private Policy domainStatementsFor(String principal) {
        List<JsonNode> statements = new ArrayList<>();
        for (JsonNode statement : template.properties("OpenSearchDomain").path("AccessPolicies").path("Statement")) {
            if (template.render(statement.path("Principal").path("AWS")).contains(principal)) {
                statements.add(statement);
            }
        }
        return new Policy(statements);
    }

    /** One request as IAM sees it: the action and the path (percent-decoded, without the query string). */
    public record Sent(String method, String path) {

        /** The request of a recorded method and raw (percent-encoded) path. */
        public static Sent recorded(String method, String rawPath) {
            return new Sent(method, percentDecode(rawPath));
        }

        String action() {
            return "es:ESHttp" + method.charAt(0) + method.substring(1).toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return method + " " + path;
        }
    }

    /** %XX → bytes → UTF-8; '+' stays '+' (a path, not a form). */
    public static String percentDecode(String raw) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%' && i + 2 < raw.length()) {
                bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private enum Branch { CREATED, EXISTING }

    /**
     * IAM statements as the packaged template has them, evaluated the way IAM matches resources: {@code *} matches
     * any run of characters ({@code /} included), {@code ?} exactly one, everything else literally; an explicit Deny
     * wins. A resource under {@code Fn::If [CreateOpenSearchDomain, …]} belongs to its branch: the existing-domain
     * branch's {@code ${OpenSearchDomainArn}} stands for the domain ARN the deploy passes.
     */
    private final class Policy {
        final List<JsonNode> statements;

        Policy(List<JsonNode> statements) {
            this.statements = statements;
        }

        boolean allows(Sent request, String domainArn, Branch branch) {
            String resource = domainArn + request.path();
            boolean allowed = false;
            for (JsonNode statement : statements) {
                boolean matches = template.asList(statement.path("Action")).stream()
                        .anyMatch(a -> glob(a.asText()).matcher(request.action()).matches())
                        && resources(statement.path("Resource"), domainArn, branch).stream()
                        .anyMatch(r -> glob(r).matcher(resource).matches());
                if (matches && statement.path("Effect").asText().equals("Deny")) {
                    return false;
                }
                allowed |= matches && statement.path("Effect").asText().equals("Allow");
            }
            return allowed;
        }

        private List<String> resources(JsonNode node, String domainArn, Branch branch) {
            List<String> out = new ArrayList<>();
            for (JsonNode item : template.asList(node)) {
                JsonNode condition = item.path("Fn::If");
                if (condition.isArray() && condition.get(0).asText().equals("CreateOpenSearchDomain")) {
                    out.addAll(resources(condition.get(branch == Branch.CREATED ? 1 : 2), domainArn, branch));
                } else {
                    template.render(item).forEach(r -> out.add(r.replace("{OpenSearchDomainArn}", domainArn)));
                }
            }
            return out;
        }
    }

    /**
     * IAM's resource matching: {@code *} any run of characters, {@code ?} one; the policy variables {@code ${*}},
     * {@code ${?}} and {@code ${$}} stand for those characters literally (how a Deny names a path with a '*').
     */
    private static Pattern glob(String text) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '$' && i + 3 < text.length() && text.charAt(i + 1) == '{' && text.charAt(i + 3) == '}'
                    && "*?$".indexOf(text.charAt(i + 2)) >= 0) {
                regex.append(Pattern.quote(String.valueOf(text.charAt(i + 2))));
                i += 3;
            } else {
                regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
